# Compiler warnings (and sanitizers) for ngbench's own code: ngbench::warnings, an interface
# target that ngbench_core carries PUBLIC, so every target of ours (they all
# link core) compiles with them. libtorch's and ONNX Runtime's headers are
# included as SYSTEM headers, so their warnings stay theirs.
# NGBENCH_WERROR=ON turns every warning into an error; its default comes from
# the environment variable of the same name (CI: .ci/run sets it).
set(_ngbench_werror_default OFF)
if("$ENV{NGBENCH_WERROR}" MATCHES "^(ON|1|TRUE|YES)$")
  set(_ngbench_werror_default ON)
endif()
option(NGBENCH_WERROR "Treat compiler warnings as errors (CI)" ${_ngbench_werror_default})
add_library(ngbench_warnings INTERFACE)
add_library(ngbench::warnings ALIAS ngbench_warnings)
# -Wno-missing-field-initializers: our config and result structs carry in-class
# defaults by design, and brace-initializing their leading fields is idiomatic.
target_compile_options(ngbench_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wno-missing-field-initializers $<$<BOOL:${NGBENCH_WERROR}>:-Werror>>)

# NGBENCH_SANITIZE=ON: AddressSanitizer and UndefinedBehaviorSanitizer on our
# code (scripts/sanitize.sh builds the tests that need no libtorch kernels with it).
option(NGBENCH_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(NGBENCH_SANITIZE)
  target_compile_options(ngbench_warnings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                    -fno-sanitize-recover=undefined)
  target_link_options(ngbench_warnings INTERFACE -fsanitize=address,undefined)
endif()

# NGBENCH_FUZZ=ON (fuzz/, clang only): libFuzzer's coverage instrumentation, AddressSanitizer and
# UndefinedBehaviorSanitizer on our code; the fuzz targets link libFuzzer's main (-fsanitize=fuzzer).
if(NGBENCH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "NGBENCH_FUZZ needs clang (libFuzzer): configure with CXX=clang++ (scripts/fuzz.sh does)")
  endif()
  target_compile_options(ngbench_warnings INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                                                    -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(ngbench_warnings INTERFACE -fsanitize=address,undefined)
endif()
