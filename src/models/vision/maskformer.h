#pragma once
// MaskFormer (transformers 5.17 models/maskformer: MaskFormerForInstanceSegmentation
// with a MaskFormerSwinBackbone, as facebook/maskformer-swin-base-coco), operator for
// operator in eval mode, built from a MaskFormerConfig with random weights: the Swin
// backbone (maskformer_swin.h), the FPN pixel decoder, the DETR transformer decoder
// over 100 queries, the class and mask heads. Module scopes are HF's classes.
// Inputs: MaskFormerImageProcessor (shortest edge 800, longest 1333, sizes rounded up
// to a multiple of 32, normalize, pad to the batch's largest with a pixel mask).
#include <cstdint>
#include <vector>

#include "models/registry.h"

namespace ngbench::models::vision {

// The fields of MaskFormerConfig (with its MaskFormerSwinConfig backbone and
// MaskFormerDetrConfig decoder) that shape the network. Defaults: maskformer-swin-base-coco.
struct MaskFormerConfig {
  // backbone_config (SwinConfig -> MaskFormerSwinConfig): swin-base, window 12
  int64_t patch_size = 4;
  int64_t embed_dim = 128;
  std::vector<int64_t> depths = {2, 2, 18, 2};
  std::vector<int64_t> num_heads = {4, 8, 16, 32};
  int64_t window_size = 12;
  double mlp_ratio = 4.0;
  // pixel decoder
  int64_t fpn_feature_size = 256;
  int64_t mask_feature_size = 256;
  // decoder_config (MaskFormerDetrConfig)
  int64_t d_model = 256;
  int64_t decoder_layers = 6;
  int64_t decoder_attention_heads = 8;
  int64_t decoder_ffn_dim = 2048;
  int64_t num_queries = 100;
  int64_t num_labels = 133;  // COCO panoptic
  // MaskFormerImageProcessor
  int64_t shortest_edge = 800;
  int64_t longest_edge = 1333;
  int64_t size_divisor = 32;
};

// The test config; tools/golden/vision_segmentation.py's MASKFORMER_TEST must match it.
MaskFormerConfig maskformer_test_config();
int64_t maskformer_parameter_count(const MaskFormerConfig& c);

// maskformer-swin-base-coco and maskformer-test (for_tests).
std::vector<ModelEntry> maskformer_entries();

}  // namespace ngbench::models::vision
