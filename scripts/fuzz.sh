#!/usr/bin/env bash
# The libFuzzer targets of fuzz/ (fuzz/README.md): one per parser of outside
# input, built with clang, ASan and UBSan in their own build directory, each
# seeded from the test fixtures that parser reads.
#   scripts/fuzz.sh smoke [SECONDS]          build, then run every target SECONDS (default 20) from its seeds;
#                                            fails on any crash, sanitizer report, escaping exception, hang or OOM
#   scripts/fuzz.sh campaign HOURS [TARGET...]  the long campaign: HOURS in total, split evenly across the targets
#                                            (default: all), run in turns of at most 5 minutes at nice 19; before
#                                            each turn it waits while /tmp/ngbench-quiet exists, and a turn under
#                                            way ends early when that file appears. Corpora grow in .fuzz/corpus/
#                                            (git-ignored) from run to run; crashes go to .fuzz/artifacts/, one
#                                            line per turn to .fuzz/campaign.tsv; a target that crashes leaves
#                                            the rotation and the campaign exits non-zero at its end.
#   scripts/fuzz.sh build                    build only
#   scripts/fuzz.sh run TARGET [ARGS...]     one target on its campaign corpus and seeds, libFuzzer ARGS added;
#                                            given files (a crash input), replays them
# Environment: NGBENCH_FUZZ_BUILD (build directory, default build-fuzz), NGBENCH_FUZZ_DIR (corpora, default .fuzz),
# NGBENCH_WERROR (warnings as errors, as in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${NGBENCH_FUZZ_BUILD:-build-fuzz}
STATE=${NGBENCH_FUZZ_DIR:-.fuzz}
QUIET_FILE=/tmp/ngbench-quiet
TURN_S=300
TARGETS=(taxonomy result raw_trace ort_profile onnx onnx_shape image proc_stat aoti_sidecar aoti_provenance)
# Per input: a unit slower than this is a hang; more memory than this is unbounded memory.
LIBFUZZER_ARGS=(-timeout=25 -rss_limit_mb=2048 -print_final_stats=1)
# The campaign runs at nice 19 on a shared machine, where libFuzzer's wall-clock timeout also measures how long
# the process waited for a CPU: a unit that takes 0.7 s of CPU timed out after 30 s under a load of 7.
CAMPAIGN_ARGS=(-timeout=180 -rss_limit_mb=2048 -print_final_stats=1)

