#pragma once
// Vision Transformer after torchvision 0.26 models/vision_transformer.py
// (VisionTransformer, random init as the original benchmark used it), operator
// for operator in eval / inference mode, where nn.MultiheadAttention takes its
// fast path (aten::_native_multi_head_attention). Module scopes are torchvision's
// classes: VisionTransformer, Conv2d, Encoder, EncoderBlock, LayerNorm,
// MultiheadAttention, MLPBlock, Linear, GELU, Dropout.
//
// Torch-free header (the registry's users stay torch-free).
#include <cstdint>
#include <vector>

#include "models/registry.h"

namespace ngbench::models::vision {

struct ViTConfig {
  int64_t image_size = 224;
  int64_t patch_size = 16;
  int64_t num_layers = 12;
  int64_t num_heads = 12;
  int64_t hidden_dim = 768;
  int64_t mlp_dim = 3072;
  int64_t num_classes = 1000;
  // The weights' transforms (ImageClassification resize / crop / interpolation).
  int64_t resize_size = 256;
  bool bicubic = false;

  int64_t seq_length() const { return (image_size / patch_size) * (image_size / patch_size) + 1; }
};

// The tiny test config; tools/golden/vision_classification.py's VIT_TINY must match it.
ViTConfig vit_tiny_config();
int64_t vit_parameter_count(const ViTConfig& c);

// vit_b_16, vit_l_16, vit_h_14 and the tiny vit-tiny (for_tests).
std::vector<ModelEntry> vit_entries();

}  // namespace ngbench::models::vision
