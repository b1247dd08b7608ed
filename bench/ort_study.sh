#!/usr/bin/env bash
# The ONNX Runtime measurements of bench/RESULTS.md ("ONNX Runtime (CPU)"): the fusion study (which includes the
# ORT_ENABLE_ALL breakdown of `run --flow ort`) of gpt2, bert-base-uncased, vit_b_16, swin_t and segformer-b0 at
# batch 1, and libtorch eager on gpt2 and bert on the same inputs, REPS times each; then bench/ort_summary.py
# prints the medians over repetitions.
#   bench/ort_study.sh [BUILD_DIR] [REPS] [OUT]     (defaults: build 3 results/ort-study)
# Needs the exports: build/ngbench export --model M --format onnx, for each model above.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
REPS=${2:-3}
OUT=${3:-results/ort-study}
for m in gpt2 bert-base-uncased vit_b_16 swin_t segformer-b0; do
  [ -f "onnx/$m.onnx" ] || { echo "onnx/$m.onnx missing: run $BUILD/ngbench export --model $m --format onnx" >&2; exit 2; }
done
for r in $(seq 1 "$REPS"); do
  d="$OUT/rep$r"
  "$BUILD/ngbench" fusion --model gpt2,bert-base-uncased --batch 1 --out "$d/fusion"
  for m in vit_b_16 swin_t segformer-b0; do
    "$BUILD/ngbench" fusion --onnx "onnx/$m.onnx" --batch 1 --out "$d/fusion"
  done
  "$BUILD/ngbench" run --model gpt2,bert-base-uncased --flow eager --batch 1 --out "$d/eager"
done
python3 bench/ort_summary.py "$OUT"
