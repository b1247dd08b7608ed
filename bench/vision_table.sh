#!/usr/bin/env bash
# The vision tables of bench/RESULTS.md on the CPU: classification and
# segmentation at batch 1 and 8, detection at batch 1, from the shipped
# photographs, sequentially.
#   bench/vision_table.sh OUTDIR [ALLOCATOR]
# Summary: python3 bench/results_table.py OUTDIR/{classification,detection}
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$1
ALLOCATOR=${2:-retain}
NG=${NGBENCH:-build/ngbench}
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) logical CPUs"
echo "ngbench $($NG --version); allocator $ALLOCATOR; output $OUT"
run() {  # run SUBDIR [ngbench run arguments]
  local sub=$1; shift
  echo "$(date -u +%FT%TZ) $* (load $(cut -d' ' -f1-3 /proc/loadavg))"
  $NG run "$@" --allocator "$ALLOCATOR" --out "$OUT/$sub" > /dev/null
}
run classification -m vit_b_16,swin_t,swin_s,swin_b,vit_l_16 -b 1,8 --warmup 2 --iters 10 --profile-iters 3
run classification -m segformer-b0 -b 1 --warmup 2 --iters 10 --profile-iters 3
run classification -m vit_h_14 -b 1,8 --warmup 1 --iters 3 --profile-iters 1
run classification -m maskformer-swin-base-coco -b 1 --warmup 1 --iters 3 --profile-iters 1
run detection -m fasterrcnn_resnet50_fpn,maskrcnn_resnet50_fpn,detr-resnet-50 -b 1 --warmup 1 --iters 5 --profile-iters 2
for sub in classification detection; do python3 bench/results_table.py "$OUT/$sub"; echo; done
