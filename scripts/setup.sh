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
#    Reports: gnuplot-nox draws `ngbench figures`; chromium, chromium-driver and python3-selenium run the HTML
#    report's browser test (tests/report/html_browser_test.py, with /usr/bin/python3).
DEBS=(cmake ninja-build g++ ccache python3 python3-pip nlohmann-json3-dev libcli11-dev libfmt-dev googletest
      libgtest-dev libbenchmark-dev libstb-dev gnuplot-nox chromium chromium-driver python3-selenium)
missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# python3 may come from elsewhere (pyenv); only ask apt for it when none is on PATH.
# (Exact names: python3-selenium is still wanted.)
if command -v python3 >/dev/null; then
  missing=($(printf '%s\n' "${missing[@]}" | grep -vx -e python3 -e python3-pip || true))
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

# 2b. torchvision's compiled RoI operators (nms, roi_align) for the detection models: torchvision/_C.so of
#     the PyPI wheel matching torch, loaded at run time (src/models/vision/torchvision_ops.h). --no-deps: it
#     needs only the torch above; the CUDA and Python libraries it names are stood in for (docs/detection.md).
TORCHVISION_VERSION=0.26.0
tv_new=0
tv_have=$(python3 -c "import importlib.metadata as m; print(m.version('torchvision'))" 2>/dev/null || true)
if [[ "$tv_have" != "$TORCHVISION_VERSION"* ]]; then
  say "installing torchvision==$TORCHVISION_VERSION (nms, roi_align) from PyPI${tv_have:+ (found $tv_have)}"
  python3 -m pip install -q --no-deps "torchvision==$TORCHVISION_VERSION"
  tv_new=1
fi

# 3. ONNX Runtime for the ort flow (optional: without it ngbench builds without that flow). The C API library
#    comes from PyPI's onnxruntime wheel (onnxruntime/capi/libonnxruntime.so.<version>), the C++ headers from
#    Debian trixie's libonnxruntime-dev, downloaded with apt's own client and mirror into a private list
#    directory (the system's sources are not changed) and unpacked into .deps/onnxruntime (git-ignored).
#    cmake/Onnxruntime.cmake prefers a system ONNX Runtime and falls back to these two.
ORT_VERSION=1.30.0
ORT_PREFIX=.deps/onnxruntime
ort_new=0
ort_have=$(python3 -c "import importlib.metadata as m; print(m.version('onnxruntime'))" 2>/dev/null || true)
if [[ "$ort_have" != "$ORT_VERSION" ]]; then
  say "installing onnxruntime==$ORT_VERSION (ONNX Runtime C API library) from PyPI${ort_have:+ (found $ort_have)}"
  python3 -m pip install -q "onnxruntime==$ORT_VERSION"
  ort_new=1
fi
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
    if apt-get "${o[@]}" update -qq && (cd "$d" && apt-get "${o[@]}" download -qq libonnxruntime-dev); then
      mkdir -p "$ORT_PREFIX"
      dpkg -x "$d"/libonnxruntime-dev_*.deb "$ORT_PREFIX"
    else
      say "could not fetch libonnxruntime-dev: the ort flow is not built (see docs/onnxruntime.md)"
    fi
    rm -rf "$d"
    ort_new=1
  fi
fi

# 4. plotly.js for `ngbench html`, which inlines it: PyPI's plotly ships plotly/package_data/plotly.min.js;
#    CMake records where (cmake/Plotly.cmake), so a new install reconfigures.
PLOTLY_VERSION=6.5.2
plotly_have=$(python3 -c "import importlib.metadata as m; print(m.version('plotly'))" 2>/dev/null || true)
plotly_new=0
if [[ "$plotly_have" != "$PLOTLY_VERSION" ]]; then
  say "installing plotly==$PLOTLY_VERSION (plotly.js for ngbench html) from PyPI${plotly_have:+ (found $plotly_have)}"
  python3 -m pip install -q "plotly==$PLOTLY_VERSION"
  plotly_new=1
fi

# 5. Configure (once) and build.
if [ ! -f "$BUILD_DIR/build.ninja" ] || [ "$ort_new" = 1 ] || [ "$plotly_new" = 1 ] || [ "$tv_new" = 1 ]; then
  say "configuring $BUILD_DIR"
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
say "building"
cmake --build "$BUILD_DIR" -j "$(nproc)"
