#pragma once
// Swin Transformer (v1) after torchvision 0.26 models/swin_transformer.py
// (SwinTransformer, random init), operator for operator in eval mode: patch
// embedding, shifted-window attention with padding, cyclic shift (roll), the
// attention mask built per call, relative position bias, patch merging. Module
// scopes are torchvision's classes: SwinTransformer, Conv2d, Permute, LayerNorm,
// SwinTransformerBlock, ShiftedWindowAttention, MLP, Linear, GELU, Dropout,
// PatchMerging, AdaptiveAvgPool2d, Flatten.
#include <cstdint>
#include <vector>

#include "models/registry.h"

namespace ngbench::models::vision {

struct SwinConfig {
  int64_t patch_size = 4;
  int64_t embed_dim = 96;
  std::vector<int64_t> depths = {2, 2, 6, 2};
  std::vector<int64_t> num_heads = {3, 6, 12, 24};
  int64_t window_size = 7;
  double mlp_ratio = 4.0;
  int64_t num_classes = 1000;
  // The weights' transforms: ImageClassification(crop_size, resize_size, BICUBIC).
  int64_t image_size = 224;
  int64_t resize_size = 232;
};

// The tiny test config; tools/golden/vision_classification.py's SWIN_TINY must match it.
SwinConfig swin_test_config();
int64_t swin_parameter_count(const SwinConfig& c);

// swin_t, swin_s, swin_b and the tiny swin-test (for_tests).
std::vector<ModelEntry> swin_entries();

}  // namespace ngbench::models::vision
