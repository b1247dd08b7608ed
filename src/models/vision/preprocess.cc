// Preprocessing after torchvision 0.26 (transforms/_presets.py ImageClassification with
// transforms/functional.py + _functional_tensor.py on tensors) and transformers 5.17
// (image_processing_backends.py TorchvisionBackend, models/maskformer/image_processing_maskformer.py,
// which call torchvision.transforms.v2.functional.resize_image). Each step names what it mirrors.
#include "models/vision/preprocess.h"

#include <ATen/ATen.h>
#include <ATen/Version.h>

#include <algorithm>
#include <cfenv>
#include <cmath>

#include "core/error.h"

namespace ngbench::models::vision {

namespace {

// Python's round() for floats: half to even (the default rounding mode).
int64_t py_round(double v) { return static_cast<int64_t>(std::nearbyint(v)); }

InputRecord record(const Image& im, int64_t model_h, int64_t model_w) {
  return InputRecord{im.source, im.height, im.width, model_h, model_w};
}

// torch.nn.functional.interpolate(x, size, mode, align_corners=False, antialias=True) for a 4-d
// tensor: the vec overloads with scale_factors=None.
at::Tensor interpolate_aa(const at::Tensor& x, int64_t h, int64_t w, Interpolation mode) {
  const std::vector<int64_t> size = {h, w};
  const at::OptionalIntArrayRef out_size(size);
  const std::optional<at::ArrayRef<double>> no_scales = std::nullopt;
  return mode == Interpolation::kBilinear
             ? at::_upsample_bilinear2d_aa(x, out_size, /*align_corners=*/false, no_scales)
             : at::_upsample_bicubic2d_aa(x, out_size, /*align_corners=*/false, no_scales);
}

// torchvision.transforms.v2.functional.resize_image(image [C, H, W] uint8, [h, w], BILINEAR,
// antialias=True) on the CPU.
at::Tensor resize_image_v2(const at::Tensor& image, int64_t h, int64_t w) {
  const int64_t c = image.size(0), old_h = image.size(1), old_w = image.size(2);
  if (h == old_h && w == old_w) return image;
  // _do_native_uint8_resize_on_cpu(BILINEAR): uint8 is resized natively on AVX2 / AVX-512.
  const std::string cap = at::get_cpu_capability();
  const bool native_uint8 = cap == "AVX2" || cap == "AVX512";
  at::Tensor x = image.reshape({-1, c, old_h, old_w});
  if (x.is_contiguous(at::MemoryFormat::ChannelsLast) && x.size(0) == 1 && x.numel() != x.stride(0)) {
    // The restride trick of resize_image: keep a single channels-last image channels-last.
    std::vector<int64_t> strides = x.strides().vec();
    strides[0] = x.numel();
    x = x.as_strided({1, c, old_h, old_w}, strides);
  }
  if (!native_uint8) x = x.to(at::kFloat);
  x = interpolate_aa(x, h, w, Interpolation::kBilinear);
  if (!native_uint8) x = x.round_().to(at::kByte);
  return x.reshape({c, h, w});
}

}  // namespace

at::Tensor image_tensor(const Image& image) {
  NGBENCH_CHECK(static_cast<int64_t>(image.rgb.size()) == image.height * image.width * 3, "bad image buffer");
  // HWC bytes viewed as CHW, like torchvision's pil_to_tensor (a permuted, channels-last view).
  at::Tensor hwc = at::from_blob(const_cast<uint8_t*>(image.rgb.data()), {image.height, image.width, 3},
                                 at::TensorOptions(at::kByte))
                       .clone();
  return hwc.permute({2, 0, 1});
}

std::pair<int64_t, int64_t> resized_size(const ClassificationTransform& t, int64_t h, int64_t w) {
  // transforms/functional.py _compute_resized_output_size(size=[resize_size], max_size=None)
  const int64_t shorter = std::min(h, w), longer = std::max(h, w);
  const int64_t new_short = t.resize_size;
  const auto new_long = static_cast<int64_t>(static_cast<double>(new_short) * static_cast<double>(longer) /
                                             static_cast<double>(shorter));
  return w <= h ? std::make_pair(new_long, new_short) : std::make_pair(new_short, new_long);
}

std::pair<int64_t, int64_t> resized_size(const HfImageProcessor& p, int64_t h, int64_t w) {
  if (p.shortest_edge <= 0) return {p.height, p.width};
  // image_transforms.get_size_with_aspect_ratio(image_size, shortest_edge, longest_edge)
  int64_t size = p.shortest_edge;
  double raw_size = -1;
  const auto min_orig = static_cast<double>(std::min(h, w)), max_orig = static_cast<double>(std::max(h, w));
  if (p.longest_edge > 0 && max_orig / min_orig * static_cast<double>(size) > static_cast<double>(p.longest_edge)) {
    raw_size = static_cast<double>(p.longest_edge) * min_orig / max_orig;
    size = py_round(raw_size);
  }
  int64_t oh = 0, ow = 0;
  if ((h <= w && h == size) || (w <= h && w == size)) {
    oh = h;
    ow = w;
  } else if (w < h) {
    ow = size;
    oh = static_cast<int64_t>(raw_size >= 0 ? raw_size * static_cast<double>(h) / static_cast<double>(w)
                                            : static_cast<double>(size) * static_cast<double>(h) / static_cast<double>(w));
  } else {
    oh = size;
    ow = static_cast<int64_t>(raw_size >= 0 ? raw_size * static_cast<double>(w) / static_cast<double>(h)
                                            : static_cast<double>(size) * static_cast<double>(w) / static_cast<double>(h));
  }
  if (p.size_divisor > 0) {  // MaskFormerImageProcessor.resize: round up to the divisor
    const auto d = static_cast<double>(p.size_divisor);
    oh = static_cast<int64_t>(std::ceil(static_cast<double>(oh) / d) * d);
    ow = static_cast<int64_t>(std::ceil(static_cast<double>(ow) / d) * d);
  }
  return {oh, ow};
}

Preprocessed preprocess(const std::vector<Image>& images, const ClassificationTransform& t) {
  if (images.empty()) throw Error("no images to preprocess");
  Preprocessed out;
  std::vector<at::Tensor> batch;
  const at::Tensor mean = at::tensor(t.mean, at::kFloat).view({-1, 1, 1});
  const at::Tensor std = at::tensor(t.std, at::kFloat).view({-1, 1, 1});
  for (const Image& im : images) {
    at::Tensor img = image_tensor(im);
    // F.resize -> _functional_tensor.resize: float32, interpolate(antialias=True),
    // clamp (bicubic), round, back to uint8. Skipped when the size is unchanged.
    const auto [nh, nw] = resized_size(t, im.height, im.width);
    if (nh != im.height || nw != im.width) {
      at::Tensor x = interpolate_aa(img.unsqueeze(0).to(at::kFloat), nh, nw, t.interpolation);
      if (t.interpolation == Interpolation::kBicubic) x = x.clamp(0, 255);
      img = at::round(x.squeeze(0)).to(at::kByte);
    }
    // F.center_crop: top = int(round((H - crop) / 2.0)), then img[..., top:top+c, left:left+c].
    if (t.crop_size > nh || t.crop_size > nw) {
      throw Error("crop " + std::to_string(t.crop_size) + " is larger than the resized image");
    }
    const int64_t top = py_round(static_cast<double>(nh - t.crop_size) / 2.0);
    const int64_t left = py_round(static_cast<double>(nw - t.crop_size) / 2.0);
    img = img.slice(1, top, top + t.crop_size).slice(2, left, left + t.crop_size);
    // F.convert_image_dtype(img, float): img.to(float) / 255; F.normalize: sub_(mean).div_(std).
    at::Tensor x = at::div(img.to(at::kFloat), 255.0);
    x.sub_(mean).div_(std);
    batch.push_back(x);
    out.records.push_back(record(im, t.crop_size, t.crop_size));
  }
  out.pixel_values = at::stack(batch);
  return out;
}

Preprocessed preprocess(const std::vector<Image>& images, const HfImageProcessor& p) {
  if (images.empty()) throw Error("no images to preprocess");
  Preprocessed out;
  // _fuse_mean_std_and_rescale_factor: torch.tensor(mean) * (1.0 / rescale_factor), same for std.
  const at::Tensor mean = at::mul(at::tensor(p.mean, at::kFloat), 1.0 / p.rescale_factor).view({-1, 1, 1});
  const at::Tensor std = at::mul(at::tensor(p.std, at::kFloat), 1.0 / p.rescale_factor).view({-1, 1, 1});
  std::vector<at::Tensor> resized;
  int64_t max_h = 0, max_w = 0;
  for (const Image& im : images) {
    const auto [nh, nw] = resized_size(p, im.height, im.width);
    at::Tensor x = resize_image_v2(image_tensor(im), nh, nw);
    // normalize_image(images.to(float32), mean, std): image.sub(mean).div_(std)
    x = at::sub(x.to(at::kFloat), mean).div_(std);
    resized.push_back(x);
    max_h = std::max(max_h, nh);
    max_w = std::max(max_w, nw);
  }
  if (p.pad_and_mask) {
    // MaskFormerImageProcessor.pad: zeros right and bottom; pixel_mask 1 over the image.
    out.pixel_mask = at::zeros({static_cast<int64_t>(images.size()), max_h, max_w}, at::kLong);
    for (size_t i = 0; i < resized.size(); ++i) {
      const int64_t h = resized[i].size(1), w = resized[i].size(2);
      if (h != max_h || w != max_w) {
        resized[i] = at::constant_pad_nd(resized[i], {0, max_w - w, 0, max_h - h}, 0);
      }
      out.pixel_mask[static_cast<int64_t>(i)].slice(0, 0, h).slice(1, 0, w).fill_(1);
    }
  }
  for (size_t i = 0; i < images.size(); ++i) {
    out.records.push_back(record(images[i], resized[i].size(1), resized[i].size(2)));
  }
  out.pixel_values = at::stack(resized).contiguous();
  return out;
}

}  // namespace ngbench::models::vision
