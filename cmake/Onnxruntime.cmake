# Locates the ONNX Runtime C/C++ API for the `ort` flow and defines
# ngbench::onnxruntime (an imported library). Included by src/backends/ort/ only.
#
# NGBENCH_WITH_ORT: AUTO (default: build the flow when ONNX Runtime is found),
# ON (fail when it is not), OFF (never). Where it looks, in order:
#   1. ONNXRUNTIME_ROOT, a release tarball's layout (include/ and lib/).
#   2. A system ONNX Runtime: find_package(onnxruntime) (its CMake config, as a
#      distribution's libonnxruntime-dev installs it), else onnxruntime_cxx_api.h
#      and libonnxruntime on the default paths.
#   3. The recipe of scripts/setup.sh: the library from PyPI's onnxruntime wheel
#      in the project environment (onnxruntime/capi/libonnxruntime.so.<version>,
#      found through NGBENCH_PYTHON without importing it) and the headers of
#      Debian's libonnxruntime-dev unpacked into .deps/onnxruntime (git-ignored).
# Sets NGBENCH_ORT_FOUND, NGBENCH_ORT_VERSION (the library's, when known) and
# NGBENCH_ORT_HINT (how to get it, for messages).
set(NGBENCH_WITH_ORT AUTO CACHE STRING "Build the ONNX Runtime flow: AUTO (when found), ON (required) or OFF")
set_property(CACHE NGBENCH_WITH_ORT PROPERTY STRINGS AUTO ON OFF)
set(ONNXRUNTIME_ROOT "" CACHE PATH "ONNX Runtime install or release directory (holds include/ and lib/)")

set(NGBENCH_ORT_HINT "run scripts/setup.sh (installs onnxruntime==1.30.0 from PyPI into the project environment, and its C++ headers), or configure with -DONNXRUNTIME_ROOT=<ONNX Runtime release directory>, then rebuild")
set(NGBENCH_ORT_FOUND FALSE)
set(NGBENCH_ORT_VERSION "")

