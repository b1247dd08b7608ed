#!/usr/bin/env bash
# The paper's CPU-to-GPU comparison on one machine: every built-in model at
# batch 1 and 8, on the GPU (float16; MaskFormer float32 as the paper ran it)
# or on the CPU (float32), language models at the paper's sequence lengths and
# the 7B+ ones depth-scaled. Each configuration is a separate ngbench run with a
# time limit, so one failure or slow model never stops the rest.
#   bench/gpu_matrix.sh NGBENCH_BINARY OUT_DIR cuda|cpu [MODEL...]
set -uo pipefail
BIN=${1:?binary}; OUT=${2:?out dir}; DEV=${3:?cuda or cpu}; shift 3
ALL=(gpt2 gpt2-large gpt2-xl bert-base-uncased llama2-7b llama3.1-8b mixtral-8x7b
     vit_b_16 vit_l_16 vit_h_14 swin_t swin_s swin_b
     fasterrcnn_resnet50_fpn maskrcnn_resnet50_fpn detr-resnet-50 segformer-b0 maskformer-swin-base-coco)
MODELS=("${@:-${ALL[@]}}")
known=$("$BIN" list models | awk 'NR > 1 {print $1}')
BUDGET=${MATRIX_BUDGET_S:-100000}  # start no configuration after this many seconds
for m in "${MODELS[@]}"; do
  if (( SECONDS > BUDGET )); then echo "skip $m: time budget of ${BUDGET}s spent"; continue; fi
  grep -qx "$m" <<<"$known" || { echo "skip $m: not in this build"; continue; }
  args=(--model "$m" --device "$DEV" --out "$OUT")
  case "$m" in
    llama2-7b|llama3.1-8b) args+=(--layers 4) ;;
    mixtral-8x7b) args+=(--layers 2) ;;
  esac
  if [ "$DEV" = cuda ]; then
    dtype=float16; [[ "$m" == maskformer* ]] && dtype=float32
    args+=(--dtype "$dtype" --iters 30 --profile-iters 5)
    limit=150
  else
    args+=(--dtype float32 --warmup 1 --iters 3 --profile-iters 2)
    limit=240
  fi
  for b in 1 8; do
    echo "+ $m batch $b"
    timeout "$limit" "$BIN" run "${args[@]}" --batch "$b" 2>&1 |
      grep -E "^==|latency  median|device   busy|energy|FAILED|error" || echo "  (failed or timed out)"
  done
done
