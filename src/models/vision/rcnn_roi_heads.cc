// torchvision 0.26 ops/poolers.py, models/detection/faster_rcnn.py,
// mask_rcnn.py and roi_heads.py, eval mode, targets None.
#include "models/vision/rcnn_roi_heads.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>

#include "models/module_scope.h"
#include "models/vision/py_ops.h"
#include "models/vision/rcnn_boxes.h"
#include "models/vision/torchvision_ops.h"

namespace ngbench::models::vision {

namespace {

using hf::py_number;

constexpr int64_t kEnd = std::numeric_limits<int64_t>::max();
constexpr int64_t kCanonicalScale = 224, kCanonicalLevel = 4;
constexpr double kLevelEps = 1e-6;

std::shared_ptr<hf::LinearImpl> linear(int64_t in, int64_t out) {
  auto l = std::make_shared<hf::LinearImpl>(in, out);
  init::linear_default(l->weight, l->bias);
  return l;
}

// _infer_scale(feature, original_size): 2 ** float(torch.tensor(approx_scale).log2().round())
double infer_scale(const at::Tensor& feature, const ImageSize& original) {
  const double approx = static_cast<double>(feature.size(-2)) / static_cast<double>(original.first);
  at::Tensor t = py::tensor(approx, at::kFloat, at::kCPU);  // torch.tensor(float): float32
  return std::pow(2.0, t.log2().round().item().toDouble());
}

// _convert_to_roi_format(boxes)
at::Tensor convert_to_roi_format(const std::vector<at::Tensor>& boxes) {
  at::Tensor concat_boxes = at::cat(boxes, 0);
  std::vector<at::Tensor> ids;
  for (size_t i = 0; i < boxes.size(); ++i) {
    // torch.full_like(b[:, :1], i, dtype=dtype, layout=torch.strided, device=device)
    ids.push_back(at::full_like(py::slice(boxes[i], 1, 0, 1), static_cast<int64_t>(i),
                                at::TensorOptions()
                                    .dtype(concat_boxes.scalar_type())
                                    .layout(at::kStrided)
                                    .device(concat_boxes.device())
                                    .pinned_memory(false)));
  }
  return at::cat({at::cat(ids, 0), concat_boxes}, 1);
}

}  // namespace

void MultiScaleRoIAlignImpl::setup_scales(const std::vector<at::Tensor>& features,
                                          const std::vector<ImageSize>& image_shapes) {
  ImageSize original{0, 0};
  for (const auto& s : image_shapes) original = {std::max(s.first, original.first), std::max(s.second, original.second)};
  scales_.clear();
  for (const auto& f : features) scales_.push_back(infer_scale(f, original));
  // lvl_min = -torch.log2(torch.tensor(scales[0], dtype=torch.float32)).item(), same for lvl_max
  auto level = [](double scale) {
    return -at::log2(py::tensor(scale, at::kFloat, at::kCPU)).item().toDouble();
  };
  k_min_ = static_cast<int64_t>(level(scales_.front()));
  k_max_ = static_cast<int64_t>(level(scales_.back()));
}

at::Tensor MultiScaleRoIAlignImpl::forward(const std::vector<at::Tensor>& all_features,
                                           const std::vector<at::Tensor>& boxes,
                                           const std::vector<ImageSize>& image_shapes) {
  ModuleScope scope("MultiScaleRoIAlign");
  const std::vector<at::Tensor> x(all_features.begin(), all_features.begin() + 4);  // featmap_names "0".."3"
  if (scales_.empty()) setup_scales(x, image_shapes);
  at::Tensor rois = convert_to_roi_format(boxes);
  // LevelMapper(k_min, k_max)(boxes)
  std::vector<at::Tensor> areas;
  for (const auto& b : boxes) areas.push_back(box_area(b));
  at::Tensor s = at::sqrt(at::cat(areas));
  at::Tensor lvls = at::add(at::log2(at::div(s, py_number(kCanonicalScale))), py_number(kCanonicalLevel));
  lvls = at::floor(at::add(lvls, py::tensor(kLevelEps, s.scalar_type(), at::kCPU)));
  lvls = at::clamp(lvls, c10::Scalar(k_min_), c10::Scalar(k_max_));
  at::Tensor levels = at::sub(lvls.to(at::kLong), py_number(k_min_)).to(at::kLong);

  const at::Tensor& first = x.front();
  at::Tensor result = at::zeros({rois.size(0), first.size(1), output_size_, output_size_},
                                at::TensorOptions().dtype(first.scalar_type()).device(first.device()).pinned_memory(false));
  for (size_t level = 0; level < x.size(); ++level) {
    at::Tensor idx_in_level = where_index(at::eq(levels, c10::Scalar(static_cast<int64_t>(level))));
    at::Tensor rois_per_level = pick(rois, idx_in_level);
    at::Tensor pooled = roi_align(x[level], rois_per_level, scales_[level], output_size_, output_size_,
                                  sampling_ratio_, /*aligned=*/false);
    // result[idx_in_level] = result_idx_in_level.to(result.dtype)
    result.index_put_({idx_in_level}, pooled.to(result.scalar_type()));
  }
  return result;
}

TwoMLPHeadImpl::TwoMLPHeadImpl(int64_t in_channels, int64_t representation_size) {
  fc6 = register_module("fc6", linear(in_channels, representation_size));
  fc7 = register_module("fc7", linear(representation_size, representation_size));
}

at::Tensor TwoMLPHeadImpl::forward(const at::Tensor& x_in) {
  ModuleScope scope("TwoMLPHead", {x_in});
  at::Tensor x = x_in.flatten(1);
  x = at::relu(fc6->forward(x));
  return at::relu(fc7->forward(x));
}

FastRCNNPredictorImpl::FastRCNNPredictorImpl(int64_t in_channels, int64_t num_classes) {
  cls_score = register_module("cls_score", linear(in_channels, num_classes));
  bbox_pred = register_module("bbox_pred", linear(in_channels, num_classes * 4));
}

std::pair<at::Tensor, at::Tensor> FastRCNNPredictorImpl::forward(const at::Tensor& x_in) {
  ModuleScope scope("FastRCNNPredictor", {x_in});
  at::Tensor x = x_in.flatten(1);
  at::Tensor scores = cls_score->forward(x);
  return {scores, bbox_pred->forward(x)};
}

MaskRCNNHeadsImpl::MaskRCNNHeadsImpl(int64_t in_channels, const std::vector<int64_t>& layers) {
  relu = std::make_shared<ReLUImpl>(true);
  int64_t next = in_channels;
  for (size_t i = 0; i < layers.size(); ++i) {
    // Conv2dNormActivation(next, layers[i], kernel_size=3, stride=1, padding=1, dilation=1, norm_layer=None)
    convs.push_back(std::make_shared<Conv2dImpl>(next, layers[i], 3, 1, 1, 1));
    init::kaiming_normal_fan_out_relu(convs.back()->weight);
    init::zeros(convs.back()->bias);
    auto block = std::make_shared<ContainerImpl>();
    block->add("0", convs.back());
    block->add("1", std::make_shared<ReLUImpl>(true));
    register_module(std::to_string(i), block);
    next = layers[i];
  }
}

at::Tensor MaskRCNNHeadsImpl::forward(const at::Tensor& x_in) {
  ModuleScope scope("MaskRCNNHeads", {x_in});
  at::Tensor x = x_in;
  for (auto& c : convs) x = relu->forward(c->forward(x));
  return x;
}

MaskRCNNPredictorImpl::MaskRCNNPredictorImpl(int64_t in_channels, int64_t dim_reduced, int64_t num_classes) {
  conv5_mask = register_module("conv5_mask", std::make_shared<ConvTranspose2dImpl>(in_channels, dim_reduced, 2, 2));
  relu = register_module("relu", std::make_shared<ReLUImpl>(true));
  mask_fcn_logits = register_module("mask_fcn_logits", std::make_shared<Conv2dImpl>(dim_reduced, num_classes, 1));
  init::kaiming_normal_fan_out_relu(conv5_mask->weight);
  init::kaiming_normal_fan_out_relu(mask_fcn_logits->weight);
}

at::Tensor MaskRCNNPredictorImpl::forward(const at::Tensor& x) {
  ModuleScope scope("MaskRCNNPredictor", {x});
  return mask_fcn_logits->forward(relu->forward(conv5_mask->forward(x)));
}

RoIHeadsImpl::RoIHeadsImpl(int64_t in_channels, const RoIHeadsConfig& c) : config_(c) {
  box_roi_pool = register_module("box_roi_pool", std::make_shared<MultiScaleRoIAlignImpl>(7));
  box_head = register_module("box_head", std::make_shared<TwoMLPHeadImpl>(in_channels * 7 * 7, c.representation_size));
  box_predictor =
      register_module("box_predictor", std::make_shared<FastRCNNPredictorImpl>(c.representation_size, c.num_classes));
  if (c.masks) {
    mask_roi_pool = register_module("mask_roi_pool", std::make_shared<MultiScaleRoIAlignImpl>(14));
    mask_head = register_module("mask_head", std::make_shared<MaskRCNNHeadsImpl>(in_channels, c.mask_layers));
    mask_predictor = register_module("mask_predictor", std::make_shared<MaskRCNNPredictorImpl>(
                                                           c.mask_layers.back(), c.mask_dim_reduced, c.num_classes));
  }
}

std::vector<Detections> RoIHeadsImpl::forward(const std::vector<at::Tensor>& features,
                                              const std::vector<at::Tensor>& proposals,
                                              const std::vector<ImageSize>& image_shapes) {
  ModuleScope scope("RoIHeads");
  counts = RoIHeadsCounts{};
  at::Tensor box_features = box_roi_pool->forward(features, proposals, image_shapes);
  box_features = box_head->forward(box_features);
  auto [class_logits, box_regression] = box_predictor->forward(box_features);
  std::vector<Detections> result = postprocess_detections(class_logits, box_regression, proposals, image_shapes);
  if (config_.masks) {
    std::vector<at::Tensor> mask_proposals, labels;
    for (const auto& r : result) mask_proposals.push_back(r.boxes);
    at::Tensor mask_features = mask_roi_pool->forward(features, mask_proposals, image_shapes);
    mask_features = mask_head->forward(mask_features);
    at::Tensor mask_logits = mask_predictor->forward(mask_features);
    // maskrcnn_inference(mask_logits, labels)
    at::Tensor mask_prob = mask_logits.sigmoid();
    std::vector<int64_t> boxes_per_image;
    for (const auto& r : result) {
      boxes_per_image.push_back(r.labels.size(0));
      labels.push_back(r.labels);
    }
    at::Tensor all_labels = at::cat(labels);
    at::Tensor index = at::arange(mask_logits.size(0), at::TensorOptions().device(all_labels.device()).pinned_memory(false));
    mask_prob = at::index(mask_prob, c10::List<std::optional<at::Tensor>>({index, all_labels})).unsqueeze(1);
    std::vector<at::Tensor> per_image = mask_prob.split_with_sizes(boxes_per_image, 0);
    for (size_t i = 0; i < result.size(); ++i) result[i].masks = per_image[i];
  }
  return result;
}

std::vector<Detections> RoIHeadsImpl::postprocess_detections(const at::Tensor& class_logits,
                                                             const at::Tensor& box_regression,
                                                             const std::vector<at::Tensor>& proposals,
                                                             const std::vector<ImageSize>& image_shapes) {
  const at::Device device = class_logits.device();
  const int64_t num_classes = class_logits.size(-1);
  std::vector<int64_t> boxes_per_image;
  for (const auto& p : proposals) boxes_per_image.push_back(p.size(0));
  at::Tensor pred_boxes = box_decode({10.0, 10.0, 5.0, 5.0}, box_regression, proposals);
  at::Tensor pred_scores = at::softmax(class_logits, -1);
  std::vector<at::Tensor> boxes_list = pred_boxes.split_with_sizes(boxes_per_image, 0);
  std::vector<at::Tensor> scores_list = pred_scores.split_with_sizes(boxes_per_image, 0);
  std::vector<Detections> out;
  for (size_t i = 0; i < boxes_list.size(); ++i) {
    at::Tensor boxes = clip_boxes_to_image(boxes_list[i], image_shapes[i]);
    at::Tensor scores = scores_list[i];
    at::Tensor labels = at::arange(num_classes, at::TensorOptions().device(device).pinned_memory(false));
    labels = labels.view({1, -1}).expand_as(scores);
    // remove predictions with the background label: [:, 1:]
    boxes = py::slice(boxes, 1, 1, kEnd);
    scores = py::slice(scores, 1, 1, kEnd);
    labels = py::slice(labels, 1, 1, kEnd);
    // batch everything, by making every class prediction be a separate instance
    boxes = boxes.reshape({-1, 4});
    scores = scores.reshape(-1);
    labels = labels.reshape(-1);
    at::Tensor inds = where_index(at::gt(scores, config_.score_thresh));
    boxes = pick(boxes, inds);
    scores = pick(scores, inds);
    labels = pick(labels, inds);
    at::Tensor keep = remove_small_boxes(boxes, 1e-2);
    boxes = pick(boxes, keep);
    scores = pick(scores, keep);
    labels = pick(labels, keep);
    counts.candidates += boxes.size(0);
    keep = batched_nms(boxes, scores, labels, config_.nms_thresh, &counts.nms_calls);
    keep = py::slice0(keep, 0, config_.detections_per_img);  // keep[: self.detections_per_img]
    Detections d;
    d.boxes = pick(boxes, keep);
    d.scores = pick(scores, keep);
    d.labels = pick(labels, keep);
    counts.detections += d.boxes.size(0);
    out.push_back(d);
  }
  return out;
}

int64_t roi_heads_parameter_count(int64_t c, const RoIHeadsConfig& cfg) {
  const int64_t r = cfg.representation_size, k = cfg.num_classes;
  int64_t n = (c * 49 * r + r) + (r * r + r) + (r * k + k) + (r * 4 * k + 4 * k);
  if (cfg.masks) {
    int64_t in = c;
    for (int64_t l : cfg.mask_layers) {
      n += 9 * in * l + l;
      in = l;
    }
    const int64_t d = cfg.mask_dim_reduced;
    n += (in * d * 4 + d) + (d * k + k);
  }
  return n;
}

}  // namespace ngbench::models::vision
