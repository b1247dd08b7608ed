#!/usr/bin/env bash
# Observer overhead and coverage on GPT-2 (batch 1, sequence 128, CPU), repeated,
# next to the Python torch.profiler (record_shapes=True) on the same libtorch.
#   bench/observer_overhead.sh [REPEATS] [THREADS]
# Needs: ${NGBENCH:-build/ngbench} (scripts/setup.sh); for the comparison, torch and transformers in the
# project environment (scripts/setup.sh installs them into .venv; $NGBENCH_PYTHON or $NGBENCH_VENV name another).
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS=${1:-5}
THREADS=${2:-2}
PY=${NGBENCH_PYTHON:-${NGBENCH_VENV:-.venv}/bin/python}
OUT=$(mktemp -d)
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) logical CPUs"
echo "ngbench $(${NGBENCH:-build/ngbench} --version)"
for i in $(seq "$REPEATS"); do
  ${NGBENCH:-build/ngbench} run --model gpt2 --batch 1 --seq-len 128 --threads "$THREADS" --warmup 5 --iters 30 \
    --profile-iters 30 --out "$OUT/$i" > /dev/null
  python3 - "$(ls "$OUT/$i"/gpt2__eager__cpu__*.json)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
b = r["breakdown"]
print(f"ngbench  timed median {r['latency_ms']['median']:8.2f} ms  profiled median "
      f"{b['profiled_ms']['median']:8.2f} ms  overhead {100 * (r['overhead'] - 1):+6.2f}%  "
      f"coverage {100 * b['coverage']:6.2f}%")
PY
done
if "$PY" -c "import torch, transformers" 2>/dev/null; then
  for i in $(seq "$REPEATS"); do "$PY" bench/torch_profiler_gpt2.py --threads "$THREADS"; done
else
  echo "torch.profiler comparison skipped: $PY cannot import torch and transformers (run scripts/setup.sh)"
fi
rm -rf "$OUT"
