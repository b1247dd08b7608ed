#!/usr/bin/env bash
# The tests that run no libtorch kernels (core, taxonomy, attribution, reports,
# the ONNX reader and profile parser), built with AddressSanitizer and
# UndefinedBehaviorSanitizer in their own build directory, and run. CI runs it
# (.ci/run); it reuses scripts/setup.sh's dependencies.
#   scripts/sanitize.sh [BUILD_DIR]   (default: build-asan)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build-asan}
TESTS=(test_core test_taxonomy test_attribution test_report test_report_multi test_onnx)
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  # Warnings are the main build's business (CI: -Werror there): under -fsanitize, GCC's -Wmaybe-uninitialized
  # reports false positives inside libstdc++ (std::regex).
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNGBENCH_SANITIZE=ON \
        -DNGBENCH_WERROR=OFF -DNGBENCH_BUILD_BENCH=OFF > "$BUILD_DIR.configure.log" 2>&1 ||
    { cat "$BUILD_DIR.configure.log" >&2; exit 1; }
fi
cmake --build "$BUILD_DIR" -j "$(nproc)" --target "${TESTS[@]}"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
for t in "${TESTS[@]}"; do
  exe=$(find "$BUILD_DIR/tests" -type f -name "$t" -perm -u+x | head -n1)
  if "$exe" --gtest_brief=1 > "$BUILD_DIR/$t.log" 2>&1; then
    echo "sanitize: $t passed"
  else
    echo "sanitize: $t FAILED (log: $BUILD_DIR/$t.log)" >&2
    tail -n 40 "$BUILD_DIR/$t.log" >&2
    failed=1
  fi
done
exit $failed
