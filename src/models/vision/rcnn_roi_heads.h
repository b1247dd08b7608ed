#pragma once
// torchvision 0.26 ops/poolers.py (MultiScaleRoIAlign over torchvision::roi_align),
// models/detection/faster_rcnn.py (TwoMLPHead, FastRCNNPredictor),
// mask_rcnn.py (MaskRCNNHeads, MaskRCNNPredictor) and roi_heads.py (RoIHeads in
// eval mode: postprocess_detections with batched NMS per class, maskrcnn_inference).
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "models/hf_layers.h"
#include "models/vision/nn_layers.h"
#include "models/vision/rcnn_transform.h"

namespace ngbench::models::vision {

// MultiScaleRoIAlign(featmap_names=["0", "1", "2", "3"], output_size, sampling_ratio=2).
// Like torchvision, it sets up its level scales in its first call, from that
// call's image sizes, and keeps them.
class MultiScaleRoIAlignImpl : public torch::nn::Module {
 public:
  explicit MultiScaleRoIAlignImpl(int64_t output_size, int64_t sampling_ratio = 2)
      : output_size_(output_size), sampling_ratio_(sampling_ratio) {}
  // features: the FPN outputs (the first four are used); boxes: per image.
  at::Tensor forward(const std::vector<at::Tensor>& features, const std::vector<at::Tensor>& boxes,
                     const std::vector<ImageSize>& image_shapes);

 private:
  void setup_scales(const std::vector<at::Tensor>& features, const std::vector<ImageSize>& image_shapes);
  int64_t output_size_, sampling_ratio_;
  std::vector<double> scales_;
  int64_t k_min_ = 0, k_max_ = 0;
};

class TwoMLPHeadImpl : public torch::nn::Module {
 public:
  TwoMLPHeadImpl(int64_t in_channels, int64_t representation_size);
  at::Tensor forward(const at::Tensor& x);
  std::shared_ptr<hf::LinearImpl> fc6, fc7;
};

class FastRCNNPredictorImpl : public torch::nn::Module {
 public:
  FastRCNNPredictorImpl(int64_t in_channels, int64_t num_classes);
  std::pair<at::Tensor, at::Tensor> forward(const at::Tensor& x);
  std::shared_ptr<hf::LinearImpl> cls_score, bbox_pred;
};

class MaskRCNNHeadsImpl : public torch::nn::Module {
 public:
  MaskRCNNHeadsImpl(int64_t in_channels, const std::vector<int64_t>& layers);
  at::Tensor forward(const at::Tensor& x);
  std::vector<std::shared_ptr<Conv2dImpl>> convs;
  std::shared_ptr<ReLUImpl> relu;
};

class MaskRCNNPredictorImpl : public torch::nn::Module {
 public:
  MaskRCNNPredictorImpl(int64_t in_channels, int64_t dim_reduced, int64_t num_classes);
  at::Tensor forward(const at::Tensor& x);
  std::shared_ptr<ConvTranspose2dImpl> conv5_mask;
  std::shared_ptr<ReLUImpl> relu;
  std::shared_ptr<Conv2dImpl> mask_fcn_logits;
};

struct RoIHeadsConfig {
  int64_t num_classes = 91;
  int64_t representation_size = 1024;
  double score_thresh = 0.05;
  double nms_thresh = 0.5;
  int64_t detections_per_img = 100;
  bool masks = false;                                // Mask R-CNN's mask branch
  std::vector<int64_t> mask_layers{256, 256, 256, 256};
  int64_t mask_dim_reduced = 256;
};

struct RoIHeadsCounts {
  int64_t candidates = 0;   // class-specific boxes above the score threshold, entering NMS
  int64_t detections = 0;   // kept after NMS and detections_per_img
  int64_t nms_calls = 0;
};

class RoIHeadsImpl : public torch::nn::Module {
 public:
  RoIHeadsImpl(int64_t in_channels, const RoIHeadsConfig& config);
  std::vector<Detections> forward(const std::vector<at::Tensor>& features, const std::vector<at::Tensor>& proposals,
                                  const std::vector<ImageSize>& image_shapes);

  std::shared_ptr<MultiScaleRoIAlignImpl> box_roi_pool, mask_roi_pool;
  std::shared_ptr<TwoMLPHeadImpl> box_head;
  std::shared_ptr<FastRCNNPredictorImpl> box_predictor;
  std::shared_ptr<MaskRCNNHeadsImpl> mask_head;
  std::shared_ptr<MaskRCNNPredictorImpl> mask_predictor;
  RoIHeadsCounts counts;  // of the last forward

 private:
  std::vector<Detections> postprocess_detections(const at::Tensor& class_logits, const at::Tensor& box_regression,
                                                 const std::vector<at::Tensor>& proposals,
                                                 const std::vector<ImageSize>& image_shapes);
  RoIHeadsConfig config_;
};

// Parameters of RoIHeads (box head and predictor, plus the mask branch when config.masks).
int64_t roi_heads_parameter_count(int64_t in_channels, const RoIHeadsConfig& config);

}  // namespace ngbench::models::vision
