#pragma once
// DETR (transformers 5.17 DetrForObjectDetection built from DetrConfig, whose
// defaults are facebook/detr-resnet-50's: timm's resnet50 backbone, as
// DetrConfig's backbone_config defaults to a timm_backbone in 5.17, with every
// BatchNorm2d replaced by DetrFrozenBatchNorm2d; sine position embedding; 6
// encoder and 6 decoder layers; 100 queries; 91 COCO labels as the published
// checkpoint). Inputs come from DetrImageProcessor's preprocessing
// (detection_inputs.h), outside the timed forward, as in transformers; the
// forward returns the class logits. post_process_object_detection is not part of
// the forward either: its threshold only decides the "detections" count.
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

struct DetrConfig;

// facebook/detr-resnet-50 and the tiny test config (tools/golden/vision_detection.py's DETR_TINY).
DetrConfig detr_resnet50_config();
DetrConfig detr_tiny_config();

int64_t detr_parameter_count(const DetrConfig& config);

// options.attention: "sdpa" (transformers' default for DETR) or "eager";
// options.score_threshold >= 0 replaces post_process_object_detection's 0.5.
std::unique_ptr<Model> create_detr(const DetrConfig& config, bool tiny, const ModelOptions& options,
                                   const std::string& name);

// detr-resnet-50 and detr-tiny (for_tests).
std::vector<ModelEntry> detr_entries();

}  // namespace vision
}  // namespace ngbench::models
