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

