// torchvision 0.26 models/detection/_utils.py (BoxCoder) and ops/boxes.py.
#include "models/vision/rcnn_boxes.h"

#include <ATen/ATen.h>
#include <ATen/TensorIndexing.h>

#include <limits>

#include "models/hf_layers.h"
#include "models/vision/py_ops.h"
#include "models/vision/torchvision_ops.h"

namespace ngbench::models::vision {

namespace {

using hf::py_number;

constexpr int64_t kEnd = std::numeric_limits<int64_t>::max();  // a Python slice's open end

// `a - boxes[..., k]` with a already evaluated: select, then sub.
at::Tensor minus(const at::Tensor& a, const at::Tensor& boxes, int64_t k) {
  at::Tensor b = boxes.select(-1, k);
  return at::sub(a, b);
}

// decode_single(rel_codes, boxes)
at::Tensor decode_single(const std::array<double, 4>& w, const at::Tensor& rel_codes, const at::Tensor& boxes_in) {
  const double clip = std::log(1000.0 / 16);
  at::Tensor boxes = boxes_in.to(rel_codes.scalar_type());
  // Arguments are evaluated in Python's order, one statement each (C++ leaves it unspecified).
  at::Tensor widths = minus(boxes.select(1, 2), boxes, 0);
  at::Tensor heights = minus(boxes.select(1, 3), boxes, 1);
  at::Tensor x0 = boxes.select(1, 0);  // boxes[:, 0] + 0.5 * widths
  at::Tensor ctr_x = at::add(x0, at::mul(widths, py_number(0.5)));
  at::Tensor y0 = boxes.select(1, 1);
  at::Tensor ctr_y = at::add(y0, at::mul(heights, py_number(0.5)));
  at::Tensor dx = at::div(rel_codes.slice(1, 0, kEnd, 4), py_number(w[0]));  // rel_codes[:, 0::4] / wx
  at::Tensor dy = at::div(rel_codes.slice(1, 1, kEnd, 4), py_number(w[1]));
  at::Tensor dw = at::div(rel_codes.slice(1, 2, kEnd, 4), py_number(w[2]));
  at::Tensor dh = at::div(rel_codes.slice(1, 3, kEnd, 4), py_number(w[3]));
  dw = at::clamp(dw, std::nullopt, clip);  // torch.clamp(dw, max=self.bbox_xform_clip)
  dh = at::clamp(dh, std::nullopt, clip);
  at::Tensor t = at::mul(dx, widths.unsqueeze(1));  // dx * widths[:, None] + ctr_x[:, None]
  at::Tensor pred_ctr_x = at::add(t, ctr_x.unsqueeze(1));
  t = at::mul(dy, heights.unsqueeze(1));
  at::Tensor pred_ctr_y = at::add(t, ctr_y.unsqueeze(1));
  t = at::exp(dw);  // torch.exp(dw) * widths[:, None]
  at::Tensor pred_w = at::mul(t, widths.unsqueeze(1));
  t = at::exp(dh);
  at::Tensor pred_h = at::mul(t, heights.unsqueeze(1));
  // torch.tensor(0.5, dtype=..., device=...) * pred_h, then * pred_w
  at::Tensor c_to_c_h = at::mul(py::tensor(0.5, pred_ctr_y.scalar_type(), pred_h.device()), pred_h);
  at::Tensor c_to_c_w = at::mul(py::tensor(0.5, pred_ctr_x.scalar_type(), pred_w.device()), pred_w);
  at::Tensor b1 = at::sub(pred_ctr_x, c_to_c_w);
  at::Tensor b2 = at::sub(pred_ctr_y, c_to_c_h);
  at::Tensor b3 = at::add(pred_ctr_x, c_to_c_w);
  at::Tensor b4 = at::add(pred_ctr_y, c_to_c_h);
  return at::stack({b1, b2, b3, b4}, 2).flatten(1);
}

// _batched_nms_coordinate_trick
at::Tensor batched_nms_coordinate_trick(const at::Tensor& boxes, const at::Tensor& scores, const at::Tensor& idxs,
                                        double iou_threshold, int64_t* calls) {
  if (boxes.numel() == 0) {
    return at::empty({0}, at::TensorOptions().dtype(at::kLong).device(boxes.device()).pinned_memory(false));
  }
  at::Tensor max_coordinate = boxes.max();
  // idxs.to(boxes) * (max_coordinate + torch.tensor(1).to(boxes))
  at::Tensor idx = idxs.to(boxes.device(), boxes.scalar_type(), false, false);
  at::Tensor one = py::tensor(int64_t{1}).to(boxes.device(), boxes.scalar_type(), false, false);
  at::Tensor offsets = at::mul(idx, at::add(max_coordinate, one));
  at::Tensor boxes_for_nms = at::add(boxes, offsets.unsqueeze(1));
  if (calls) ++*calls;
  return nms(boxes_for_nms, scores, iou_threshold);
}

// _batched_nms_vanilla
at::Tensor batched_nms_vanilla(const at::Tensor& boxes, const at::Tensor& scores, const at::Tensor& idxs,
                               double iou_threshold, int64_t* calls) {
  at::Tensor keep_mask = at::zeros_like(scores, at::TensorOptions().dtype(at::kBool).pinned_memory(false));
  at::Tensor classes = std::get<0>(at::_unique2(idxs, /*sorted=*/true, false, false));
  for (const at::Tensor& class_id : classes.unbind(0)) {  // for class_id in torch.unique(idxs)
    at::Tensor curr_indices = where_index(at::eq(idxs, class_id));
    at::Tensor curr_boxes = pick(boxes, curr_indices);
    at::Tensor curr_keep = nms(curr_boxes, pick(scores, curr_indices), iou_threshold);
    if (calls) ++*calls;
    // keep_mask[curr_indices[curr_keep_indices]] = True
    at::Tensor where = pick(curr_indices, curr_keep);
    at::Tensor value = at::lift_fresh(
        at::indexing::scalarToTensor(c10::Scalar(int64_t{1}), keep_mask.options(), keep_mask.device()));
    keep_mask.index_put_({where}, value);
  }
  at::Tensor keep_indices = where_index(keep_mask);
  at::Tensor order = std::get<1>(at::sort(pick(scores, keep_indices), -1, /*descending=*/true));
  return pick(keep_indices, order);
}

}  // namespace

at::Tensor pick(const at::Tensor& t, const at::Tensor& index) {
  return at::index(t, c10::List<std::optional<at::Tensor>>({index}));
}

at::Tensor where_index(const at::Tensor& cond) { return at::where(cond)[0]; }

at::Tensor box_decode(const std::array<double, 4>& weights, const at::Tensor& rel_codes_in,
                      const std::vector<at::Tensor>& boxes) {
  int64_t box_sum = 0;
  for (const auto& b : boxes) box_sum += b.size(0);
  at::Tensor concat_boxes = at::cat(boxes, 0);
  at::Tensor rel_codes = box_sum > 0 ? rel_codes_in.reshape({box_sum, -1}) : rel_codes_in;
  at::Tensor pred = decode_single(weights, rel_codes, concat_boxes);
  return box_sum > 0 ? pred.reshape({box_sum, -1, 4}) : pred;
}

at::Tensor clip_boxes_to_image(const at::Tensor& boxes, const ImageSize& size) {
  const int64_t dim = boxes.dim();
  at::Tensor boxes_x = boxes.slice(-1, 0, kEnd, 2);  // boxes[..., 0::2]
  at::Tensor boxes_y = boxes.slice(-1, 1, kEnd, 2);
  boxes_x = at::clamp(boxes_x, c10::Scalar(int64_t{0}), c10::Scalar(size.second));
  boxes_y = at::clamp(boxes_y, c10::Scalar(int64_t{0}), c10::Scalar(size.first));
  return at::stack({boxes_x, boxes_y}, dim).reshape(boxes.sizes());
}

at::Tensor remove_small_boxes(const at::Tensor& boxes, double min_size) {
  at::Tensor ws = minus(boxes.select(-1, 2), boxes, 0);
  at::Tensor hs = minus(boxes.select(-1, 3), boxes, 1);
  at::Tensor wide = at::ge(ws, min_size);
  at::Tensor keep = at::__and__(wide, at::ge(hs, min_size));
  return where_index(keep);
}

at::Tensor batched_nms(const at::Tensor& boxes, const at::Tensor& scores, const at::Tensor& idxs,
                       double iou_threshold, int64_t* nms_calls) {
  const int64_t threshold = boxes.device().is_cpu() ? 4000 : 100000;
  if (boxes.numel() > threshold) return batched_nms_vanilla(boxes, scores, idxs, iou_threshold, nms_calls);
  return batched_nms_coordinate_trick(boxes, scores, idxs, iou_threshold, nms_calls);
}

at::Tensor box_area(const at::Tensor& boxes) {
  at::Tensor w = minus(boxes.select(1, 2), boxes, 0);
  return at::mul(w, minus(boxes.select(1, 3), boxes, 1));
}

}  // namespace ngbench::models::vision
