#pragma once
// SegFormer (transformers 5.17 models/segformer/modeling_segformer.py,
// SegformerForSemanticSegmentation) operator for operator in eval mode, built
// from a SegformerConfig with random weights: Mix Transformer encoder (overlapping
// patch embeddings, efficient self-attention with sequence reduction, Mix-FFN with a
// depthwise convolution) and the all-MLP decode head. Module scopes are HF's
// classes (SegformerForSemanticSegmentation, SegformerModel, SegformerStage,
// SegformerOverlapPatchEmbeddings, SegformerLayer, SegformerAttention,
// SegformerSequenceReduction, SegformerMixMLP, SegformerDepthWiseConv,
// GELUActivation, SegformerDecodeHead, SegformerMLP) and torch.nn's.
// Inputs: SegformerImageProcessor (resize 512x512 bilinear, rescale, normalize).
#include <cstdint>
#include <vector>

#include "models/registry.h"

namespace ngbench::models::vision {

// The fields of transformers.SegformerConfig that shape the network (defaults: mit-b0).
struct SegformerConfig {
  std::vector<int64_t> depths = {2, 2, 2, 2};
  std::vector<int64_t> sr_ratios = {8, 4, 2, 1};
  std::vector<int64_t> hidden_sizes = {32, 64, 160, 256};
  std::vector<int64_t> patch_sizes = {7, 3, 3, 3};
  std::vector<int64_t> strides = {4, 2, 2, 2};
  std::vector<int64_t> num_attention_heads = {1, 2, 5, 8};
  std::vector<int64_t> mlp_ratios = {4, 4, 4, 4};
  int64_t decoder_hidden_size = 256;
  int64_t num_labels = 150;  // ADE20K
  int64_t image_size = 512;  // SegformerImageProcessor size {"height": 512, "width": 512}
};

// The test config; tools/golden/vision_segmentation.py's SEGFORMER_TEST must match it.
SegformerConfig segformer_test_config();
int64_t segformer_parameter_count(const SegformerConfig& c);

// segformer-b0 (nvidia/segformer-b0-finetuned-ade-512-512) and segformer-test (for_tests).
std::vector<ModelEntry> segformer_entries();

}  // namespace ngbench::models::vision
