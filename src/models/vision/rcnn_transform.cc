// torchvision 0.26 models/detection/transform.py and the mask pasting of
// roi_heads.py, eval mode, targets None. Each block names the Python it mirrors.
#include "models/vision/rcnn_transform.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

#include "models/hf_layers.h"
#include "models/module_scope.h"
#include "models/vision/py_ops.h"

namespace ngbench::models::vision {

namespace {

using hf::py_number;

// normalize(): (image - mean[:, None, None]) / std[:, None, None]
at::Tensor normalize(const RCNNTransformConfig& c, const at::Tensor& image) {
  at::Tensor mean = py::as_tensor(c.image_mean, image.scalar_type(), image.device());
  at::Tensor std = py::as_tensor(c.image_std, image.scalar_type(), image.device());
  at::Tensor centered = at::sub(image, mean.unsqueeze(1).unsqueeze(2));
  return at::div(centered, std.unsqueeze(1).unsqueeze(2));
}

// F.interpolate(x, size=(h, w), mode="bilinear", align_corners=False)
at::Tensor bilinear(const at::Tensor& x, int64_t h, int64_t w) {
  const std::vector<int64_t> size{h, w};
  return at::upsample_bilinear2d(x, at::OptionalIntArrayRef(size), false, std::optional<at::ArrayRef<double>>());
}

// batch_images(images, size_divisible)
at::Tensor batch_images(const std::vector<at::Tensor>& images, int64_t size_divisible) {
  std::vector<int64_t> max_size = images[0].sizes().vec();  // max_by_axis
  for (size_t i = 1; i < images.size(); ++i) {
    for (size_t d = 0; d < max_size.size(); ++d) max_size[d] = std::max(max_size[d], images[i].size(d));
  }
  const double stride = static_cast<double>(size_divisible);
  for (size_t d : {1, 2}) {
    max_size[d] = static_cast<int64_t>(std::ceil(static_cast<double>(max_size[d]) / stride) * stride);
  }
  std::vector<int64_t> batch_shape{static_cast<int64_t>(images.size())};
  batch_shape.insert(batch_shape.end(), max_size.begin(), max_size.end());
  at::Tensor batched = images[0].new_full(batch_shape, 0, at::TensorOptions().pinned_memory(false));
  for (size_t i = 0; i < images.size(); ++i) {
    const at::Tensor& img = images[i];
    // batched_imgs[i, : img.shape[0], : img.shape[1], : img.shape[2]].copy_(img)
    at::Tensor dst = batched.select(0, static_cast<int64_t>(i));
    for (int64_t d = 0; d < 3; ++d) dst = py::slice(dst, d, 0, img.size(d));
    dst.copy_(img);
  }
  return batched;
}

// resize_boxes(boxes, original_size, new_size)
at::Tensor resize_boxes(const at::Tensor& boxes, const ImageSize& original, const ImageSize& target) {
  auto ratio = [&](int64_t s, int64_t s_orig) {
    // torch.tensor(s, dtype=torch.float32, device=...) / torch.tensor(s_orig, ...)
    at::Tensor a = py::tensor(static_cast<double>(s), at::kFloat, boxes.device());
    at::Tensor b = py::tensor(static_cast<double>(s_orig), at::kFloat, boxes.device());
    return at::div(a, b);
  };
  at::Tensor ratio_height = ratio(target.first, original.first);
  at::Tensor ratio_width = ratio(target.second, original.second);
  std::vector<at::Tensor> c = boxes.unbind(1);  // xmin, ymin, xmax, ymax
  at::Tensor xmin = at::mul(c[0], ratio_width);
  at::Tensor xmax = at::mul(c[2], ratio_width);
  at::Tensor ymin = at::mul(c[1], ratio_height);
  at::Tensor ymax = at::mul(c[3], ratio_height);
  return at::stack({xmin, ymin, xmax, ymax}, 1);
}

// expand_boxes(boxes, scale)
at::Tensor expand_boxes(const at::Tensor& boxes, double scale) {
  // (boxes[:, a] op boxes[:, b]) * 0.5, evaluated left to right.
  auto half = [&](int64_t a, int64_t b, bool sum) {
    at::Tensor l = boxes.select(1, a);
    at::Tensor r = boxes.select(1, b);
    return at::mul(sum ? at::add(l, r) : at::sub(l, r), py_number(0.5));
  };
  at::Tensor w_half = half(2, 0, false);
  at::Tensor h_half = half(3, 1, false);
  at::Tensor x_c = half(2, 0, true);
  at::Tensor y_c = half(3, 1, true);
  w_half.mul_(py_number(scale));
  h_half.mul_(py_number(scale));
  at::Tensor boxes_exp = at::zeros_like(boxes, at::TensorOptions().pinned_memory(false));
  // boxes_exp[:, k] = value: the right side first, then select and copy_.
  auto assign = [&](int64_t k, const at::Tensor& v) { boxes_exp.select(1, k).copy_(v); };
  assign(0, at::sub(x_c, w_half));
  assign(2, at::add(x_c, w_half));
  assign(1, at::sub(y_c, h_half));
  assign(3, at::add(y_c, h_half));
  return boxes_exp;
}

// paste_mask_in_image(mask, box, im_h, im_w); box is int64 [4].
at::Tensor paste_mask_in_image(const at::Tensor& mask_in, const at::Tensor& box, int64_t im_h, int64_t im_w) {
  // w = int(box[2] - box[0] + TO_REMOVE); h = int(box[3] - box[1] + TO_REMOVE)
  auto extent = [&](int64_t hi, int64_t lo) {
    at::Tensor a = box.select(0, hi);
    at::Tensor b = box.select(0, lo);
    return py::item(at::add(at::sub(a, b), py_number(int64_t{1})));
  };
  int64_t w = extent(2, 0);
  int64_t h = extent(3, 1);
  w = std::max<int64_t>(w, 1);
  h = std::max<int64_t>(h, 1);
  at::Tensor mask = mask_in.expand({1, 1, -1, -1});
  mask = bilinear(mask, h, w);
  mask = mask.select(0, 0).select(0, 0);  // mask[0][0]
  at::Tensor im_mask = at::zeros({im_h, im_w}, at::TensorOptions().dtype(mask.scalar_type()).device(mask.device())
                                                   .pinned_memory(false));
  py::IntOrTensor x_0 = py::max(box.select(0, 0), 0);
  py::IntOrTensor x_1 = py::min(at::add(box.select(0, 2), py_number(int64_t{1})), im_w);
  py::IntOrTensor y_0 = py::max(box.select(0, 1), 0);
  py::IntOrTensor y_1 = py::min(at::add(box.select(0, 3), py_number(int64_t{1})), im_h);
  // im_mask[y_0:y_1, x_0:x_1] = mask[(y_0 - box[1]):(y_1 - box[1]), (x_0 - box[0]):(x_1 - box[0])]
  at::Tensor ys = py::minus(y_0, box.select(0, 1));
  at::Tensor ye = py::minus(y_1, box.select(0, 1));
  at::Tensor xs = py::minus(x_0, box.select(0, 0));
  at::Tensor xe = py::minus(x_1, box.select(0, 0));
  at::Tensor src = mask;
  {
    const int64_t a = py::item(ys), b = py::item(ye);
    src = py::slice(src, 0, a, b);
    const int64_t c = py::item(xs), d = py::item(xe);
    src = py::slice(src, 1, c, d);
    if (src.is_same(mask)) src = at::alias(mask);
  }
  at::Tensor dst = im_mask;
  {
    const int64_t a = py::index_value(y_0), b = py::index_value(y_1);
    dst = py::slice(dst, 0, a, b);
    const int64_t c = py::index_value(x_0), d = py::index_value(x_1);
    dst = py::slice(dst, 1, c, d);
  }
  dst.copy_(src);
  return im_mask;
}

// paste_masks_in_image(masks, boxes, img_shape, padding=1)
at::Tensor paste_masks_in_image(const at::Tensor& masks_in, const at::Tensor& boxes_in, const ImageSize& img_shape) {
  const int64_t padding = 1;
  // expand_masks: scale = float(M + 2 * padding) / M; F.pad(mask, (padding,) * 4)
  const int64_t m = masks_in.size(-1);
  const double scale = static_cast<double>(m + 2 * padding) / static_cast<double>(m);
  at::Tensor masks = at::pad(masks_in, {padding, padding, padding, padding}, "constant", std::nullopt);
  at::Tensor boxes = expand_boxes(boxes_in, scale).to(at::kLong);
  const auto [im_h, im_w] = img_shape;
  std::vector<at::Tensor> ms = masks.unbind(0);  // zip(masks, boxes) iterates both
  std::vector<at::Tensor> bs = boxes.unbind(0);
  std::vector<at::Tensor> res;
  for (size_t i = 0; i < ms.size() && i < bs.size(); ++i) {
    res.push_back(paste_mask_in_image(ms[i].select(0, 0), bs[i], im_h, im_w));
  }
  if (!res.empty()) return at::stack(res, 0).unsqueeze(1);  // torch.stack(res, dim=0)[:, None]
  return masks.new_empty({0, 1, im_h, im_w}, at::TensorOptions().pinned_memory(false));
}

}  // namespace

ImageSize rcnn_resized_size(int64_t h, int64_t w, int64_t min_size, int64_t max_size) {
  const double scale = std::min(static_cast<double>(min_size) / static_cast<double>(std::min(h, w)),
                                static_cast<double>(max_size) / static_cast<double>(std::max(h, w)));
  return {static_cast<int64_t>(static_cast<double>(h) * scale), static_cast<int64_t>(static_cast<double>(w) * scale)};
}

ImageList rcnn_transform(const RCNNTransformConfig& c, const std::vector<at::Tensor>& images_in) {
  ModuleScope scope("GeneralizedRCNNTransform");
  std::vector<at::Tensor> images;
  std::vector<ImageSize> sizes;
  for (const at::Tensor& img : images_in) {
    at::Tensor image = normalize(c, img);
    // resize(): _resize_image_and_masks with size = min_size[-1], scale_factor, recompute_scale_factor=True
    const ImageSize s = rcnn_resized_size(image.size(-2), image.size(-1), c.min_size, c.max_size);
    image = bilinear(image.unsqueeze(0), s.first, s.second).select(0, 0);  // interpolate(image[None], ...)[0]
    sizes.emplace_back(image.size(-2), image.size(-1));
    images.push_back(image);
  }
  return {batch_images(images, c.size_divisible), sizes};
}

void rcnn_postprocess(std::vector<Detections>& result, const std::vector<ImageSize>& image_shapes,
                      const std::vector<ImageSize>& original_sizes) {
  for (size_t i = 0; i < result.size(); ++i) {
    result[i].boxes = resize_boxes(result[i].boxes, image_shapes[i], original_sizes[i]);
    if (result[i].masks.defined()) {
      result[i].masks = paste_masks_in_image(result[i].masks, result[i].boxes, original_sizes[i]);
    }
  }
}

}  // namespace ngbench::models::vision
