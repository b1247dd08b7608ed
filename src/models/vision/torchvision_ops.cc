#include "models/vision/torchvision_ops.h"

#include <ATen/core/dispatch/Dispatcher.h>
#include <c10/core/SymInt.h>
#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "core/error.h"

#ifndef NGBENCH_TORCHVISION_OPS_DEFAULT
#define NGBENCH_TORCHVISION_OPS_DEFAULT ""
#endif
#ifndef NGBENCH_TORCHVISION_SHIM_DIR
#define NGBENCH_TORCHVISION_SHIM_DIR ""
#endif

namespace ngbench::models::vision {

namespace {

constexpr const char* kInstall =
    "run scripts/setup.sh (it installs torchvision==0.26.0 into the project's Python environment), "
    "or set NGBENCH_TORCHVISION_OPS to a torchvision/_C.so";

// The libraries _C.so names that a CPU-only process may lack, in load order
// (a shim's dependencies first). See torchvision_ops.h.
constexpr const char* kShimmed[] = {"libcudart.so.13", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so",
                                    "libtorch_python.so"};

std::string dl_error() {
  const char* e = dlerror();
  std::string s = e ? e : "unknown dlopen error";
  return s.substr(0, s.find('\n'));
}

// Loads a shim for each library in kShimmed that the process does not hold yet.
void load_shims() {
  const std::filesystem::path dir = NGBENCH_TORCHVISION_SHIM_DIR;
  for (const char* soname : kShimmed) {
    if (dlopen(soname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL) != nullptr) continue;  // the real one is loaded
    const std::string shim = (dir / soname).string();
    if (dlopen(shim.c_str(), RTLD_NOW | RTLD_GLOBAL) == nullptr) {
      throw Error("cannot load ngbench's stand-in for " + std::string(soname) + " (" + shim +
                  ", built with ngbench): " + dl_error());
    }
  }
}

struct LoadState {
  std::once_flag once;
  std::string error;  // empty: loaded
};

LoadState& state() {
  static LoadState s;
  return s;
}

void load() {
  const std::string path = torchvision_ops_path();
  if (path.empty() || !std::filesystem::exists(path)) {
    throw Error("torchvision's compiled operators (torchvision/_C.so, for nms and roi_align) were not found" +
                (path.empty() ? std::string() : " at '" + path + "'") + "; " + kInstall);
  }
  load_shims();
  if (dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL) == nullptr) {
    throw Error("cannot load torchvision's operators '" + path + "': " + dl_error() + "; " + kInstall);
  }
  auto& d = c10::Dispatcher::singleton();
  for (const char* op : {"torchvision::nms", "torchvision::roi_align"}) {
    if (!d.findSchema({op, ""}).has_value()) {
      throw Error("'" + path + "' does not register " + op + " (not torchvision 0.26?); " + kInstall);
    }
  }
}

}  // namespace

std::string torchvision_ops_path() {
  if (const char* env = std::getenv("NGBENCH_TORCHVISION_OPS"); env && *env) return env;
  return NGBENCH_TORCHVISION_OPS_DEFAULT;
}

void require_torchvision_ops() {
  LoadState& s = state();
  std::call_once(s.once, [&] {
    try {
      load();
    } catch (const Error& e) {
      s.error = e.what();
    }
  });
  if (!s.error.empty()) throw Error(s.error);
}

bool torchvision_ops_available(std::string* why) {
  try {
    require_torchvision_ops();
    return true;
  } catch (const Error& e) {
    if (why) *why = e.what();
    return false;
  }
}

at::Tensor nms(const at::Tensor& boxes, const at::Tensor& scores, double iou_threshold) {
  static auto op = (require_torchvision_ops(), c10::Dispatcher::singleton()
                                                   .findSchemaOrThrow("torchvision::nms", "")
                                                   .typed<at::Tensor(const at::Tensor&, const at::Tensor&, double)>());
  return op.call(boxes, scores, iou_threshold);
}

at::Tensor roi_align(const at::Tensor& input, const at::Tensor& rois, double spatial_scale,
                     int64_t pooled_height, int64_t pooled_width, int64_t sampling_ratio, bool aligned) {
  using Signature = at::Tensor(const at::Tensor&, const at::Tensor&, double, c10::SymInt, c10::SymInt, int64_t, bool);
  static auto op = (require_torchvision_ops(), c10::Dispatcher::singleton()
                                                   .findSchemaOrThrow("torchvision::roi_align", "")
                                                   .typed<Signature>());
  return op.call(input, rois, spatial_scale, c10::SymInt(pooled_height), c10::SymInt(pooled_width), sampling_ratio,
                 aligned);
}

}  // namespace ngbench::models::vision
