#!/usr/bin/env bash
# The tool's stability verdict on the README's main job (GPT-2 and BERT, batch 1, CPU), twice: on a quiet
# machine, then with a deliberate load (one busy process per logical CPU, started before and killed after).
# The quiet run should pass the check and the loaded one be flagged.
#   bench/stability_check.sh [OUT_DIR] [RUN OPTIONS...]   (default: a temporary directory; options such as
#                                                          --max-time 60 are passed to both runs)
# Needs: ${NGBENCH:-build/ngbench} (scripts/main.sh or scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
NGBENCH=${NGBENCH:-build/ngbench}
OUT=${1:-$(mktemp -d)}
shift || true
mkdir -p "$OUT"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) logical CPUs; $("$NGBENCH" --version)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run() {
  "$NGBENCH" run --model gpt2,bert-base-uncased --batch 1 --out "$OUT/$1" --quiet "${@:2}" > "$OUT/$1.log" 2>&1 || true
}
run quiet "$@"
pids=()
for _ in $(seq "$(nproc)"); do (while :; do :; done) & pids+=($!); done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
sleep 2
run loaded "$@"
kill "${pids[@]}" 2>/dev/null || true
wait 2>/dev/null || true
PY=python3
[ -x .venv/bin/python ] && PY=.venv/bin/python
for phase in quiet loaded; do
  echo
  echo "## $phase"
  "$PY" - "$OUT/$phase" <<'EOF2'
import glob, json, sys
for f in sorted(glob.glob(sys.argv[1] + "/*.json")):
    r = json.load(open(f))
    c, s, l = r["config"], r["stability"], r["latency_ms"]
    print(f"- {c['model']}: median {l['median']:.1f} ms (95% interval +-{100 * s['median_ci_rel']:.1f}%, "
          f"{len(l['samples'])} samples), other load {s['other_load_cpus']:.2f} CPUs, overhead "
          f"{100 * (r['overhead'] - 1):+.1f}%, coverage {100 * r['breakdown']['coverage']:.1f}%, "
          f"non-GEMM {100 * r['summary']['non_gemm_share']:.1f}%: **{s['verdict']}**")
    for why in s["reasons"]:
        print(f"  - {why}")
EOF2
done
echo "results in $OUT"
