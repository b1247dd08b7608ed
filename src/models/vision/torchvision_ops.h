#pragma once
// torchvision's own compiled RoI operators (nms, roi_align), called through
// the dispatcher, so the observer records them as torchvision::nms and
// torchvision::roi_align exactly as the Python models issue them.
//
// The operators live in torchvision/_C.so of PyPI torchvision==0.26.0 (the
// match for torch 2.11). It is loaded once, at first use, with dlopen
// (RTLD_NOW | RTLD_GLOBAL); its static initializers register the ops with
// libtorch's dispatcher. Where it is: $NGBENCH_TORCHVISION_OPS if set, else the
// path CMake found at configure time (importlib's find_spec, no import).
//
// _C.so also names libraries a CPU-only ngbench process does not have or cannot
// load: libtorch.so, libtorch_python.so (needs a Python interpreter's symbols),
// libtorch_cuda.so, libc10_cuda.so and libcudart.so.13 (the CUDA stack the
// --no-deps torch wheel leaves out). It uses no symbol of the first two and only
// CUDA-kernel ones of the others, so each one not already in the process is
// satisfied by a tiny shim ngbench builds (torchvision_shims.cc): their
// functions abort if ever called, which only torchvision's CUDA kernels would do.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

namespace ngbench::models::vision {

// The _C.so path that will be (or was) loaded.
std::string torchvision_ops_path();

// Loads the operators once. Throws ngbench::Error, one line naming the path and
// the fix (scripts/setup.sh installs torchvision==0.26.0, or NGBENCH_TORCHVISION_OPS),
// when the library is missing or does not load. Later calls rethrow the same error.
void require_torchvision_ops();

// True when require_torchvision_ops() succeeds; `why` gets its message otherwise.
bool torchvision_ops_available(std::string* why = nullptr);

// torch.ops.torchvision.nms(boxes, scores, iou_threshold): kept indices, int64,
// by decreasing score.
at::Tensor nms(const at::Tensor& boxes, const at::Tensor& scores, double iou_threshold);

// torch.ops.torchvision.roi_align(input, rois, spatial_scale, pooled_height,
// pooled_width, sampling_ratio, aligned); rois is [K, 5] (batch index, x1, y1, x2, y2).
at::Tensor roi_align(const at::Tensor& input, const at::Tensor& rois, double spatial_scale,
                     int64_t pooled_height, int64_t pooled_width, int64_t sampling_ratio, bool aligned);

}  // namespace ngbench::models::vision