function(_ngbench_ort_import lib include_dir how)
  # The wheel ships libonnxruntime.so.<x.y.z> whose SONAME (libonnxruntime.so.1)
  # has no file beside it, so link through a link named like the SONAME in the
  # build tree: the binary then finds the library through its RUNPATH.
  get_filename_component(_real "${lib}" REALPATH)
  set(_link_dir "${CMAKE_BINARY_DIR}/onnxruntime/lib")
  file(MAKE_DIRECTORY "${_link_dir}")
  execute_process(COMMAND objdump -p "${_real}" OUTPUT_VARIABLE _dyn ERROR_QUIET)
  string(REGEX MATCH "SONAME +([^ \n]+)" _m "${_dyn}")
  set(_soname "${CMAKE_MATCH_1}")
  if(NOT _soname)
    get_filename_component(_soname "${_real}" NAME)
  endif()
  file(CREATE_LINK "${_real}" "${_link_dir}/${_soname}" SYMBOLIC)
  add_library(ngbench_onnxruntime SHARED IMPORTED GLOBAL)
  set_target_properties(ngbench_onnxruntime PROPERTIES
    IMPORTED_LOCATION "${_link_dir}/${_soname}"
    IMPORTED_SONAME "${_soname}"
    INTERFACE_INCLUDE_DIRECTORIES "${include_dir}"
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${include_dir}")
  add_library(ngbench::onnxruntime ALIAS ngbench_onnxruntime)
  string(REGEX MATCH "\\.so\\.([0-9]+\\.[0-9]+\\.[0-9]+)$" _v "${_real}")
  set(NGBENCH_ORT_VERSION "${CMAKE_MATCH_1}" PARENT_SCOPE)
  set(NGBENCH_ORT_FOUND TRUE PARENT_SCOPE)
  message(STATUS "ONNX Runtime (${how}): ${_real}, headers ${include_dir}")
endfunction()

if(NOT NGBENCH_WITH_ORT STREQUAL "OFF")
  # 1. An explicit root.
  if(ONNXRUNTIME_ROOT)
    find_path(_ngbench_ort_inc onnxruntime_cxx_api.h
      PATHS "${ONNXRUNTIME_ROOT}/include" "${ONNXRUNTIME_ROOT}/include/onnxruntime" NO_DEFAULT_PATH)
    find_library(_ngbench_ort_lib onnxruntime PATHS "${ONNXRUNTIME_ROOT}/lib" "${ONNXRUNTIME_ROOT}/lib64"
      NO_DEFAULT_PATH)
    if(_ngbench_ort_inc AND _ngbench_ort_lib)
      _ngbench_ort_import("${_ngbench_ort_lib}" "${_ngbench_ort_inc}" "ONNXRUNTIME_ROOT")
    endif()
  endif()
  # 2. The system's.
  if(NOT NGBENCH_ORT_FOUND)
    find_package(onnxruntime CONFIG QUIET)
    if(TARGET onnxruntime::onnxruntime)
      get_target_property(_loc onnxruntime::onnxruntime LOCATION)
      get_target_property(_inc onnxruntime::onnxruntime INTERFACE_INCLUDE_DIRECTORIES)
      # A -dev package without its runtime leaves a config that names no file.
      if(_loc AND EXISTS "${_loc}" AND _inc)
        list(GET _inc 0 _inc0)
        if(EXISTS "${_inc0}/onnxruntime_cxx_api.h")
          _ngbench_ort_import("${_loc}" "${_inc0}" "system, CMake config")
        elseif(EXISTS "${_inc0}/onnxruntime/onnxruntime_cxx_api.h")
          _ngbench_ort_import("${_loc}" "${_inc0}/onnxruntime" "system, CMake config")
        endif()
      endif()
    endif()
  endif()
  if(NOT NGBENCH_ORT_FOUND)
    find_path(_ngbench_ort_sys_inc onnxruntime_cxx_api.h PATH_SUFFIXES onnxruntime onnxruntime/core/session)
    find_library(_ngbench_ort_sys_lib onnxruntime)
    if(_ngbench_ort_sys_inc AND _ngbench_ort_sys_lib AND EXISTS "${_ngbench_ort_sys_lib}")
      _ngbench_ort_import("${_ngbench_ort_sys_lib}" "${_ngbench_ort_sys_inc}" "system")
    endif()
  endif()
  # 3. The recipe: PyPI wheel + Debian headers in .deps/.
  if(NOT NGBENCH_ORT_FOUND)
    set(_wheel_dir "")
    if(NGBENCH_PYTHON)
      execute_process(
        COMMAND "${NGBENCH_PYTHON}" -c
                "import importlib.util, os; s = importlib.util.find_spec('onnxruntime'); print(os.path.join(os.path.dirname(s.origin), 'capi') if s else '')"
        OUTPUT_VARIABLE _wheel_dir OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    endif()
    set(_deps_inc "${PROJECT_SOURCE_DIR}/.deps/onnxruntime/usr/include/onnxruntime")
    if(_wheel_dir)
      file(GLOB _wheel_libs "${_wheel_dir}/libonnxruntime.so.*")
    endif()
    if(_wheel_libs AND EXISTS "${_deps_inc}/onnxruntime_cxx_api.h")
      list(SORT _wheel_libs)
      list(GET _wheel_libs -1 _wheel_lib)
      _ngbench_ort_import("${_wheel_lib}" "${_deps_inc}" "PyPI wheel + Debian headers in .deps")
    endif()
  endif()
endif()

if(NOT NGBENCH_ORT_FOUND)
  if(NGBENCH_WITH_ORT STREQUAL "ON")
    message(FATAL_ERROR "ONNX Runtime not found (NGBENCH_WITH_ORT=ON): ${NGBENCH_ORT_HINT}")
  elseif(NGBENCH_WITH_ORT STREQUAL "AUTO")
    message(STATUS "ONNX Runtime not found: the ort flow is not built; ${NGBENCH_ORT_HINT}")
  endif()
endif()
