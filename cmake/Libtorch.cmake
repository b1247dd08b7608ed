# Locates libtorch inside the PyPI torch wheel of the project environment (NGBENCH_PYTHON, cmake/Python.cmake)
# and defines ngbench::torch.
#
# The CPU build links libtorch_cpu and libc10 only, so find_package(Torch) (which wants the whole CUDA stack) is
# not needed. Set TORCH_ROOT to a torch package directory (the one holding include/ and lib/) to use another
# libtorch; otherwise it is looked up through NGBENCH_PYTHON on every configure.
set(TORCH_ROOT "" CACHE PATH "Directory of the torch package (holds include/ and lib/)")
if(NOT TORCH_ROOT OR TORCH_ROOT STREQUAL "${NGBENCH_TORCH_ROOT_AUTO}")
  # find_spec locates torch without importing it (importing takes seconds).
  execute_process(
    COMMAND "${NGBENCH_PYTHON}" -c
            "import importlib.util, os; s = importlib.util.find_spec('torch'); print(os.path.dirname(s.origin) if s else '')"
    OUTPUT_VARIABLE _torch_root OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  set(TORCH_ROOT "${_torch_root}" CACHE PATH "Directory of the torch package" FORCE)
  set(NGBENCH_TORCH_ROOT_AUTO "${_torch_root}" CACHE INTERNAL "TORCH_ROOT as last looked up through NGBENCH_PYTHON")
endif()
if(NOT EXISTS "${TORCH_ROOT}/include/ATen/ATen.h")
  message(FATAL_ERROR "libtorch not found (TORCH_ROOT='${TORCH_ROOT}', Python '${NGBENCH_PYTHON}'): run "
                      "scripts/setup.sh (installs torch==2.11.0 into .venv), or set NGBENCH_VENV to an environment "
                      "that has it, or pass -DTORCH_ROOT=<torch package dir>")
endif()

file(READ "${TORCH_ROOT}/version.py" _torch_version_py)
string(REGEX MATCH "__version__ = '([^']+)'" _m "${_torch_version_py}")
set(NGBENCH_TORCH_VERSION "${CMAKE_MATCH_1}")
message(STATUS "libtorch ${NGBENCH_TORCH_VERSION} at ${TORCH_ROOT}")

find_library(NGBENCH_TORCH_CPU_LIB torch_cpu PATHS "${TORCH_ROOT}/lib" NO_DEFAULT_PATH NO_CACHE REQUIRED)
find_library(NGBENCH_C10_LIB c10 PATHS "${TORCH_ROOT}/lib" NO_DEFAULT_PATH NO_CACHE REQUIRED)

add_library(ngbench_torch INTERFACE)
add_library(ngbench::torch ALIAS ngbench_torch)
# SYSTEM: libtorch's headers are not ours to warn about. They also carry their own
# fmt, so only targets that need torch see this include path (see docs/architecture.md).
target_include_directories(ngbench_torch SYSTEM INTERFACE
  "${TORCH_ROOT}/include"
  "${TORCH_ROOT}/include/torch/csrc/api/include")
target_compile_definitions(ngbench_torch INTERFACE _GLIBCXX_USE_CXX11_ABI=1
  NGBENCH_TORCH_VERSION="${NGBENCH_TORCH_VERSION}")
target_link_libraries(ngbench_torch INTERFACE "${NGBENCH_TORCH_CPU_LIB}" "${NGBENCH_C10_LIB}")
# The wheel's libraries find each other through their own RPATH; ours must find them.
set(CMAKE_BUILD_RPATH "${TORCH_ROOT}/lib")
set(CMAKE_INSTALL_RPATH "${TORCH_ROOT}/lib")

# The CUDA runtime libraries libtorch_cpu needs even for CPU work (the PyPI wheel's: libcudart.so.13 and
# libcupti.so.13), read from its NEEDED entries. Each comes from
#   1. the system, when the dynamic loader finds it (a CUDA toolkit registered with ldconfig, as its Debian and
#      Ubuntu packages are): nothing to add;
#   2. else PyPI's NVIDIA runtime wheels in the same environment (site-packages/nvidia/*/lib, beside torch;
#      scripts/setup.sh installs them exactly when 1 fails): their folders go into the RPATH of what we link.
#      libtorch's own RPATH ($ORIGIN/../../nvidia/cu13/lib) finds them, at link and at run time; the entry in
#      ours records the choice in the binary (readelf -d) and lets the linker resolve them should libtorch's
#      RPATH not. No environment variable is involved.
# NGBENCH_CUDA_RUNTIME_RPATH lists the folders added (empty when the system provides everything).
set(NGBENCH_CUDA_RUNTIME_RPATH "")
find_program(NGBENCH_OBJDUMP objdump)
find_program(NGBENCH_LDCONFIG ldconfig PATHS /sbin /usr/sbin)
if(NGBENCH_OBJDUMP)
  get_filename_component(_torch_cpu_real "${NGBENCH_TORCH_CPU_LIB}" REALPATH)
  execute_process(COMMAND "${NGBENCH_OBJDUMP}" -p "${_torch_cpu_real}" OUTPUT_VARIABLE _dyn ERROR_QUIET)
  string(REGEX MATCHALL "NEEDED +lib(cudart|cupti)\\.so[.0-9]*" _needed "${_dyn}")
  set(_ldcache "")
  if(_needed AND NGBENCH_LDCONFIG)
    execute_process(COMMAND "${NGBENCH_LDCONFIG}" -p OUTPUT_VARIABLE _ldcache ERROR_QUIET)
  endif()
  foreach(_n IN LISTS _needed)
    string(REGEX REPLACE "NEEDED +" "" _so "${_n}")
    string(FIND "${_ldcache}" "\t${_so} " _at)
    if(_at GREATER -1)
      message(STATUS "CUDA runtime for libtorch: ${_so} from the system (dynamic loader)")
      continue()
    endif()
    file(GLOB _wheel_lib "${TORCH_ROOT}/../nvidia/*/lib/${_so}")
    if(NOT _wheel_lib)
      message(FATAL_ERROR "${_so}, which libtorch needs even on the CPU, was found neither by the dynamic loader "
                          "nor beside torch (${TORCH_ROOT}/../nvidia/*/lib): run scripts/setup.sh (installs it from "
                          "PyPI's NVIDIA runtime wheels into the project environment), or register a CUDA toolkit's "
                          "lib folder with the loader (/etc/ld.so.conf.d/, then ldconfig)")
    endif()
    list(GET _wheel_lib 0 _wheel_lib)
    get_filename_component(_dir "${_wheel_lib}" DIRECTORY)
    get_filename_component(_dir "${_dir}" ABSOLUTE)
    list(APPEND NGBENCH_CUDA_RUNTIME_RPATH "${_dir}")
    message(STATUS "CUDA runtime for libtorch: ${_so} from PyPI's NVIDIA wheel in ${_dir}")
  endforeach()
  list(REMOVE_DUPLICATES NGBENCH_CUDA_RUNTIME_RPATH)
  list(APPEND CMAKE_BUILD_RPATH ${NGBENCH_CUDA_RUNTIME_RPATH})
  list(APPEND CMAKE_INSTALL_RPATH ${NGBENCH_CUDA_RUNTIME_RPATH})
endif()
