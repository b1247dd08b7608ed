#!/usr/bin/env bash
# The language-model table of bench/RESULTS.md: every NLP model at batch 1 on
# the CPU, the 7B+ models depth-scaled, sequentially.
#   bench/lm_table.sh OUTDIR [ALLOCATOR] [MODEL...]   (default: all seven models)
# Summary: python3 bench/results_table.py OUTDIR
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$1
ALLOCATOR=${2:-retain}
shift $(( $# < 2 ? $# : 2 ))
NG=${NGBENCH:-build/ngbench}
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) logical CPUs"
echo "ngbench $($NG --version); allocator $ALLOCATOR; output $OUT"
declare -A ARGS=(
  [gpt2]="--seq-len 256"
  [gpt2-large]="--seq-len 256"
  [bert-base-uncased]="--seq-len 128"
  [gpt2-xl]="--seq-len 512 --iters 5 --profile-iters 3 --warmup 1"
  [llama2-7b]="--seq-len 2048 --layers 2 --iters 3 --profile-iters 2 --warmup 1"
  [llama3.1-8b]="--seq-len 2048 --layers 2 --iters 3 --profile-iters 2 --warmup 1"
  [mixtral-8x7b]="--seq-len 2048 --layers 1 --iters 3 --profile-iters 2 --warmup 1"
)
MODELS=("$@")
(( ${#MODELS[@]} )) || MODELS=(gpt2 gpt2-large gpt2-xl bert-base-uncased llama2-7b llama3.1-8b mixtral-8x7b)
for m in "${MODELS[@]}"; do
  echo "$(date -u +%FT%TZ) $m ${ARGS[$m]} (load $(cut -d' ' -f1-3 /proc/loadavg))"
  # shellcheck disable=SC2086
  $NG run --model "$m" --batch 1 ${ARGS[$m]} --allocator "$ALLOCATOR" --out "$OUT" > /dev/null
done
python3 bench/results_table.py "$OUT"
