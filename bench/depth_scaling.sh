#!/usr/bin/env bash
# Depth-scaling validation (issue: language models): gpt2-large profiled with
# --layers N and extrapolated to its 36 layers, against the full 36-layer model,
# in interleaved rounds (N-layer, full, full, N-layer, ...) so that drift in the
# machine's speed falls on both sides alike.
#   bench/depth_scaling.sh [ROUNDS] [LAYERS] [THREADS] [OUTDIR] [ALLOCATOR]
# Summary: python3 bench/depth_scaling.py OUTDIR
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-6}
LAYERS=${2:-4}
THREADS=${3:-0}
OUT=${4:-$(mktemp -d)}
ALLOCATOR=${5:-retain}
NG=${NGBENCH:-build/ngbench}
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) logical CPUs"
echo "ngbench $($NG --version); output $OUT"
run() {  # run NAME [extra args]
  local name=$1; shift
  echo "$(date -u +%FT%TZ) $name (load $(cut -d' ' -f1-3 /proc/loadavg))"
  $NG run --model gpt2-large --batch 1 --seq-len 256 --threads "$THREADS" --warmup 2 --iters 10 --profile-iters 5 \
    --allocator "$ALLOCATOR" "$@" --out "$OUT/$name" > /dev/null
}
for i in $(seq "$ROUNDS"); do
  if (( i % 2 )); then
    run "r$i-l$LAYERS" --layers "$LAYERS"; run "r$i-full"
  else
    run "r$i-full"; run "r$i-l$LAYERS" --layers "$LAYERS"
  fi
done
python3 bench/depth_scaling.py "$OUT"
