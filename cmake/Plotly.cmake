# Finds plotly.js as PyPI's `plotly` package ships it
# (site-packages/plotly/package_data/plotly.min.js) in the project environment
# (NGBENCH_PYTHON, cmake/Python.cmake), for `ngbench html`, which inlines it so
# the report works offline. Sets NGBENCH_PLOTLY_JS to the file, or to "" when
# plotly is not installed there (then `ngbench html` says how to get it, or to
# set NGBENCH_PLOTLY_JS at run time). Looked up on every configure: installing
# plotly and re-running cmake finds it. importlib's find_spec locates the
# package without importing it.
set(NGBENCH_PLOTLY_JS "")
if(NGBENCH_PYTHON)
  set(_find_plotly [=[
import importlib.util, os
s = importlib.util.find_spec("plotly")
if s is not None and s.submodule_search_locations:
    p = os.path.join(list(s.submodule_search_locations)[0], "package_data", "plotly.min.js")
    if os.path.isfile(p):
        print(p, end="")
]=])
  execute_process(COMMAND "${NGBENCH_PYTHON}" -c "${_find_plotly}"
                  OUTPUT_VARIABLE _plotly_js RESULT_VARIABLE _plotly_rc ERROR_QUIET)
  if(_plotly_rc EQUAL 0 AND EXISTS "${_plotly_js}")
    set(NGBENCH_PLOTLY_JS "${_plotly_js}")
  endif()
endif()
if(NGBENCH_PLOTLY_JS)
  message(STATUS "plotly.js for ngbench html: ${NGBENCH_PLOTLY_JS}")
else()
  message(STATUS "plotly.js for ngbench html: not found in ${NGBENCH_PYTHON}'s environment (scripts/setup.sh installs plotly)")
endif()
