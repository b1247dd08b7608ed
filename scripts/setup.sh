#!/usr/bin/env bash
# Sets up what is missing, then configures and builds ngbench (Release, Ninja).
# Idempotent: on a machine that has everything it only runs an incremental build.
#   scripts/setup.sh [BUILD_DIR]      (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
TORCH_VERSION=2.11.0

say() { printf '[setup] %s\n' "$*"; }

# 1. Debian packages: compilers, CMake, the C++ libraries ngbench uses.
DEBS=(cmake ninja-build g++ ccache python3 python3-pip nlohmann-json3-dev libcli11-dev libfmt-dev googletest
      libgtest-dev libbenchmark-dev)
missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# python3 may come from elsewhere (pyenv); only ask apt for it when none is on PATH.
if command -v python3 >/dev/null; then
  missing=("${missing[@]/python3}"); missing=("${missing[@]/python3-pip}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# 2. libtorch from the PyPI torch wheel. The CPU build links libtorch_cpu and
#    libc10 only, so the wheel alone suffices (--no-deps skips the CUDA wheels).
have=$(python3 - <<'PY'
import importlib.util, os, re
s = importlib.util.find_spec("torch")
if s:
    v = open(os.path.join(os.path.dirname(s.origin), "version.py")).read()
    print(re.search(r"__version__ = '([^']+)'", v).group(1))
PY
)
if [[ "$have" != "$TORCH_VERSION"* ]]; then
  say "installing torch==$TORCH_VERSION (libtorch) from PyPI${have:+ (found $have)}"
  python3 -m pip install -q --no-deps "torch==$TORCH_VERSION"
fi

# 3. Configure (once) and build.
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  say "configuring $BUILD_DIR"
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
say "building"
cmake --build "$BUILD_DIR" -j "$(nproc)"
