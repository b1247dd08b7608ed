#pragma once
// The R-CNN backbone: torchvision's ResNet body with FrozenBatchNorm2d
// (models/resnet.py; Bottleneck blocks, as resnet50 builds them), taken up to
// layer4 by IntermediateLayerGetter, and the FeaturePyramidNetwork with
// LastLevelMaxPool (ops/feature_pyramid_network.py), as BackboneWithFPN
// (models/detection/backbone_utils.py, _resnet_fpn_extractor) assembles them.
// Module and tensor names follow torchvision's: body.layer1.0.conv1.weight, ...
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/vision/nn_layers.h"

namespace ngbench::models::vision {

// torchvision.models.resnet.Bottleneck (expansion 4, stride on the 3x3 conv).
class BottleneckImpl : public torch::nn::Module {
 public:
  BottleneckImpl(int64_t inplanes, int64_t planes, int64_t stride, bool downsample, double bn_eps,
                 const char* bn_scope, const char* scope);
  at::Tensor forward(const at::Tensor& x);

  std::shared_ptr<Conv2dImpl> conv1, conv2, conv3, downsample_conv;
  std::shared_ptr<FrozenBatchNorm2dImpl> bn1, bn2, bn3, downsample_bn;
  std::shared_ptr<ReLUImpl> relu1, relu2, relu3;

 private:
  const char* scope_;
};

// A ResNet-50-style body (Bottleneck blocks, `layers` per stage), returning the
// outputs of layer1..layer4. Shared by the R-CNNs (torchvision: relu reused
// three times in a block, FrozenBatchNorm2d) and DETR's timm resnet50
// (act1..act3, DetrFrozenBatchNorm2d): `flavor` picks the names.
struct ResNetFlavor {
  const char* bn_scope;     // "FrozenBatchNorm2d" / "DetrFrozenBatchNorm2d"
  const char* body_scope;   // "IntermediateLayerGetter" / "FeatureListNet"
  const char* block_scope;  // "Bottleneck" in both
  double bn_eps;
};

class ResNetBodyImpl : public torch::nn::Module {
 public:
  ResNetBodyImpl(const std::vector<int64_t>& layers, const ResNetFlavor& flavor);
  std::vector<at::Tensor> forward(const at::Tensor& x);

  // Channels of layer1..layer4's outputs (256, 512, 1024, 2048).
  std::vector<int64_t> out_channels() const { return {256, 512, 1024, 2048}; }

  std::shared_ptr<Conv2dImpl> conv1;
  std::shared_ptr<FrozenBatchNorm2dImpl> bn1;
  std::shared_ptr<ReLUImpl> relu;
  std::shared_ptr<MaxPool2dImpl> maxpool;
  std::vector<std::vector<std::shared_ptr<BottleneckImpl>>> stages;

 private:
  ResNetFlavor flavor_;
};

// torchvision.ops.FeaturePyramidNetwork with LastLevelMaxPool: for inputs
// [c2, c3, c4, c5], outputs [p2, p3, p4, p5, pool] with `out_channels` each.
class FeaturePyramidNetworkImpl : public torch::nn::Module {
 public:
  FeaturePyramidNetworkImpl(const std::vector<int64_t>& in_channels, int64_t out_channels);
  std::vector<at::Tensor> forward(const std::vector<at::Tensor>& x);

  std::vector<std::shared_ptr<Conv2dImpl>> inner_blocks, layer_blocks;  // each Conv2dNormActivation's [0]
};

// torchvision BackboneWithFPN over the ResNet body: feature maps "0".."3", "pool".
class BackboneWithFPNImpl : public torch::nn::Module {
 public:
  BackboneWithFPNImpl(const std::vector<int64_t>& layers, int64_t out_channels);
  std::vector<at::Tensor> forward(const at::Tensor& images);

  std::shared_ptr<ResNetBodyImpl> body;
  std::shared_ptr<FeaturePyramidNetworkImpl> fpn;
  int64_t out_channels;
};

// Parameters of the above (FrozenBatchNorm2d holds buffers, not parameters).
int64_t resnet_body_parameter_count(const std::vector<int64_t>& layers);
int64_t fpn_parameter_count(const std::vector<int64_t>& in_channels, int64_t out_channels);

}  // namespace ngbench::models::vision
