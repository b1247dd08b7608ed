# Generates build_info.cc on every build, so results name the commit that was built,
# while only that one small file recompiles when the commit changes.
set(NGBENCH_BUILD_INFO_CC "${CMAKE_BINARY_DIR}/generated/build_info.cc")
add_custom_target(ngbench_build_info_gen
  COMMAND ${CMAKE_COMMAND}
          -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
          -DOUTPUT=${NGBENCH_BUILD_INFO_CC}
          -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
          -DTORCH_VERSION=${NGBENCH_TORCH_VERSION}
          -DVERSION=${PROJECT_VERSION}
          -P ${CMAKE_SOURCE_DIR}/cmake/WriteBuildInfo.cmake
  BYPRODUCTS ${NGBENCH_BUILD_INFO_CC}
  COMMENT "Recording git commit")
