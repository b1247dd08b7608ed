# Uses ccache when it is installed. Precompiled headers need the sloppiness
# settings below, otherwise ccache never hits on translation units that use one.
find_program(NGBENCH_CCACHE ccache)
if(NGBENCH_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      ${CMAKE_COMMAND} -E env
      "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
      ${NGBENCH_CCACHE})
endif()
