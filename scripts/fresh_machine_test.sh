#!/usr/bin/env bash
# The README's setup on a fresh machine: a minimal Debian bookworm root filesystem (debootstrap --variant=minbase,
# cached between runs), the repository's committed state (git archive HEAD) copied into it, then, in a chroot:
#   1. scripts/main.sh                        (the README's first command: set up, build ngbench, GPT-2 and BERT)
#   2. scripts/test.sh                        (the second: build everything, every test; gpu-labelled ones skip)
#   3. build/ngbench run --flow ort --model gpt2     (exported on first use), then once more (the export reused)
#   4. build/ngbench html
# and reports each step's time and result (a table on stdout and in WORK/report.md, logs beside it).
#   sudo scripts/fresh_machine_test.sh [WORK]   (default WORK: /var/tmp/ngbench-fresh; needs root, ~15 GB, ~1 h)
# Not run in CI (too slow); record its result in bench/RESULTS.md.
#
# Package registries are reached the way this machine reaches them: its apt sources (active *.list / *.sources
# and the keyrings they name), its apt settings that concern downloads (Acquire::*, e.g. a proxy), its pip
# configuration files and PIP_* variables, and the proxy variables are read at run time and passed in. Nothing
# about a registry is written in the repository. The base root filesystem is cached in
# ${NGBENCH_FRESH_CACHE:-/var/cache/ngbench-fresh}; each run starts from a pristine copy of it.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
WORK=${1:-/var/tmp/ngbench-fresh}
CACHE=${NGBENCH_FRESH_CACHE:-/var/cache/ngbench-fresh}
SUITE=bookworm
R=$WORK/root
say() { printf '[fresh] %s\n' "$*"; }
die() { printf '[fresh] %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mounts): run it with sudo"
git -C "$REPO" rev-parse HEAD > /dev/null 2>&1 || die "$REPO is not a git checkout"
COMMIT=$(git -C "$REPO" rev-parse --short HEAD)
[ -n "$(git -C "$REPO" status --porcelain --untracked-files=no)" ] &&
  say "note: the working tree has uncommitted changes; the test uses the committed state ($COMMIT)"

# The host's Debian mirror for debootstrap: the first bookworm source that is not a security mirror.
mirror=$( { cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
    /^URIs:/ {u = $2} /^Suites:/ {s = $0} /^$/ {if (u && s ~ /bookworm( |$)/ && u !~ /security/) print u; u = s = ""}
    END {if (u && s ~ /bookworm( |$)/ && u !~ /security/) print u}'
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {if ($(i+1) == "bookworm") print $i; break}}' |
    grep -v security; } | head -n1)
[ -n "$mirror" ] || die "no Debian bookworm mirror in this machine's apt sources (/etc/apt/sources.list*): the test builds a bookworm system with it"
# apt's proxy, if it has one, for debootstrap (which reads http_proxy).
apt_proxy=$(apt-config shell P Acquire::http::Proxy 2>/dev/null | sed -n "s/^P='\(.*\)'$/\1/p")
[ -n "$apt_proxy" ] && export http_proxy=${http_proxy:-$apt_proxy}

cleanup() {
  for m in dev/pts dev/shm dev sys proc; do
    mountpoint -q "$R/$m" 2>/dev/null && { umount -R "$R/$m" 2>/dev/null || umount -l "$R/$m"; }
  done
}
trap cleanup EXIT

declare -a names=() times=() results=()
record() { names+=("$1"); times+=("$2"); results+=("$3"); }

# 0. The base root filesystem (cached), then a fresh copy for this run.
t0=$SECONDS
if [ ! -f "$CACHE/$SUITE-minbase.ok" ]; then
  command -v debootstrap > /dev/null || {
    say "installing debootstrap (apt-get)"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap; } > "$WORK.debootstrap-apt.log" 2>&1 ||
      die "could not install debootstrap (log: $WORK.debootstrap-apt.log)"
  }
  say "debootstrap --variant=minbase $SUITE from $mirror into $CACHE/$SUITE-minbase (cached for later runs)"
  rm -rf "$CACHE/$SUITE-minbase"; mkdir -p "$CACHE"
  debootstrap --variant=minbase "$SUITE" "$CACHE/$SUITE-minbase" "$mirror" > "$CACHE/debootstrap.log" 2>&1 ||
    die "debootstrap failed (log: $CACHE/debootstrap.log)"
  touch "$CACHE/$SUITE-minbase.ok"
  base_how="debootstrap"
else
  base_how="cached"
fi
# A run that was killed may have left its mounts: never delete through them.
cleanup
grep -q " $WORK/" /proc/mounts && die "something is still mounted under $WORK (see /proc/mounts): unmount it first"
rm -rf --one-file-system "$WORK"; mkdir -p "$WORK"
cp -a "$CACHE/$SUITE-minbase" "$R"
record "root filesystem: minbase $SUITE ($base_how), copied" $((SECONDS - t0)) ok

# The host's registry configuration, read now.
mkdir -p "$R/etc/apt/sources.list.d" "$R/etc/apt/apt.conf.d" "$R/root/.config/pip"
rm -f "$R/etc/apt/sources.list" "$R"/etc/apt/sources.list.d/*
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  cp "$f" "$R$f"
  # The keyrings these sources name.
  grep -oE '(Signed-By:|signed-by=)[[:space:]]*/[^] ]+' "$f" | sed -E 's/^(Signed-By:|signed-by=)[[:space:]]*//' |
    while read -r k; do [ -f "$k" ] && [ ! -e "$R$k" ] && install -D -m 644 "$k" "$R$k"; done
