#!/usr/bin/env bash
# The LLM decode table of bench/RESULTS.md: prefill and decode of gpt2 and llama2-7b (one layer, depth-scaled) on
# the CPU at a short and a long context, 32 generated tokens, repeated REPEATS times into OUTDIR/rep<k>.
#   bench/decode.sh OUTDIR [REPEATS]        (default 2)
# Summary: python3 bench/decode_table.py OUTDIR/rep*
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$1
REPEATS=${2:-2}
NG=${NGBENCH:-build/ngbench}
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) logical CPUs"
echo "ngbench $($NG --version); output $OUT, $REPEATS repeats"
# gpt2 has 1024 positions: a 1024-token context leaves none to generate into, so its long context is 992 (+ 32).
RUNS=(
  "--model gpt2 --seq-len 128,992 --iters 10 --profile-iters 4"
  "--model llama2-7b --layers 1 --seq-len 128,1024 --iters 6 --profile-iters 2 --warmup 1"
)
for k in $(seq 1 "$REPEATS"); do
  for args in "${RUNS[@]}"; do
    echo "$(date -u +%FT%TZ) rep $k: $args (load $(cut -d' ' -f1-3 /proc/loadavg))"
    # shellcheck disable=SC2086
    $NG run $args --phase prefill,decode --gen-tokens 32 --quiet --out "$OUT/rep$k" > /dev/null
  done
done
python3 bench/decode_table.py "$OUT"/rep*
