# The project's Python environment: NGBENCH_PYTHON is the absolute path of its interpreter. CMake finds torch
# (libtorch), torchvision, onnxruntime and plotly through it, and `ngbench export` runs the export tool with it.
# scripts/setup.sh creates the environment (.venv/) and passes -DNGBENCH_PYTHON; otherwise, in order:
#   1. -DNGBENCH_PYTHON=/path/to/python, kept as given;
#   2. $NGBENCH_VENV/bin/python: one's own environment (a venv, or any prefix with bin/python);
#   3. <source>/.venv/bin/python, the environment scripts/setup.sh creates;
#   4. python3 on PATH (a machine set up by hand), with a note.
# 2-4 are looked up again on every configure. The path is not resolved through symbolic links: a venv's
# bin/python is a link to the base interpreter, and only the link knows the venv. find_package(Python3) is
# pointed at the same interpreter.
set(NGBENCH_PYTHON "" CACHE FILEPATH
    "Python interpreter of the project environment (default: \$NGBENCH_VENV/bin/python, .venv/bin/python, python3)")
if(NOT NGBENCH_PYTHON OR NGBENCH_PYTHON STREQUAL "${NGBENCH_PYTHON_AUTO}")
  if(DEFINED ENV{NGBENCH_VENV} AND NOT "$ENV{NGBENCH_VENV}" STREQUAL "")
    set(_py "$ENV{NGBENCH_VENV}/bin/python")
    if(NOT EXISTS "${_py}")
      message(FATAL_ERROR "NGBENCH_VENV='$ENV{NGBENCH_VENV}' has no bin/python: point it at a Python environment "
                          "(python3 -m venv DIR), or unset it to use .venv (scripts/setup.sh creates it)")
    endif()
    set(_how "\$NGBENCH_VENV")
  elseif(EXISTS "${PROJECT_SOURCE_DIR}/.venv/bin/python")
    set(_py "${PROJECT_SOURCE_DIR}/.venv/bin/python")
    set(_how ".venv")
  else()
    find_program(_ngbench_path_python3 NAMES python3 NO_CACHE)
    set(_py "${_ngbench_path_python3}")
    set(_how "python3 on PATH; run scripts/setup.sh for the project environment .venv")
  endif()
  get_filename_component(_py "${_py}" ABSOLUTE)
  set(NGBENCH_PYTHON "${_py}" CACHE FILEPATH "Python interpreter of the project environment" FORCE)
  set(NGBENCH_PYTHON_AUTO "${_py}" CACHE INTERNAL "NGBENCH_PYTHON as last looked up (not given by the user)")
else()
  set(_how "NGBENCH_PYTHON")
endif()

set(NGBENCH_PYTHON_VERSION "")
if(EXISTS "${NGBENCH_PYTHON}")
  execute_process(COMMAND "${NGBENCH_PYTHON}" -c "import sys; print('%d.%d.%d' % sys.version_info[:3])"
                  OUTPUT_VARIABLE NGBENCH_PYTHON_VERSION OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
if(NOT NGBENCH_PYTHON_VERSION)
  message(FATAL_ERROR "no working Python interpreter (NGBENCH_PYTHON='${NGBENCH_PYTHON}'): run scripts/setup.sh, "
                      "or set NGBENCH_VENV to a Python environment, or pass -DNGBENCH_PYTHON=<python>")
endif()
message(STATUS "Python environment: ${NGBENCH_PYTHON} (${NGBENCH_PYTHON_VERSION}, from ${_how})")
# FindPython uses an interpreter given this way as it is.
set(Python3_EXECUTABLE "${NGBENCH_PYTHON}" CACHE FILEPATH "Python 3 interpreter (NGBENCH_PYTHON)" FORCE)
