#!/usr/bin/env bash
# Sets up, builds and runs every test. Tests labelled "gpu" are skipped on
# machines without an NVIDIA GPU.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
exclude=()
command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1 || exclude=(-LE gpu)
# Sequential: the end-to-end tests measure coverage and must not compete for the cores.
ctest --test-dir build --output-on-failure --timeout 900 "${exclude[@]}"