# The files a target is seeded from: the fixtures its parser reads in the tests, and fuzz/seeds/<target>/.
seed_files() {
  case $1 in
    taxonomy) ls taxonomy/*.json ;;
    result) ls tests/report/fixtures/results/*.json tests/report/fixtures/compare/*.json \
               tests/report/fixtures/v1/*.json tests/cli/golden/*.json ;;
    raw_trace) ls tests/attribution/data/*.json ;;
    ort_profile) ls tests/backends/ort/data/*.ort-profile.json ;;
    onnx) ls tests/backends/ort/data/*.onnx ;;
    image) ls data/images/*.png data/images/*.jpg ;;
    aoti_sidecar) ls tests/backends/inductor/data/*.sidecar.json ;;
    aoti_provenance) ls tests/backends/inductor/data/*.kernel_information.json ;;
  esac
  if [ -d "fuzz/seeds/$1" ]; then find "fuzz/seeds/$1" -type f ! -name '*.md'; fi
}

# Assembles a target's seeds in a directory of their own (libFuzzer reads directories).
seed_dir() {
  local t=$1 dir=$BUILD_DIR/seeds/$1
  rm -rf "$dir"
  mkdir -p "$dir"
  seed_files "$t" | while read -r f; do cp "$f" "$dir/$(echo "$f" | tr / _)"; done
  if [ "$t" = proc_stat ]; then
    cp /proc/stat "$dir/proc_stat" 2>/dev/null || true
    cat /proc/self/stat > "$dir/proc_self_stat" 2>/dev/null || true
  fi
  echo "$dir"
}

# libFuzzer's dictionary of a target: tokens of its input format.
dict_args() {
  case $1 in
    taxonomy | result | raw_trace | ort_profile | aoti_sidecar | aoti_provenance) echo "-dict=fuzz/json.dict" ;;
    image) echo "-dict=fuzz/image.dict" ;;
  esac
}

build() {
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    command -v clang++ > /dev/null || { echo "fuzz: clang++ not found (Debian: apt-get install clang)" >&2; exit 1; }
    mkdir -p "$BUILD_DIR"
    # -O1 and assertions on (no NDEBUG), as libFuzzer's documentation advises; line tables for the stack traces.
    CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DNGBENCH_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DNGBENCH_WERROR="${NGBENCH_WERROR:-OFF}" \
      > "$BUILD_DIR/configure.log" 2>&1 || { cat "$BUILD_DIR/configure.log" >&2; exit 1; }
  fi
  local jobs
  jobs=$(nproc)
  [ "$jobs" -gt 2 ] && jobs=2  # this machine is shared: never more than two compilers
  cmake --build "$BUILD_DIR" -j "$jobs" > "$BUILD_DIR/build.log" 2>&1 || { tail -n 60 "$BUILD_DIR/build.log" >&2; exit 1; }
}

# The last "cov: ... ft: ... corp: ..." line of a libFuzzer log and its executions, as tab-separated fields.
log_stats() {
  local log=$1 line execs
  line=$(grep -aE '^#[0-9]+.*cov: ' "$log" | tail -n1 || true)
  execs=$(grep -a 'stat::number_of_executed_units:' "$log" | awk '{print $2}' | tail -n1 || true)
  [ -n "$execs" ] || execs=$(echo "$line" | sed -nE 's/^#([0-9]+).*/\1/p')
  printf '%s\t%s\t%s\t%s' "${execs:-0}" "$(echo "$line" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')" \
    "$(echo "$line" | sed -nE 's/.*ft: ([0-9]+).*/\1/p')" "$(echo "$line" | sed -nE 's/.*corp: ([0-9]+).*/\1/p')"
}

smoke() {
  local seconds=${1:-20} failed=0 start t
  start=$(date +%s)
  build
  echo "fuzz: built in $(($(date +%s) - start)) s; each target runs ${seconds} s"
  for t in "${TARGETS[@]}"; do
    local dir=$BUILD_DIR/smoke/$t seeds log
    rm -rf "$dir"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    seeds=$(seed_dir "$t")
    log=$dir/fuzz.log
    # shellcheck disable=SC2046
    if "$BUILD_DIR/fuzz/${t}_fuzzer" "${LIBFUZZER_ARGS[@]}" -max_total_time="$seconds" $(dict_args "$t") \
         -artifact_prefix="$dir/artifacts/" "$dir/corpus" "$seeds" > "$log" 2>&1; then
      IFS=$'\t' read -r execs cov ft corp <<< "$(log_stats "$log")"
      echo "fuzz: $t passed ($execs runs, cov $cov, ft $ft, corpus $corp)"
    else
      echo "fuzz: $t FAILED (log: $log; input: $(ls "$dir/artifacts" | head -n1))" >&2
      grep -aE 'ERROR|runtime error|what\(\)|SUMMARY' "$log" | head -n 5 >&2 || true
      failed=1
    fi
  done
  echo "fuzz: smoke took $(($(date +%s) - start)) s"
  return $failed
}

