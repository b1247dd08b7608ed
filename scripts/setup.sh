#!/usr/bin/env bash
# Sets up what is missing, then configures and builds ngbench (Release, Ninja).
# Idempotent: on a machine that has everything it only runs an incremental build. After a failure (no network, a
# full disk) it says in one line what is missing, exits non-zero, and a rerun continues where it stopped.
#   scripts/setup.sh [BUILD_DIR [TARGET...]]   (default: build, every target)
# Environment:
#   NGBENCH_TARGETS="T ..."  build only these targets (as TARGET arguments; scripts/main.sh builds `ngbench`)
#   NGBENCH_VENV=DIR         use this Python environment instead of the project's .venv: packages it lacks are
#                            installed into it, a different version of a pinned one is reported, never replaced
# What it installs: Debian packages (apt), Python packages into the project environment .venv/ (pip; never into
# the system's Python), the ONNX Runtime C++ headers into .deps/. Full logs: .deps/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD_DIR=${1:-build}
TARGETS=("${@:2}")
if ((${#TARGETS[@]} == 0)) && [ -n "${NGBENCH_TARGETS:-}" ]; then read -ra TARGETS <<< "$NGBENCH_TARGETS"; fi
LOGS=$ROOT/.deps/logs
mkdir -p "$LOGS"

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] %s\n' "$*" >&2; exit 1; }
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo

# Pinned versions. torch 2.11.0 is what the GPU machine has (2.11.0+cu130); torchvision 0.26.0 matches it;
# transformers 5.17.0 is what the golden tools (tools/golden/) were recorded with.
TORCH_VERSION=2.11.0
PY_MIN=3.11          # onnxruntime 1.30.0 has no wheel for older Pythons; the other pins have 3.11-3.14
# Installed without their dependencies: torch's would pull the whole CUDA stack (cuda-toolkit[...], cuDNN, NCCL,
# triton: 4.6 GB), torchvision's and timm's would pull torch's. Their pure-Python dependencies are in PY_DEPS.
PY_NODEPS=("torch==$TORCH_VERSION" "torchvision==0.26.0" "timm==1.0.31")
# Installed with their dependencies (pip resolves those for the interpreter at hand).
PY_DEPS=("onnxruntime==1.30.0" "plotly==6.5.2" "transformers==5.17.0" "onnx==1.23.2" "onnxscript==0.7.2"
         "scipy==1.17.1"
         # torch 2.11.0's own (its METADATA), torchvision's
         "filelock" "typing-extensions>=4.10.0" "setuptools<82" "sympy>=1.13.3" "networkx>=2.5.1" "jinja2"
         "fsspec>=0.8.5" "numpy" "pillow!=8.3.*,>=5.3.0")
# The CUDA runtime libraries the torch wheel loads, with the PyPI wheel that ships each (the versions torch
# 2.11.0's METADATA pins: cuda-toolkit[...]==13.0.2 and nvidia-*-cu13). libtorch_cpu (what ngbench links) needs the
# first two even for CPU work; `import torch` needs all of them (libtorch_python -> libtorch_cuda). A wheel is
# installed only when the dynamic loader does not already find its libraries (a CUDA toolkit registered with
# ldconfig provides them). Not installed: what nothing loads at import (cuSOLVER, NVRTC, NVTX, triton,
# cuda-bindings: 1.1 GB).
CUDA_WHEELS=("libcudart.so.13|nvidia-cuda-runtime==13.0.96"
             "libcupti.so.13|nvidia-cuda-cupti==13.0.85"
             "libcublas.so.13 libcublasLt.so.13|nvidia-cublas==13.1.0.3"
             "libcufft.so.12|nvidia-cufft==12.0.0.61"
             "libcufile.so.0|nvidia-cufile==1.15.1.6"
             "libcurand.so.10|nvidia-curand==10.4.0.35"
             "libcusparse.so.12|nvidia-cusparse==12.6.3.3"
             "libnvJitLink.so.13|nvidia-nvjitlink==13.0.88"
             "libcudnn.so.9|nvidia-cudnn-cu13==9.19.0.56"
             "libcusparseLt.so.0|nvidia-cusparselt-cu13==0.8.0"
             "libnccl.so.2|nvidia-nccl-cu13==2.28.9"
             "libnvshmem_host.so.3|nvidia-nvshmem-cu13==3.4.5")
# What the project's tools import; checked by importing them after every change.
PY_IMPORTS=(torch torchvision onnxruntime plotly transformers onnx onnxscript timm scipy)

# 0. Free disk space, up front, for what is still missing (sizes measured on a fresh Debian bookworm without a CUDA
#    toolkit: Debian packages 1.5 GB + apt's download cache 0.5 GB, .venv 4.2 GB, pip's download cache 2.4 GB,
#    build/ 0.7 GB).
declare -A need_mb=()
gb() { awk -v m="$1" 'BEGIN {printf "%.1f", m / 1024}'; }
need() {  # need PATH MB: MB more are needed on PATH's filesystem
  local p=$1; while [ ! -e "$p" ]; do p=$(dirname "$p"); done
  local fs; fs=$(df -P "$p" | awk 'NR == 2 {print $6}')
  need_mb[$fs]=$(( ${need_mb[$fs]:-0} + $2 ))
}
DEBS=(cmake ninja-build g++ ccache ca-certificates python3 python3-venv nlohmann-json3-dev libcli11-dev libfmt-dev libssl-dev
      googletest libgtest-dev libbenchmark-dev libstb-dev gnuplot-nox chromium chromium-driver python3-selenium)
missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
VENV=${NGBENCH_VENV:-$ROOT/.venv}
STAMP=$VENV/.ngbench-packages
((${#missing[@]})) && need /var/cache/apt 2000
if [ ! -f "$STAMP" ]; then
  have_mb=0; [ -d "$VENV" ] && have_mb=$(du -sm "$VENV" 2>/dev/null | cut -f1)
  need "$VENV" $(( have_mb < 4300 ? 4300 - have_mb : 0 ))
  need "${PIP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pip}" 2600
fi
case $BUILD_DIR in /*) bdir=$BUILD_DIR ;; *) bdir=$ROOT/$BUILD_DIR ;; esac
[ -f "$BUILD_DIR/build.ninja" ] || { need "$bdir" 1000; need "${CCACHE_DIR:-$HOME/.cache/ccache}" 500; }
for fs in "${!need_mb[@]}"; do
  free=$(df -Pm "$fs" | awk 'NR == 2 {print $4}')
  if (( free < need_mb[$fs] )); then
    die "not enough free disk space: $(gb "$free") GB free on $fs, about $(gb "${need_mb[$fs]}") GB needed there for" \
        "what is still missing (Debian packages, the Python environment $VENV and pip's download cache, the build);" \
        "free some space and rerun scripts/setup.sh"
  fi
done

# Classifies a failed download/install from its log: one line saying what is missing and how to get it.
why() {  # why LOG WHAT-IT-REACHES
  if grep -qiE "No space left on device|Errno 28|enough free space" "$1"; then
    echo "the disk is full (No space left on device): free some space (df -h shows where) and rerun scripts/setup.sh"
  elif grep -qiE "CERTIFICATE_VERIFY_FAILED|certificate verify failed" "$1"; then
    echo "could not verify the TLS certificate of $2 (a proxy that inspects TLS needs its CA in the system's certificates or in pip's cert setting); fix that, then rerun scripts/setup.sh"
  elif grep -qiE "Temporary failure (in name )?resolv|Could not resolve|Name or service not known|Failed to establish a new connection|NewConnectionError|Network is unreachable|Connection (refused|timed out|failed)|Unable to connect|ConnectTimeout|ReadTimeout|ProxyError|Max retries exceeded|Failed to fetch|SSLError" "$1"; then
    echo "could not reach $2: check the network connection (and the proxy, if one is needed), then rerun scripts/setup.sh"
  else
    echo "$(grep -E '^(E: |ERROR: )' "$1" | tail -n1 | cut -c1-240)"
  fi
}

# 1. Debian packages: compilers, CMake, the C++ libraries ngbench uses, Python with venv (the project environment).
#    Reports: gnuplot-nox draws `ngbench figures`; chromium, chromium-driver and python3-selenium run the HTML
#    report's browser test (tests/report/html_browser_test.py, with /usr/bin/python3). Output: one line; the full
#    log goes to .deps/logs/apt.log.
if ((${#missing[@]})); then
  log=$LOGS/apt.log
  printf '[setup] Debian packages: installing %s ... ' "${missing[*]}"
  t0=$SECONDS
  {
    # An install interrupted earlier (a full disk) leaves dpkg half-done: finish that first.
    $SUDO dpkg --configure -a
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
  } > "$log" 2>&1 || {
    echo "failed"
    mirrors=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
              grep -v '^[[:space:]]*#' | grep -oE '(https?|ftp)://[^ ]+' | sort -u | tr '\n' ' ' || true)
    die "Debian packages: $(why "$log" "the Debian mirror (${mirrors% }) with apt-get") (log: $log)"
  }
  echo "done ($((SECONDS - t0)) s, log: ${log#"$ROOT"/})"
fi

# 2. The Python environment: the project's .venv (created here and reused), or $NGBENCH_VENV.
py_ok() { "$1" -c "import sys; sys.exit(sys.version_info[:2] < tuple(map(int, '$PY_MIN'.split('.'))))" 2>/dev/null; }
if [ -n "${NGBENCH_VENV:-}" ]; then
  [ -x "$NGBENCH_VENV/bin/python" ] ||
    die "NGBENCH_VENV=$NGBENCH_VENV has no bin/python: point it at a Python environment (python3 -m venv DIR makes one), or unset it to use .venv"
  VENV=$(cd "$NGBENCH_VENV" && pwd)
  py_ok "$VENV/bin/python" ||
    die "NGBENCH_VENV=$VENV has Python $("$VENV/bin/python" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo '(not working)'); ngbench needs Python $PY_MIN or newer: point NGBENCH_VENV at another environment, or unset it to use .venv"
  "$VENV/bin/python" -m pip --version > /dev/null 2>&1 ||
    die "NGBENCH_VENV=$VENV has no pip: run $VENV/bin/python -m ensurepip, then rerun scripts/setup.sh"
else
  if ! { py_ok "$VENV/bin/python" && "$VENV/bin/python" -c "import pip" 2>/dev/null; }; then
    base=$(command -v python3 || true)
    [ -n "$base" ] || die "python3 is missing: install Debian's python3 and python3-venv (apt-get install python3 python3-venv), then rerun scripts/setup.sh"
    if ! py_ok "$base"; then
      die "ngbench needs Python $PY_MIN or newer (onnxruntime 1.30.0 has no wheel for older ones), found $("$base" -c 'import platform; print(platform.python_version())') at $base: use a distribution with Python 3.11-3.14 (Debian bookworm or later, Ubuntu 24.04 or later), or set NGBENCH_VENV to an environment with one"
    fi
    "$base" -c "import venv, ensurepip" 2>/dev/null ||
      die "$base cannot create environments (no venv/ensurepip): install Debian's python3-venv (apt-get install python3-venv), then rerun scripts/setup.sh"
    if [ -e "$VENV" ]; then say "the Python environment .venv is incomplete or its Python is gone: recreating it"; rm -rf "$VENV"; fi
    say "creating the Python environment .venv ($("$base" -c 'import platform; print(platform.python_version())'), $base)"
    log=$LOGS/venv.log
    "$base" -m venv "$VENV" > "$log" 2>&1 || { rm -rf "$VENV"; die "creating .venv failed: $(why "$log" "nothing") (log: $log)"; }
  fi
fi
PY=$VENV/bin/python

# 3. Python packages, pinned, into that environment. ldconfig tells which CUDA libraries the system provides.
ldcache=$( (ldconfig -p || /sbin/ldconfig -p) 2>/dev/null || true)
nodeps=("${PY_NODEPS[@]}")
for entry in "${CUDA_WHEELS[@]}"; do
  for so in ${entry%%|*}; do
    grep -qF $'\t'"$so " <<< "$ldcache" || { nodeps+=("${entry#*|}"); break; }
  done
done
spec="python=$("$PY" -c 'import sys; print(sys.version)' | head -n1) nodeps=${nodeps[*]} deps=${PY_DEPS[*]}"
# Which requirements the environment does not meet: "missing SPEC" or "other SPEC VERSION", one a line.
unmet=$("$PY" - "${nodeps[@]}" -- "${PY_DEPS[@]}" <<'PY'
import sys
from importlib import metadata
from pip._vendor.packaging.requirements import Requirement
for s in sys.argv[1:]:
    if s == "--":
        continue
    r = Requirement(s)
    try:
        v = metadata.version(r.name)
    except metadata.PackageNotFoundError:
        print("missing", s)
        continue
    if not r.specifier.contains(v, prereleases=True):
        print("other", s, v)
PY
)
pkgs_new=0
if [ -n "$unmet" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$spec" ]; then
  declare -A unmet_spec=()
  while read -r kind s _; do [ -n "$kind" ] && unmet_spec[$s]=$kind; done <<< "$unmet"
  if [ -n "${NGBENCH_VENV:-}" ] && grep -q '^other' <<< "$unmet"; then
    die "NGBENCH_VENV=$VENV has $(awk '$1 == "other" {split($2, n, /[=<>!~]/); printf "%s%s %s (ngbench needs %s)", sep, n[1], $3, $2; sep = ", "}' <<< "$unmet"): install the versions ngbench needs there, or unset NGBENCH_VENV to use the project environment .venv"
  fi
  a=(); for s in "${nodeps[@]}"; do [ -n "${unmet_spec[$s]:-}" ] && a+=("$s"); done
  b=(); for s in "${PY_DEPS[@]}"; do [ -n "${unmet_spec[$s]:-}" ] && b+=("$s"); done
  if ((${#a[@]} + ${#b[@]})); then
    index=${PIP_INDEX_URL:-$("$PY" -m pip config get global.index-url 2>/dev/null || true)}
    index=$(sed -E 's#//[^/@]*@#//#' <<< "${index:-https://pypi.org/simple}")
    log=$LOGS/pip.log
    printf '[setup] Python packages into %s: installing %d (%s) ... ' "${VENV#"$ROOT"/}" $((${#a[@]} + ${#b[@]})) \
      "$(printf '%s\n' "${a[@]}" "${b[@]}" | sed 's/[=<>!].*//' | tr '\n' ' ' | sed 's/ $//')"
    t0=$SECONDS
    {
      { ((${#a[@]} == 0)) || "$PY" -m pip install --disable-pip-version-check --no-input --no-deps "${a[@]}"; } &&
        { ((${#b[@]} == 0)) || "$PY" -m pip install --disable-pip-version-check --no-input "${b[@]}"; }
    } > "$log" 2>&1 || { echo "failed"; die "Python packages: $(why "$log" "the Python package index ($index) with pip") (log: $log)"; }
    echo "done ($((SECONDS - t0)) s, log: ${log#"$ROOT"/})"
    pkgs_new=1
  fi
  # Importing, not only finding, is the check: a wheel can be there and still miss a library it loads.
  failed=$("$PY" - "${PY_IMPORTS[@]}" <<'PY' 2>/dev/null || echo "python: does not start"
import importlib, sys
bad = []
for m in sys.argv[1:]:
    try:
        importlib.import_module(m)
    except Exception as e:
        bad.append(f"{m} ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})")
print("; ".join(bad))
PY
)
  if [ -n "$failed" ]; then
    rm -f "$STAMP"
    [ -n "${NGBENCH_VENV:-}" ] &&
      die "NGBENCH_VENV=$VENV cannot import: $failed; repair that environment, or unset NGBENCH_VENV to use .venv"
    die "the Python environment .venv cannot import: $failed; remove it (rm -rf .venv) and rerun scripts/setup.sh"
  fi
  echo "$spec" > "$STAMP"
fi

# 4. The ONNX Runtime C++ headers for the ort flow (the library is the onnxruntime wheel's,
#    onnxruntime/capi/libonnxruntime.so.<version>): Debian trixie's libonnxruntime-dev, downloaded with apt's own
#    client and mirror into a private list directory (the system's sources are not changed) and unpacked into
#    .deps/onnxruntime (git-ignored). cmake/Onnxruntime.cmake prefers a system ONNX Runtime and falls back to these.
ORT_PREFIX=.deps/onnxruntime
ort_new=0
if [ ! -f "$ORT_PREFIX/usr/include/onnxruntime/onnxruntime_cxx_api.h" ] &&
   [ ! -f /usr/include/onnxruntime/onnxruntime_cxx_api.h ]; then
  # The Debian mirror apt already uses (first deb822 URIs: or one-line deb entry that is not a security mirror).
  mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}' | grep -v security | head -n1 || true)
  if [ -z "$mirror" ]; then
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
             awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' |
             grep -v security | head -n1 || true)
  fi
  if [ -z "$mirror" ]; then
    say "no Debian mirror found in apt's sources: the ort flow is not built (see docs/onnxruntime.md)"
  else
    say "fetching the ONNX Runtime C++ headers (Debian trixie libonnxruntime-dev) into $ORT_PREFIX"
    d=$(mktemp -d)
    mkdir -p "$d/lists/partial" "$d/archives/partial"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > "$d/sources.list"
    o=(-o "Dir::Etc::sourcelist=$d/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$d/lists"
       -o "Dir::Cache::Archives=$d/archives" -o APT::Sandbox::User=root)
    log=$LOGS/ort-headers.log
    if { apt-get "${o[@]}" update && (cd "$d" && apt-get "${o[@]}" download libonnxruntime-dev); } > "$log" 2>&1; then
      mkdir -p "$ORT_PREFIX"
      dpkg -x "$d"/libonnxruntime-dev_*.deb "$ORT_PREFIX"
    else
      say "could not fetch libonnxruntime-dev: $(why "$log" "the Debian mirror ($mirror)"); the ort flow is not built (log: $log)"
    fi
    rm -rf "$d"
    ort_new=1
  fi
fi

# 5. Configure (once, again when something above changed) and build.
cached_py=$(sed -n 's/^NGBENCH_PYTHON:FILEPATH=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)
if [ ! -f "$BUILD_DIR/build.ninja" ] || [ "$pkgs_new" = 1 ] || [ "$ort_new" = 1 ] || [ "$cached_py" != "$PY" ]; then
  reset=()
  # Another environment: forget what was found through the previous one.
  [ -n "$cached_py" ] && [ "$cached_py" != "$PY" ] &&
    reset=(-U TORCH_ROOT -U NGBENCH_TORCHVISION_OPS -U NGBENCH_TORCH_CUDA_LIB -U NGBENCH_C10_CUDA_LIB)
  say "configuring $BUILD_DIR"
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release "-DNGBENCH_PYTHON=$PY" "${reset[@]}"
fi
tgt=(); ((${#TARGETS[@]})) && tgt=(--target "${TARGETS[@]}")
say "building${TARGETS[*]:+ ${TARGETS[*]}}"
t0=$SECONDS
if ! cmake --build "$BUILD_DIR" -j "$(nproc)" "${tgt[@]}"; then
  free=$(df -Pm "$BUILD_DIR" | awk 'NR == 2 {print $4}')
  ((free < 300)) && die "the build stopped: the disk is full ($free MB left for $BUILD_DIR); free some space and rerun scripts/setup.sh (the build continues where it stopped)"
  die "the build failed (the compiler's messages are above)"
fi
((SECONDS - t0 < 10)) || say "build: done ($((SECONDS - t0)) s)"
