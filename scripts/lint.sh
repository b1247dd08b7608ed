#!/usr/bin/env bash
# The naming convention (docs/style.md, .clang-tidy) checked with clang-tidy on
# every source of ours that does not include libtorch or ONNX Runtime (those
# take minutes each to parse; their names follow the same rules by review).
#   scripts/lint.sh [BUILD_DIR]   (default: build; needs its compile_commands.json)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
command -v clang-tidy >/dev/null || { echo "lint: clang-tidy not found; install Debian's clang-tidy" >&2; exit 2; }
[ -f "$BUILD_DIR/compile_commands.json" ] || { echo "lint: $BUILD_DIR/compile_commands.json missing; run scripts/setup.sh first" >&2; exit 2; }
# Sources that include neither libtorch nor ONNX Runtime, directly or through a header of ours.
mapfile -t files < <(git ls-files 'src/*.cc' | while read -r f; do
  grep -qE '#include <(torch|ATen|c10|onnxruntime)' "$f" && continue
  grep -qE '#include "(models/model|models/text_model|observer/observer|backends/ort/ort_inputs)\.h"' "$f" && continue
  case "$f" in src/models/*|src/observer/*|src/backends/cuda/*) continue ;; esac
  echo "$f"
done)
echo "lint: clang-tidy (naming) on ${#files[@]} files"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$BUILD_DIR" --quiet > "$log" 2>/dev/null || true
n=$(grep -c -E '(error|warning): ' "$log" || true)
if [ "$n" -gt 0 ]; then
  grep -A2 -E '(error|warning): ' "$log" >&2
  echo "lint: $n naming finding(s)" >&2
  exit 1
fi
echo "lint: naming ok"
