#pragma once
// torchvision 0.26 models/detection/anchor_utils.py (AnchorGenerator) and
// rpn.py (RPNHead, RegionProposalNetwork in eval mode: decode, per-level top-n,
// clip, remove small, score threshold, batched NMS per level, keep post-NMS top-n).
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "models/vision/nn_layers.h"
#include "models/vision/rcnn_transform.h"

namespace ngbench::models::vision {

// Counts of the last RPN pass, summed over the images of the batch.
struct RPNCounts {
  int64_t anchors = 0;           // anchors over all levels
  int64_t pre_nms = 0;           // proposals entering NMS (after top-n, small-box and score filters)
  int64_t post_nms = 0;          // proposals kept (after NMS and post_nms_top_n)
  int64_t nms_calls = 0;         // torchvision::nms calls
};

// AnchorGenerator(sizes=((32,), (64,), (128,), (256,), (512,)), aspect_ratios=((0.5, 1.0, 2.0),) * 5):
// _default_anchorgen() of faster_rcnn.py.
class AnchorGeneratorImpl : public torch::nn::Module {
 public:
  AnchorGeneratorImpl();
  // One [sum over levels of H*W*A, 4] tensor per image.
  std::vector<at::Tensor> forward(const ImageList& images, const std::vector<at::Tensor>& feature_maps);
  int64_t num_anchors_per_location() const { return 3; }

 private:
  std::vector<at::Tensor> cell_anchors_;
};

// RPNHead(in_channels, num_anchors): a 3x3 conv + ReLU, then 1x1 convs for
// objectness and box deltas; weights ~ N(0, 0.01), biases 0.
class RPNHeadImpl : public torch::nn::Module {
 public:
  RPNHeadImpl(int64_t in_channels, int64_t num_anchors);
  void forward(const std::vector<at::Tensor>& x, std::vector<at::Tensor>& logits, std::vector<at::Tensor>& bbox_reg);

  std::shared_ptr<Conv2dImpl> conv, cls_logits, bbox_pred;  // conv: rpn.head.conv.0.0
  std::shared_ptr<ReLUImpl> relu;
};

struct RPNConfig {
  int64_t pre_nms_top_n = 1000;   // rpn_pre_nms_top_n_test
  int64_t post_nms_top_n = 1000;  // rpn_post_nms_top_n_test
  double nms_thresh = 0.7;
  double score_thresh = 0.0;
  double min_size = 1e-3;
};

class RegionProposalNetworkImpl : public torch::nn::Module {
 public:
  RegionProposalNetworkImpl(int64_t in_channels, const RPNConfig& config);
  // The proposals of each image, [K_i, 4].
  std::vector<at::Tensor> forward(const ImageList& images, const std::vector<at::Tensor>& features);

  std::shared_ptr<AnchorGeneratorImpl> anchor_generator;
  std::shared_ptr<RPNHeadImpl> head;
  RPNCounts counts;  // of the last forward

 private:
  std::vector<at::Tensor> filter_proposals(const at::Tensor& proposals, const at::Tensor& objectness,
                                           const std::vector<ImageSize>& image_shapes,
                                           const std::vector<int64_t>& num_anchors_per_level);
  RPNConfig config_;
};

int64_t rpn_head_parameter_count(int64_t in_channels, int64_t num_anchors);

}  // namespace ngbench::models::vision
