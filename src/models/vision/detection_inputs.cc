#include "models/vision/detection_inputs.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

namespace ngbench::models::vision {

namespace {

// uint8 [3, H, W], owning its memory.
at::Tensor chw_uint8(const Image& image) {
  at::Tensor hwc = at::from_blob(const_cast<uint8_t*>(image.rgb.data()), {image.height, image.width, 3}, at::kByte);
  return hwc.permute({2, 0, 1}).contiguous();
}

// PIL's Image.resize((w, h)) default (BICUBIC, antialiased) on 8-bit pixels.
at::Tensor pil_resize(const at::Tensor& chw, int64_t w, int64_t h) {
  at::Tensor x = at::_upsample_bicubic2d_aa(chw.unsqueeze(0).to(at::kFloat), {h, w}, false).squeeze(0);
  return x.round().clamp(0, 255).to(at::kByte);
}

}  // namespace

at::Tensor image_to_tensor(const Image& image) { return chw_uint8(image).to(at::kFloat).div(255); }

std::pair<int64_t, int64_t> detr_resized_size(int64_t height, int64_t width, int64_t size, int64_t max_size) {
  double raw_size = -1;
  const double min_original = static_cast<double>(std::min(height, width));
  const double max_original = static_cast<double>(std::max(height, width));
  if (max_original / min_original * static_cast<double>(size) > static_cast<double>(max_size)) {
    raw_size = static_cast<double>(max_size) * min_original / max_original;
    size = static_cast<int64_t>(std::nearbyint(raw_size));  // Python's round(): half to even
  }
  if ((height <= width && height == size) || (width <= height && width == size)) return {height, width};
  const double h = static_cast<double>(height), w = static_cast<double>(width);
  if (width < height) {
    const double base = raw_size >= 0 ? raw_size : static_cast<double>(size);
    return {static_cast<int64_t>(base * h / w), size};
  }
  const double base = raw_size >= 0 ? raw_size : static_cast<double>(size);
  return {size, static_cast<int64_t>(base * w / h)};
}

DetrInputs detr_preprocess(const std::vector<Image>& images, const DetrPreprocessing& c) {
  DetrInputs out;
  std::vector<at::Tensor> processed;
  // The fused rescale + normalize: mean / rescale_factor and std / rescale_factor, float32.
  at::Tensor mean = at::mul(at::tensor(at::ArrayRef<double>(c.image_mean), at::kFloat), 255.0).view({-1, 1, 1});
  at::Tensor std = at::mul(at::tensor(at::ArrayRef<double>(c.image_std), at::kFloat), 255.0).view({-1, 1, 1});
  for (const Image& image : images) {
    at::Tensor x = chw_uint8(image);
    if (c.pre_resize) x = pil_resize(x, c.pre_resize->first, c.pre_resize->second);
    const auto [oh, ow] = detr_resized_size(x.size(1), x.size(2), c.shortest_edge, c.longest_edge);
    if (oh != x.size(1) || ow != x.size(2)) {
      // torchvision F.resize(uint8 tensor, (oh, ow), BILINEAR, antialias=True)
      x = at::_upsample_bilinear2d_aa(x.unsqueeze(0), {oh, ow}, false).squeeze(0);
    }
    x = x.to(at::kFloat).sub_(mean).div_(std);
    processed.push_back(x);
    out.records.push_back({image.source, image.height, image.width, oh, ow});
  }
  int64_t max_h = 0, max_w = 0;
  for (const auto& x : processed) {
    max_h = std::max(max_h, x.size(1));
    max_w = std::max(max_w, x.size(2));
  }
  std::vector<at::Tensor> padded, masks;
  for (const auto& x : processed) {
    at::Tensor mask = at::zeros({max_h, max_w}, at::kLong);
    mask.slice(0, 0, x.size(1)).slice(1, 0, x.size(2)).fill_(1);
    padded.push_back(at::constant_pad_nd(x, {0, max_w - x.size(2), 0, max_h - x.size(1)}, 0));
    masks.push_back(mask);
  }
  out.pixel_values = at::stack(padded, 0);
  out.pixel_mask = at::stack(masks, 0);
  return out;
}

}  // namespace ngbench::models::vision
