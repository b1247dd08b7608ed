// torchvision 0.26 models/detection/anchor_utils.py and rpn.py, eval mode.
#include "models/vision/rcnn_rpn.h"

#include <ATen/ATen.h>

#include <algorithm>

#include "models/hf_layers.h"
#include "models/module_scope.h"
#include "models/vision/py_ops.h"
#include "models/vision/rcnn_boxes.h"

namespace ngbench::models::vision {

namespace {

using hf::py_number;

// AnchorGenerator.generate_anchors(scales, aspect_ratios), at construction (not observed).
at::Tensor generate_anchors(double scale, const std::vector<double>& ratios) {
  at::Tensor scales = at::tensor({scale}, at::kFloat);
  at::Tensor aspect = at::tensor(at::ArrayRef<double>(ratios), at::kFloat);
  at::Tensor h_ratios = at::sqrt(aspect);
  at::Tensor w_ratios = at::div(at::ones_like(h_ratios), h_ratios);  // 1 / h_ratios
  at::Tensor ws = at::mul(w_ratios.unsqueeze(1), scales.unsqueeze(0)).view(-1);
  at::Tensor hs = at::mul(h_ratios.unsqueeze(1), scales.unsqueeze(0)).view(-1);
  return at::div(at::stack({at::neg(ws), at::neg(hs), ws, hs}, 1), 2).round();
}

// permute_and_flatten(layer, N, A, C, H, W)
at::Tensor permute_and_flatten(const at::Tensor& layer, int64_t n, int64_t c, int64_t h, int64_t w) {
  return layer.view({n, -1, c, h, w}).permute({0, 3, 4, 1, 2}).reshape({n, -1, c});
}

}  // namespace

AnchorGeneratorImpl::AnchorGeneratorImpl() {
  for (double size : {32.0, 64.0, 128.0, 256.0, 512.0}) cell_anchors_.push_back(generate_anchors(size, {0.5, 1.0, 2.0}));
}

std::vector<at::Tensor> AnchorGeneratorImpl::forward(const ImageList& images,
                                                     const std::vector<at::Tensor>& feature_maps) {
  ModuleScope scope("AnchorGenerator");
  const int64_t image_h = images.tensors.size(-2), image_w = images.tensors.size(-1);
  const at::ScalarType dtype = feature_maps[0].scalar_type();
  const at::Device device = feature_maps[0].device();
  const auto long_opts = at::TensorOptions().dtype(at::kLong).device(device).pinned_memory(false);
  std::vector<std::pair<at::Tensor, at::Tensor>> strides;
  for (const auto& f : feature_maps) {
    // torch.empty((), dtype=torch.int64, device=device).fill_(image_size[0] // g[0]), same for [1]
    at::Tensor sh = at::empty({}, long_opts).fill_(image_h / f.size(-2));
    at::Tensor sw = at::empty({}, long_opts).fill_(image_w / f.size(-1));
    strides.emplace_back(sh, sw);
  }
  for (auto& a : cell_anchors_) a = a.to(device, dtype, false, false);  // set_cell_anchors
  // grid_anchors(grid_sizes, strides)
  std::vector<at::Tensor> per_level;
  const auto int_opts = at::TensorOptions().dtype(at::kInt).device(device).pinned_memory(false);
  for (size_t l = 0; l < feature_maps.size(); ++l) {
    const int64_t gh = feature_maps[l].size(-2), gw = feature_maps[l].size(-1);
    at::Tensor shifts_x = at::mul(at::arange(0, gw, int_opts), strides[l].second);
    at::Tensor shifts_y = at::mul(at::arange(0, gh, int_opts), strides[l].first);
    std::vector<at::Tensor> grid = at::meshgrid({shifts_y, shifts_x}, "ij");
    at::Tensor shift_x = grid[1].reshape(-1);
    at::Tensor shift_y = grid[0].reshape(-1);
    at::Tensor shifts = at::stack({shift_x, shift_y, shift_x, shift_y}, 1);
    at::Tensor s = shifts.view({-1, 1, 4});
    per_level.push_back(at::add(s, cell_anchors_[l].view({1, -1, 4})).reshape({-1, 4}));
  }
  std::vector<at::Tensor> anchors;
  for (size_t i = 0; i < images.image_sizes.size(); ++i) anchors.push_back(at::cat(per_level));
  return anchors;
}

RPNHeadImpl::RPNHeadImpl(int64_t in_channels, int64_t num_anchors) {
  conv = std::make_shared<Conv2dImpl>(in_channels, in_channels, 3, 1, 1);
  relu = std::make_shared<ReLUImpl>(true);
  auto block = std::make_shared<ContainerImpl>();  // Conv2dNormActivation(in, in, kernel_size=3, norm_layer=None)
  block->add("0", conv);
  block->add("1", relu);
  auto seq = register_module("conv", std::make_shared<ContainerImpl>());
  seq->add("0", block);
  cls_logits = register_module("cls_logits", std::make_shared<Conv2dImpl>(in_channels, num_anchors, 1));
  bbox_pred = register_module("bbox_pred", std::make_shared<Conv2dImpl>(in_channels, num_anchors * 4, 1));
  for (auto* c : {conv.get(), cls_logits.get(), bbox_pred.get()}) {
    init::normal(c->weight, 0.01);
    init::zeros(c->bias);
  }
}

void RPNHeadImpl::forward(const std::vector<at::Tensor>& x, std::vector<at::Tensor>& logits,
                          std::vector<at::Tensor>& bbox_reg) {
  ModuleScope scope("RPNHead");
  for (const auto& feature : x) {
    at::Tensor t = relu->forward(conv->forward(feature));
    logits.push_back(cls_logits->forward(t));
    bbox_reg.push_back(bbox_pred->forward(t));
  }
}

RegionProposalNetworkImpl::RegionProposalNetworkImpl(int64_t in_channels, const RPNConfig& config) : config_(config) {
  anchor_generator = register_module("anchor_generator", std::make_shared<AnchorGeneratorImpl>());
  head = register_module("head",
                         std::make_shared<RPNHeadImpl>(in_channels, anchor_generator->num_anchors_per_location()));
}

std::vector<at::Tensor> RegionProposalNetworkImpl::forward(const ImageList& images,
                                                           const std::vector<at::Tensor>& features) {
  ModuleScope scope("RegionProposalNetwork");
  counts = RPNCounts{};
  std::vector<at::Tensor> objectness, deltas;
  head->forward(features, objectness, deltas);
  std::vector<at::Tensor> anchors = anchor_generator->forward(images, features);
  const int64_t num_images = static_cast<int64_t>(anchors.size());
  std::vector<int64_t> num_anchors_per_level;
  for (const auto& o : objectness) {
    at::Tensor s = o.select(0, 0);  // o[0].shape
    num_anchors_per_level.push_back(s.size(0) * s.size(1) * s.size(2));
  }
  // concat_box_prediction_layers(objectness, pred_bbox_deltas)
  std::vector<at::Tensor> cls_flat, reg_flat;
  for (size_t l = 0; l < objectness.size(); ++l) {
    const int64_t n = objectness[l].size(0), axc = objectness[l].size(1), h = objectness[l].size(2),
                  w = objectness[l].size(3);
    const int64_t a = deltas[l].size(1) / 4;
    cls_flat.push_back(permute_and_flatten(objectness[l], n, axc / a, h, w));
    reg_flat.push_back(permute_and_flatten(deltas[l], n, 4, h, w));
  }
  at::Tensor box_cls = at::cat(cls_flat, 1).flatten(0, -2);
  at::Tensor box_regression = at::cat(reg_flat, 1).reshape({-1, 4});
  for (const auto& a : anchors) counts.anchors += a.size(0);
  at::Tensor proposals = box_decode({1.0, 1.0, 1.0, 1.0}, box_regression.detach(), anchors);
  proposals = proposals.view({num_images, -1, 4});
  return filter_proposals(proposals, box_cls, images.image_sizes, num_anchors_per_level);
}

std::vector<at::Tensor> RegionProposalNetworkImpl::filter_proposals(const at::Tensor& proposals_in,
                                                                    const at::Tensor& objectness_in,
                                                                    const std::vector<ImageSize>& image_shapes,
                                                                    const std::vector<int64_t>& num_anchors_per_level) {
  const int64_t num_images = proposals_in.size(0);
  const at::Device device = proposals_in.device();
  at::Tensor objectness = objectness_in.detach().reshape({num_images, -1});
  std::vector<at::Tensor> levels_list;
  for (size_t idx = 0; idx < num_anchors_per_level.size(); ++idx) {
    levels_list.push_back(at::full({num_anchors_per_level[idx]}, static_cast<int64_t>(idx),
                                   at::TensorOptions().dtype(at::kLong).device(device).pinned_memory(false)));
  }
  at::Tensor levels = at::cat(levels_list, 0).reshape({1, -1}).expand_as(objectness);
  // _get_top_n_idx(objectness, num_anchors_per_level)
  std::vector<at::Tensor> r;
  int64_t offset = 0;
  for (const at::Tensor& ob : objectness.split_with_sizes(num_anchors_per_level, 1)) {
    const int64_t num_anchors = ob.size(1);
    const int64_t k = std::min(config_.pre_nms_top_n, num_anchors);  // det_utils._topk_min
    at::Tensor top_n_idx = std::get<1>(ob.topk(k, 1));
    r.push_back(at::add(top_n_idx, py_number(offset)));
    offset += num_anchors;
  }
  at::Tensor top_n = at::cat(r, 1);
  at::Tensor batch_idx = at::arange(num_images, at::TensorOptions().device(device).pinned_memory(false)).unsqueeze(1);
  const c10::List<std::optional<at::Tensor>> index({batch_idx, top_n});
  objectness = at::index(objectness, index);
  levels = at::index(levels, index);
  at::Tensor proposals = at::index(proposals_in, index);
  at::Tensor objectness_prob = at::sigmoid(objectness);

  std::vector<at::Tensor> all_boxes = proposals.unbind(0), all_scores = objectness_prob.unbind(0),
                          all_lvl = levels.unbind(0);
  std::vector<at::Tensor> final_boxes;
  for (size_t i = 0; i < all_boxes.size(); ++i) {
    at::Tensor boxes = clip_boxes_to_image(all_boxes[i], image_shapes[i]);
    at::Tensor keep = remove_small_boxes(boxes, config_.min_size);
    boxes = pick(boxes, keep);
    at::Tensor scores = pick(all_scores[i], keep);
    at::Tensor lvl = pick(all_lvl[i], keep);
    // keep = torch.where(scores >= self.score_thresh)[0]
    keep = where_index(at::ge(scores, config_.score_thresh));
    boxes = pick(boxes, keep);
    scores = pick(scores, keep);
    lvl = pick(lvl, keep);
    counts.pre_nms += boxes.size(0);
    keep = batched_nms(boxes, scores, lvl, config_.nms_thresh, &counts.nms_calls);
    keep = py::slice0(keep, 0, config_.post_nms_top_n);  // keep[: self.post_nms_top_n()]
    boxes = pick(boxes, keep);
    scores = pick(scores, keep);
    counts.post_nms += boxes.size(0);
    final_boxes.push_back(boxes);
  }
  return final_boxes;
}

int64_t rpn_head_parameter_count(int64_t c, int64_t a) {
  return (9 * c * c + c) + (c * a + a) + (c * 4 * a + 4 * a);
}

}  // namespace ngbench::models::vision
