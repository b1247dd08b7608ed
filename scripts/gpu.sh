#!/usr/bin/env bash
# On a machine with an NVIDIA GPU and a CUDA libtorch (pip torch==2.11.0):
# build the CUDA flow, run every test (the gpu-labelled ones too), then measure.
#   scripts/gpu.sh OUT_DIR [--quick]
# Debian -dev libraries the machine lacks may be carried as .deb files in
# .deps/gpu-debs/ (see docs/gpu.md); they are unpacked into a private prefix.
# Writes to OUT_DIR: build.log, ctest.log, results.tar.gz (result JSON of every
# run), fixtures.tar.gz (raw traces of tiny models, for tests/attribution).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: scripts/gpu.sh OUT_DIR [--quick]}
QUICK=${2:-}
mkdir -p "$OUT"
B=build-gpu

if [ -d .deps/gpu-debs ]; then
  PREFIX=$PWD/.deps/gpu-prefix
  for f in .deps/gpu-debs/*.deb; do dpkg-deb -x "$f" "$PREFIX"; done
  export CMAKE_PREFIX_PATH=$PREFIX/usr
  export LD_LIBRARY_PATH=$PREFIX/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi

{
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
  cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNGBENCH_CUDA=ON ${NGBENCH_GPU_CMAKE_ARGS:-} &&
    cmake --build "$B" -j "$(nproc)" ${NGBENCH_GPU_TARGETS:+--target $NGBENCH_GPU_TARGETS}
} > "$OUT/build.log" 2>&1 || { tail -50 "$OUT/build.log"; exit 1; }
echo "build ok"

ctest --test-dir "$B" --output-on-failure -j 8 --timeout 600 ${NGBENCH_GPU_CTEST_ARGS:-} > "$OUT/ctest.log" 2>&1
tail -15 "$OUT/ctest.log"

R=$OUT/results
mkdir -p "$R"
run() { echo "+ ngbench run $*"; "$B/ngbench" run --out "$R" "$@" 2>&1 | grep -E "^==|latency|profiled|device|FAILED|error" ; }

# Recorded fixtures: raw traces of tiny models on the GPU, replayed by CPU-only tests.
"$B/ngbench" run --model gpt2-tiny,bert-tiny --device cuda --batch 2 --seq-len 16 --iters 5 --profile-iters 3 \
  --raw-trace --out "$OUT/fixtures" > /dev/null 2>&1
tar -czf "$OUT/fixtures.tar.gz" -C "$OUT" fixtures && rm -rf "$OUT/fixtures"

if [ "$QUICK" = "--quick" ]; then
  run --model gpt2,bert-base-uncased --device cuda --dtype float16 --batch 1,8 --iters 50 --profile-iters 10
else
  bench/gpu_matrix.sh "$B/ngbench" "$R" "${NGBENCH_GPU_DEVICE:-cuda}" ${NGBENCH_GPU_MODELS:-}
fi
tar -czf "$OUT/results.tar.gz" -C "$OUT" results && rm -rf "$R"
echo "done"