campaign() {
  local hours=${1:?usage: scripts/fuzz.sh campaign HOURS [TARGET...]}
  shift
  local targets=("${TARGETS[@]}")
  [ $# -gt 0 ] && targets=("$@")
  build
  mkdir -p "$STATE/logs"
  [ -f "$STATE/campaign.tsv" ] ||
    printf 'end\ttarget\tseconds\texecutions\tcov\tft\tcorpus_units\tcorpus_files\tcorpus_bytes\tstatus\n' \
      > "$STATE/campaign.tsv"
  declare -A left
  local t per
  per=$(awk -v h="$hours" -v n="${#targets[@]}" 'BEGIN { printf "%d", h * 3600 / n }')
  for t in "${targets[@]}"; do left[$t]=$per; done
  local crashed=() active=1
  echo "fuzz: campaign of $hours h, $per s per target, turns of at most $TURN_S s (log: $STATE/campaign.tsv)"
  while [ $active -eq 1 ]; do
    active=0
    for t in "${targets[@]}"; do
      [ "${left[$t]}" -gt 0 ] || continue
      active=1
      while [ -e "$QUIET_FILE" ]; do sleep 10; done
      local turn=$TURN_S seeds log rc began now
      [ "${left[$t]}" -lt "$turn" ] && turn=${left[$t]}
      mkdir -p "$STATE/corpus/$t" "$STATE/artifacts/$t"
      seeds=$(seed_dir "$t")
      log=$STATE/logs/$t-$(date +%Y%m%dT%H%M%S).log
      began=$(date +%s)
      # shellcheck disable=SC2046
      nice -n 19 "$BUILD_DIR/fuzz/${t}_fuzzer" "${CAMPAIGN_ARGS[@]}" -max_total_time="$turn" $(dict_args "$t") \
        -artifact_prefix="$STATE/artifacts/$t/" "$STATE/corpus/$t" "$seeds" > "$log" 2>&1 &
      local pid=$! status=ok
      # A quiet period starting mid-turn ends the turn (libFuzzer exits on SIGINT, keeping its corpus).
      while kill -0 "$pid" 2> /dev/null; do
        if [ -e "$QUIET_FILE" ]; then
          kill -INT "$pid" 2> /dev/null || true
          status=interrupted
          break
        fi
        sleep 2
      done
      rc=0
      wait "$pid" || rc=$?
      now=$(date +%s)
      left[$t]=$((left[$t] - (now - began)))
      if [ $rc -ne 0 ] && [ "$status" != interrupted ]; then
        status="crash rc=$rc: $(ls -t "$STATE/artifacts/$t" | head -n1)"
        crashed+=("$t")
        left[$t]=0
        echo "fuzz: $t FAILED ($status; log: $log)" >&2
      fi
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$((now - began))" "$(log_stats "$log")" \
        "$(find "$STATE/corpus/$t" -type f | wc -l)" "$(du -sb "$STATE/corpus/$t" | cut -f1)" "$status" \
        >> "$STATE/campaign.tsv"
    done
  done
  echo "fuzz: campaign done; totals per target:"
  awk -F'\t' 'NR > 1 { s[$2] += $3; e[$2] += $4; c[$2] = $5; f[$2] = $6; n[$2] = $8 }
              END { for (t in s) printf "  %-12s %6.2f h  %12d runs  cov %s  ft %s  corpus %s files\n",
                                         t, s[t] / 3600, e[t], c[t], f[t], n[t] }' "$STATE/campaign.tsv"
  if [ ${#crashed[@]} -gt 0 ]; then
    echo "fuzz: crashed: ${crashed[*]} (inputs in $STATE/artifacts/)" >&2
    return 1
  fi
}

run_one() {
  local t=${1:?usage: scripts/fuzz.sh run TARGET [ARGS...]}
  shift
  build
  # Files (a crash input): replayed, nothing else.
  if [ $# -gt 0 ] && [ -f "$1" ]; then exec "$BUILD_DIR/fuzz/${t}_fuzzer" "$@"; fi
  mkdir -p "$STATE/corpus/$t" "$STATE/artifacts/$t"
  local seeds
  seeds=$(seed_dir "$t")
  # shellcheck disable=SC2046
  exec "$BUILD_DIR/fuzz/${t}_fuzzer" "${LIBFUZZER_ARGS[@]}" $(dict_args "$t") \
    -artifact_prefix="$STATE/artifacts/$t/" "$@" "$STATE/corpus/$t" "$seeds"
}

case ${1:-} in
  smoke) shift; smoke "$@" ;;
  campaign) shift; campaign "$@" ;;
  build) build ;;
  run) shift; run_one "$@" ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
