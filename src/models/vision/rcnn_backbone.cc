// torchvision 0.26 models/resnet.py (Bottleneck, ResNet._forward_impl up to
// layer4), models/_utils.py (IntermediateLayerGetter), ops/feature_pyramid_network.py
// (FeaturePyramidNetwork, LastLevelMaxPool), models/detection/backbone_utils.py
// (BackboneWithFPN). timm 1.0's resnet50 (DETR's backbone) has the same ops.
#include "models/vision/rcnn_backbone.h"

#include <ATen/ATen.h>

#include <string>

#include "models/module_scope.h"

namespace ngbench::models::vision {

namespace {

constexpr int64_t kExpansion = 4;

std::shared_ptr<FrozenBatchNorm2dImpl> frozen_bn(int64_t c, const ResNetFlavor& f) {
  return std::make_shared<FrozenBatchNorm2dImpl>(c, f.bn_eps, f.bn_scope);
}

// torchvision's ResNet init: kaiming_normal_(mode="fan_out", nonlinearity="relu") for every conv.
void resnet_conv_init(Conv2dImpl& conv) { init::kaiming_normal_fan_out_relu(conv.weight); }

}  // namespace

BottleneckImpl::BottleneckImpl(int64_t inplanes, int64_t planes, int64_t stride, bool downsample, double bn_eps,
                               const char* bn_scope, const char* scope)
    : scope_(scope) {
  const ResNetFlavor f{bn_scope, "", scope, bn_eps};
  const int64_t width = planes;  // groups 1, base_width 64
  conv1 = register_module("conv1", std::make_shared<Conv2dImpl>(inplanes, width, 1, 1, 0, 1, false));
  bn1 = register_module("bn1", frozen_bn(width, f));
  conv2 = register_module("conv2", std::make_shared<Conv2dImpl>(width, width, 3, stride, 1, 1, false));
  bn2 = register_module("bn2", frozen_bn(width, f));
  conv3 = register_module("conv3", std::make_shared<Conv2dImpl>(width, planes * kExpansion, 1, 1, 0, 1, false));
  bn3 = register_module("bn3", frozen_bn(planes * kExpansion, f));
  relu1 = register_module("relu", std::make_shared<ReLUImpl>(true));
  relu2 = relu1;  // torchvision reuses one ReLU module (timm has act1..act3: the same ops)
  relu3 = relu1;
  if (downsample) {
    auto seq = register_module("downsample", std::make_shared<ContainerImpl>());
    downsample_conv = std::make_shared<Conv2dImpl>(inplanes, planes * kExpansion, 1, stride, 0, 1, false);
    downsample_bn = frozen_bn(planes * kExpansion, f);
    seq->add("0", downsample_conv);
    seq->add("1", downsample_bn);
  }
  for (auto* c : {conv1.get(), conv2.get(), conv3.get(), downsample_conv.get()}) {
    if (c) resnet_conv_init(*c);
  }
}

at::Tensor BottleneckImpl::forward(const at::Tensor& x) {
  ModuleScope scope(scope_, {x});
  at::Tensor identity = x;
  at::Tensor out = relu1->forward(bn1->forward(conv1->forward(x)));
  out = relu2->forward(bn2->forward(conv2->forward(out)));
  out = bn3->forward(conv3->forward(out));
  if (downsample_conv) identity = downsample_bn->forward(downsample_conv->forward(x));
  out.add_(identity);  // out += identity
  return relu3->forward(out);
}

ResNetBodyImpl::ResNetBodyImpl(const std::vector<int64_t>& layers, const ResNetFlavor& flavor) : flavor_(flavor) {
  conv1 = register_module("conv1", std::make_shared<Conv2dImpl>(3, 64, 7, 2, 3, 1, false));
  bn1 = register_module("bn1", frozen_bn(64, flavor));
  relu = register_module("relu", std::make_shared<ReLUImpl>(true));
  maxpool = register_module("maxpool", std::make_shared<MaxPool2dImpl>(3, 2, 1));
  resnet_conv_init(*conv1);
  int64_t inplanes = 64;
  const int64_t planes[] = {64, 128, 256, 512};
  for (size_t s = 0; s < 4; ++s) {
    auto seq = register_module("layer" + std::to_string(s + 1), std::make_shared<ContainerImpl>());
    std::vector<std::shared_ptr<BottleneckImpl>> blocks;
    for (int64_t b = 0; b < layers.at(s); ++b) {
      const int64_t stride = (b == 0 && s > 0) ? 2 : 1;
      const bool down = b == 0;  // stride != 1 or inplanes != planes * 4 holds for every first block
      blocks.push_back(std::make_shared<BottleneckImpl>(b == 0 ? inplanes : planes[s] * kExpansion, planes[s],
                                                        stride, down, flavor.bn_eps, flavor.bn_scope,
                                                        flavor.block_scope));
      seq->add(std::to_string(b), blocks.back());
    }
    inplanes = planes[s] * kExpansion;
    stages.push_back(std::move(blocks));
  }
}

std::vector<at::Tensor> ResNetBodyImpl::forward(const at::Tensor& x) {
  ModuleScope scope(flavor_.body_scope, {x});
  at::Tensor h = maxpool->forward(relu->forward(bn1->forward(conv1->forward(x))));
  std::vector<at::Tensor> out;
  for (auto& stage : stages) {
    for (auto& block : stage) h = block->forward(h);
    out.push_back(h);
  }
  return out;
}

FeaturePyramidNetworkImpl::FeaturePyramidNetworkImpl(const std::vector<int64_t>& in_channels, int64_t out_channels) {
  auto inner = register_module("inner_blocks", std::make_shared<ContainerImpl>());
  auto layer = register_module("layer_blocks", std::make_shared<ContainerImpl>());
  for (size_t i = 0; i < in_channels.size(); ++i) {
    // Conv2dNormActivation(norm_layer=None, activation_layer=None): a Sequential holding one biased conv.
    inner_blocks.push_back(std::make_shared<Conv2dImpl>(in_channels[i], out_channels, 1, 1, 0));
    layer_blocks.push_back(std::make_shared<Conv2dImpl>(out_channels, out_channels, 3, 1, 1));
    auto inner_seq = std::make_shared<ContainerImpl>();
    inner_seq->add("0", inner_blocks.back());
    auto layer_seq = std::make_shared<ContainerImpl>();
    layer_seq->add("0", layer_blocks.back());
    inner->add(std::to_string(i), inner_seq);
    layer->add(std::to_string(i), layer_seq);
  }
  // nn.init.kaiming_uniform_(m.weight, a=1); nn.init.constant_(m.bias, 0)
  for (auto* blocks : {&inner_blocks, &layer_blocks}) {
    for (auto& c : *blocks) {
      init::kaiming_uniform(c->weight, 1.0);
      init::zeros(c->bias);
    }
  }
}

std::vector<at::Tensor> FeaturePyramidNetworkImpl::forward(const std::vector<at::Tensor>& x) {
  ModuleScope scope("FeaturePyramidNetwork");
  const int64_t n = static_cast<int64_t>(x.size());
  at::Tensor last_inner = inner_blocks.back()->forward(x.back());
  std::vector<at::Tensor> results{layer_blocks.back()->forward(last_inner)};
  for (int64_t idx = n - 2; idx >= 0; --idx) {
    at::Tensor inner_lateral = inner_blocks[idx]->forward(x[idx]);
    // F.interpolate(last_inner, size=feat_shape, mode="nearest")
    const std::vector<int64_t> size{inner_lateral.size(-2), inner_lateral.size(-1)};
    at::Tensor top_down = at::upsample_nearest2d(last_inner, at::OptionalIntArrayRef(size),
                                                 std::optional<at::ArrayRef<double>>());
    last_inner = at::add(inner_lateral, top_down);
    results.insert(results.begin(), layer_blocks[idx]->forward(last_inner));
  }
  {
    // LastLevelMaxPool: F.max_pool2d(x[-1], kernel_size=1, stride=2, padding=0)
    ModuleScope pool_scope("LastLevelMaxPool");
    results.push_back(at::max_pool2d(results.back(), {1, 1}, {2, 2}, {0, 0}, {1, 1}, false));
  }
  return results;
}

BackboneWithFPNImpl::BackboneWithFPNImpl(const std::vector<int64_t>& layers, int64_t out_channels)
    : out_channels(out_channels) {
  body = register_module("body", std::make_shared<ResNetBodyImpl>(
                                     layers, ResNetFlavor{"FrozenBatchNorm2d", "IntermediateLayerGetter",
                                                          "Bottleneck", 1e-5}));
  fpn = register_module("fpn", std::make_shared<FeaturePyramidNetworkImpl>(body->out_channels(), out_channels));
}

std::vector<at::Tensor> BackboneWithFPNImpl::forward(const at::Tensor& images) {
  ModuleScope scope("BackboneWithFPN", {images});
  return fpn->forward(body->forward(images));
}

int64_t resnet_body_parameter_count(const std::vector<int64_t>& layers) {
  int64_t n = 3 * 64 * 7 * 7;  // conv1 (FrozenBatchNorm2d has no parameters)
  int64_t inplanes = 64;
  const int64_t planes[] = {64, 128, 256, 512};
  for (size_t s = 0; s < 4; ++s) {
    const int64_t p = planes[s], out = p * kExpansion;
    for (int64_t b = 0; b < layers.at(s); ++b) {
      const int64_t in = b == 0 ? inplanes : out;
      n += in * p + 9 * p * p + p * out;  // conv1, conv2, conv3
      if (b == 0) n += in * out;          // downsample conv
    }
    inplanes = out;
  }
  return n;
}

int64_t fpn_parameter_count(const std::vector<int64_t>& in_channels, int64_t out_channels) {
  int64_t n = 0;
  for (int64_t c : in_channels) n += (c * out_channels + out_channels) + (9 * out_channels * out_channels + out_channels);
  return n;
}

}  // namespace ngbench::models::vision