done
for f in /etc/apt/apt.conf /etc/apt/apt.conf.d/*; do
  [ -f "$f" ] && grep -q "Acquire" "$f" && cp "$f" "$R$f"
done
for f in /etc/pip.conf /etc/xdg/pip/pip.conf "$HOME/.config/pip/pip.conf" "$HOME/.pip/pip.conf"; do
  [ -f "$f" ] && install -D -m 644 "$f" "$R${f/#$HOME//root}"
done
cp /etc/resolv.conf "$R/etc/resolv.conf"
envs=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TERM=dumb)
while IFS= read -r v; do envs+=("$v"); done < <(env | grep -E '^(PIP_[A-Z_]+|https?_proxy|HTTPS?_PROXY|no_proxy|NO_PROXY)=' || true)
# The certificate bundle pip is told to use (PIP_CERT, else pip's cert setting) goes in as it is on this machine
# (it may hold the CA of a TLS-inspecting proxy that the fresh system's ca-certificates lacks); PIP_CERT points there.
cert=${PIP_CERT:-$(python3 -m pip config list 2>/dev/null | sed -n "s/^[a-z:]*\.cert='\(.*\)'$/\1/p" | head -n1)}
if [ -n "$cert" ] && [ -f "$cert" ]; then
  install -D -m 644 "$cert" "$R/etc/ngbench-fresh/pip-cert.pem"
  e=(); for v in "${envs[@]}"; do [[ $v == PIP_CERT=* ]] || e+=("$v"); done
  envs=("${e[@]}" PIP_CERT=/etc/ngbench-fresh/pip-cert.pem)
fi

# The repository's committed state.
mkdir -p "$R/root/ngbench"
git -C "$REPO" archive HEAD | tar -x -C "$R/root/ngbench"

mount -t proc proc "$R/proc"
mount --rbind /sys "$R/sys" && mount --make-rslave "$R/sys"
mount --rbind /dev "$R/dev" && mount --make-rslave "$R/dev"

inside() { chroot "$R" /usr/bin/env -i "${envs[@]}" bash -c "cd /root/ngbench && $1"; }
step() {  # step NAME COMMAND: runs it inside, logs to WORK/NN.log, records time and result
  local n=$((${#names[@]})) t=$SECONDS rc
  local log; log=$WORK/$(printf '%02d' "$n")-$(tr -c 'a-zA-Z0-9\n' '-' <<< "$1" | tr -s '-' | sed 's/-$//').log
  say "$1 ..."
  inside "$2" > "$log" 2>&1; rc=$?
  local r=ok; [ $rc -eq 0 ] || r="FAILED (exit $rc)"
  record "$1" $((SECONDS - t)) "$r"
  say "$1: $r in $((SECONDS - t)) s (log: $log)"
  return $rc
}

mb_before=$(du -sm --one-file-system "$R" | cut -f1)
step "scripts/main.sh" "scripts/main.sh"
main_rc=$?
step "scripts/test.sh" "scripts/test.sh"
if [ $main_rc -eq 0 ]; then
  # The ONNX Runtime flow straight after the two commands: GPT-2 is exported on first use (issue #12).
  step "build/ngbench run --flow ort --model gpt2" "build/ngbench run --flow ort --model gpt2 --batch 1 --out results"
  step "build/ngbench run --flow ort --model gpt2, again (the export is reused)" \
       "out=\$(build/ngbench run --flow ort --model gpt2 --batch 1 --out results2 2>&1); rc=\$?; echo \"\$out\"; [ \$rc -eq 0 ] && ! grep -q exporting <<< \"\$out\""
  step "build/ngbench html" "build/ngbench html results --out report.html && test -s report.html"
fi
# Where the space went.
sizes=$(inside "du -sm .venv build 2>/dev/null; du -sm /root/.cache/pip /root/.cache/ccache /var/cache/apt/archives 2>/dev/null" |
        awk '{printf "%s%s %.1f GB", sep, $2, $1 / 1024; sep = ", "}')
mb_after=$(du -sm --one-file-system "$R" | cut -f1)
tests=$(grep -hE "tests passed|tests failed" "$WORK"/*scripts-test-sh.log 2>/dev/null | tail -n1)

{
  echo "Fresh-machine test: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT, Debian $SUITE minbase, $(nproc) cores"
  echo
  echo "| step | time | result |"
  echo "|---|---:|---|"
  for i in "${!names[@]}"; do
    printf '| %s | %dm%02ds | %s |\n' "${names[$i]}" $((times[i] / 60)) $((times[i] % 60)) "${results[$i]}"
  done
  echo
  for s in main test; do
    echo "scripts/$s.sh, of which: $(grep -oE '^\[setup\] [^:]+: (installing .*)?done \([0-9]+ s' "$WORK"/*scripts-$s-sh.log |
      sed -E 's/^\[setup\] ([^:]+): (installing .*)?done \(([0-9]+) s/\1 \3 s/' | paste -sd ';' - | sed 's/;/; /g')"
  done
  echo "Tests: ${tests:-n/a}"
  echo "Disk used by the steps: $(( (mb_after - mb_before) / 1024 )).$(( (mb_after - mb_before) % 1024 * 10 / 1024 )) GB ($sizes)"
} | tee "$WORK/report.md"
for r in "${results[@]}"; do case $r in ok | *"(noted)"*) ;; *) exit 1 ;; esac; done
