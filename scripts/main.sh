#!/usr/bin/env bash
# The main job: set up, build ngbench (that target only: scripts/test.sh builds the rest), then profile GPT-2 and
# BERT on the CPU at batch 1 (each at its default sequence length), print their breakdowns and write the results
# (JSON and CSV) to results/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build ngbench
./build/ngbench run --model gpt2,bert-base-uncased --batch 1 --device cpu --out results "$@"
