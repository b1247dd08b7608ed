#pragma once
// Faster R-CNN and Mask R-CNN as torchvision 0.26 builds them with
// fasterrcnn_resnet50_fpn / maskrcnn_resnet50_fpn: ResNet-50 body with
// FrozenBatchNorm2d (the published models' structure: torchvision builds
// FrozenBatchNorm2d whenever weights or backbone weights are given, which the
// builders' defaults do), FPN, RPN, RoIHeads (and the mask branch), inside
// GeneralizedRCNN with its GeneralizedRCNNTransform. The forward takes the list
// of float [3, H, W] images in [0, 1] and runs everything torchvision's forward
// runs, the transform's resize and normalization and the postprocess included.
//
// This header does not include libtorch (the registry's users stay torch-free).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/registry.h"

namespace ngbench::models {

class Model;

namespace vision {

// The values that shape the network and its data-dependent tail.
struct RCNNConfig {
  bool masks = false;                      // Mask R-CNN
  std::vector<int64_t> layers{3, 4, 6, 3}; // ResNet-50's Bottleneck blocks per stage
  int64_t fpn_channels = 256;
  int64_t min_size = 800, max_size = 1333; // GeneralizedRCNNTransform
  int64_t rpn_pre_nms_top_n = 1000, rpn_post_nms_top_n = 1000;
  double rpn_nms_thresh = 0.7;
  int64_t num_classes = 91;
  int64_t representation_size = 1024;      // TwoMLPHead
  double box_score_thresh = 0.05, box_nms_thresh = 0.5;
  int64_t box_detections_per_img = 100;
  std::vector<int64_t> mask_layers{256, 256, 256, 256};
  int64_t mask_dim_reduced = 256;
};

RCNNConfig fasterrcnn_resnet50_fpn_config();
RCNNConfig maskrcnn_resnet50_fpn_config();
// The tiny test configs; tools/golden/vision_detection.py's RCNN_TINY must match.
RCNNConfig rcnn_tiny_config(bool masks);

// Parameters of the model (FrozenBatchNorm2d statistics are buffers, not counted).
int64_t rcnn_parameter_count(const RCNNConfig& config);

// Builds the model with seeded random weights (torchvision's initializers), in
// eval mode. options.score_threshold >= 0 replaces box_score_thresh. Throws
// ngbench::Error when torchvision's operators cannot be loaded.
std::unique_ptr<Model> create_rcnn(const RCNNConfig& config, const ModelOptions& options, const std::string& name);

// fasterrcnn_resnet50_fpn, maskrcnn_resnet50_fpn and their tiny test configs.
std::vector<ModelEntry> rcnn_entries();

}  // namespace vision
}  // namespace ngbench::models
