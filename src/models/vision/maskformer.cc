// transformers 5.17 models/maskformer/modeling_maskformer.py: MaskFormerForInstanceSegmentation
// forward(pixel_values, pixel_mask) in eval mode (no labels, no auxiliary logits). The backbone is
// in maskformer_swin.cc. Each forward names the Python it mirrors.
#include "models/vision/maskformer.h"

#include <ATen/ATen.h>

#include <cmath>
#include <memory>
#include <numeric>
#include <string>

#include "core/error.h"
#include "models/hf_functional.h"
#include "models/module_scope.h"
#include "models/text_model.h"
#include "models/vision/layers.h"
#include "models/vision/maskformer_swin.h"
#include "models/vision/maskformer_transformer.h"

namespace ngbench::models::vision {

namespace {

using namespace modules;  // NOLINT(google-build-using-namespace)
using hf::Attention;

// MaskFormerFPNConvLayer: Conv2d (no bias), GroupNorm(32), ReLU(inplace=True).
class MaskFormerFPNConvLayerImpl : public torch::nn::Module {
 public:
  MaskFormerFPNConvLayerImpl(int64_t in, int64_t out) {
    conv = register_module("0", std::make_shared<Conv2dImpl>(in, out, 3, 1, 1, 1, /*bias=*/false));
    norm = register_module("1", std::make_shared<GroupNormImpl>(32, out));
  }
  at::Tensor forward(const at::Tensor& x) {
    ModuleScope scope("MaskFormerFPNConvLayer", {x});
    at::Tensor h = norm->forward(conv->forward(x));
    ModuleScope relu("ReLU", {h});
    return at::relu_(h);
  }

  std::shared_ptr<Conv2dImpl> conv;
  std::shared_ptr<GroupNormImpl> norm;
};

class MaskFormerFPNLayerImpl : public torch::nn::Module {
 public:
  MaskFormerFPNLayerImpl(int64_t in, int64_t lateral) {
    auto proj = register_module("proj", std::make_shared<torch::nn::Module>());
    proj_conv = proj->register_module("0", std::make_shared<Conv2dImpl>(lateral, in, 1, 1, 0, 1, /*bias=*/false));
    proj_norm = proj->register_module("1", std::make_shared<GroupNormImpl>(32, in));
    block = register_module("block", std::make_shared<MaskFormerFPNConvLayerImpl>(in, in));
  }
  at::Tensor forward(const at::Tensor& down_in, const at::Tensor& left_in) {
    ModuleScope scope("MaskFormerFPNLayer", {down_in, left_in});
    at::Tensor left;
    {
      ModuleScope seq("Sequential", {left_in});
      left = proj_norm->forward(proj_conv->forward(left_in));
    }
    // nn.functional.interpolate(down, size=left.shape[-2:], mode="nearest"): the vec overload
    const std::vector<int64_t> size = {left.size(2), left.size(3)};
    at::Tensor down =
        at::upsample_nearest2d(down_in, at::OptionalIntArrayRef(size), std::optional<at::ArrayRef<double>>());
    down.add_(left);  // down += left
    return block->forward(down);
  }

  std::shared_ptr<Conv2dImpl> proj_conv;
  std::shared_ptr<GroupNormImpl> proj_norm;
  std::shared_ptr<MaskFormerFPNConvLayerImpl> block;
};

// MaskFormerPixelLevelModule: the backbone, then MaskFormerPixelDecoder (FPN + mask projection).
class MaskFormerPixelLevelModuleImpl : public torch::nn::Module {
 public:
  explicit MaskFormerPixelLevelModuleImpl(const MaskFormerConfig& c) {
    encoder = register_module("encoder", std::make_shared<MaskFormerSwinBackboneImpl>(c));
    const std::vector<int64_t> ch = encoder->channels();
    auto decoder = register_module("decoder", std::make_shared<torch::nn::Module>());
    auto fpn = decoder->register_module("fpn", std::make_shared<torch::nn::Module>());
    stem = fpn->register_module("stem", std::make_shared<MaskFormerFPNConvLayerImpl>(ch.back(), c.fpn_feature_size));
    auto layers = fpn->register_module("layers", std::make_shared<torch::nn::Module>());
    for (size_t i = 0; i + 1 < ch.size(); ++i) {  // lateral_widths[::-1]
      const int64_t lateral = ch[ch.size() - 2 - i];
      fpn_layers.push_back(layers->register_module(
          std::to_string(i), std::make_shared<MaskFormerFPNLayerImpl>(c.fpn_feature_size, lateral)));
    }
    mask_projection = decoder->register_module(
        "mask_projection", std::make_shared<Conv2dImpl>(c.fpn_feature_size, c.mask_feature_size, 3, 1, 1));
  }
  // Returns (image_features: the last feature map, pixel_embeddings).
  std::pair<at::Tensor, at::Tensor> forward(const at::Tensor& pixel_values) {
    ModuleScope scope("MaskFormerPixelLevelModule", {pixel_values});
    const std::vector<at::Tensor> features = encoder->forward(pixel_values);
    at::Tensor projected;
    {
      ModuleScope dec("MaskFormerPixelDecoder");
      at::Tensor output;
      {
        ModuleScope fpn("MaskFormerFPNModel");
        output = stem->forward(features.back());
        for (size_t i = 0; i < fpn_layers.size(); ++i) {  // zip(self.layers, other_features[::-1])
          output = fpn_layers[i]->forward(output, features[features.size() - 2 - i]);
        }
      }
      projected = mask_projection->forward(output);  // fpn_features[-1]
    }
    return {features.back(), projected};
  }

  std::shared_ptr<MaskFormerSwinBackboneImpl> encoder;
  std::shared_ptr<MaskFormerFPNConvLayerImpl> stem;
  std::vector<std::shared_ptr<MaskFormerFPNLayerImpl>> fpn_layers;
  std::shared_ptr<Conv2dImpl> mask_projection;
};

class MaskFormerForInstanceSegmentationImpl : public torch::nn::Module {
 public:
  MaskFormerForInstanceSegmentationImpl(const MaskFormerConfig& c, Attention attention) {
    auto model = register_module("model", std::make_shared<torch::nn::Module>());
    pixel_level_module = model->register_module("pixel_level_module", std::make_shared<MaskFormerPixelLevelModuleImpl>(c));
    transformer_module = model->register_module(
        "transformer_module",
        std::make_shared<MaskFormerTransformerModuleImpl>(c, pixel_level_module->encoder->channels().back(), attention));
    class_predictor = register_module("class_predictor", std::make_shared<LinearImpl>(c.d_model, c.num_labels + 1));
    auto head = register_module("mask_embedder", std::make_shared<torch::nn::Module>());
    for (int64_t i = 0; i < 3; ++i) {
      auto block = head->register_module(std::to_string(i), std::make_shared<torch::nn::Module>());
      mask_embedder.push_back(block->register_module(
          "0", std::make_shared<LinearImpl>(c.d_model, i < 2 ? c.d_model : c.mask_feature_size)));
    }
  }
  // forward(pixel_values, pixel_mask): returns masks_queries_logits (batch, queries, H / 4, W / 4).
  // pixel_mask is not used by the model when given (HF only builds ones when it is None).
  at::Tensor forward(const at::Tensor& pixel_values) {
    ModuleScope scope("MaskFormerForInstanceSegmentation", {pixel_values});
    at::Tensor image_features, pixel_embeddings, queries;
    {
      ModuleScope m("MaskFormerModel", {pixel_values});
      std::tie(image_features, pixel_embeddings) = pixel_level_module->forward(pixel_values);
      queries = transformer_module->forward(image_features);
    }
    // get_logits without auxiliary loss
    at::Tensor classes = class_predictor->forward(queries);
    at::Tensor mask_embeddings = queries;
    {
      ModuleScope head("MaskformerMLPPredictionHead", {queries});
      for (size_t i = 0; i < mask_embedder.size(); ++i) {
        ModuleScope block("PredictionBlock", {mask_embeddings});
        mask_embeddings = mask_embedder[i]->forward(mask_embeddings);
        if (i + 1 < mask_embedder.size()) {
          ModuleScope relu("ReLU", {mask_embeddings});
          mask_embeddings = at::relu(mask_embeddings);
        }
      }
    }
    last_class_logits = classes;
    return at::einsum("bqc, bchw -> bqhw", {mask_embeddings, pixel_embeddings}, std::nullopt);
  }

  std::shared_ptr<MaskFormerPixelLevelModuleImpl> pixel_level_module;
  std::shared_ptr<MaskFormerTransformerModuleImpl> transformer_module;
  std::shared_ptr<LinearImpl> class_predictor;
  std::vector<std::shared_ptr<LinearImpl>> mask_embedder;
  at::Tensor last_class_logits;
};

ModelEntry make_entry(const std::string& name, const std::string& reference, const std::string& description,
                      const MaskFormerConfig& c, bool for_tests) {
  ModelEntry e;
  e.name = name;
  e.task = "IS";
  e.reference = reference;
  e.description = description;
  e.parameters = maskformer_parameter_count(c);
  e.layers = std::accumulate(c.depths.begin(), c.depths.end(), int64_t{0});
  e.layer_scope = "MaskFormerSwinLayer";
  e.for_tests = for_tests;
  e.default_attention = "sdpa";  // HF 5.17: sdpa where torch supports it; eager on request
  e.estimate_bytes = [c](int64_t batch, int64_t /*seq_len*/, int64_t layers) {
    const MaskFormerConfig built = with_layers(c, layers);
    // The largest input the processor makes (shortest x longest edge), stage 1 tokens with
    // the MLP's 4x width and window attention weights, the FPN maps at 1/4 resolution, the
    // queries x pixels mask logits; plus fp32 weights.
    const int64_t side = (c.longest_edge + c.size_divisor - 1) / c.size_divisor * c.size_divisor;
    const int64_t pixels = batch * c.shortest_edge * side;
    const int64_t tokens = pixels / (c.patch_size * c.patch_size);
    const int64_t ws = c.window_size;
    const int64_t act = tokens * (c.embed_dim * 12 + 3 * c.num_heads[0] * ws * ws) +
                        tokens * (c.fpn_feature_size * 3 + c.num_queries) + pixels * 3 * 2;
    return 4 * (maskformer_parameter_count(built) + act);
  };
  e.create = [c](const ModelOptions& o) -> std::unique_ptr<Model> {
    const MaskFormerConfig built = with_layers(c, o.layers);
    const at::ScalarType dtype = hf::parse_dtype(o.dtype);
    const at::Device device = hf::parse_device(o.device);
    // The decoder's attention: sdpa is HF 5.17's default for MaskFormerDetrConfig on CPU
    // (the Swin backbone has one implementation only).
    const Attention attention = hf::parse_attention(o.attention, Attention::kSdpa);
    at::manual_seed(o.seed);
    auto net = std::make_shared<MaskFormerForInstanceSegmentationImpl>(built, attention);
    net->eval();
    hf::convert_module(*net, dtype, device);
    HfImageProcessor p;
    p.shortest_edge = c.shortest_edge;
    p.longest_edge = c.longest_edge;
    p.size_divisor = c.size_divisor;
    p.pad_and_mask = true;
    return std::make_unique<ImageModel>(
        net, [net](const std::vector<at::Tensor>& in) { return net->forward(in.at(0)); },
        [p](const std::vector<Image>& images) { return preprocess(images, p); }, dtype, device,
        /*with_mask=*/true);
  };
  return e;
}

}  // namespace

MaskFormerConfig maskformer_test_config() {
  // 40 / 64-pixel inputs (size divisor 8): 10x10 and 10x16 tokens, window 4 pads every
  // stage, odd sizes (5) take the patch merging pad, shifted windows build the mask.
  MaskFormerConfig c;
  c.embed_dim = 16;
  c.depths = {2, 2, 2, 2};
  c.num_heads = {1, 2, 4, 8};
  c.window_size = 4;
  c.fpn_feature_size = 32;
  c.mask_feature_size = 32;
  c.d_model = 32;
  c.decoder_layers = 2;
  c.decoder_attention_heads = 4;
  c.decoder_ffn_dim = 64;
  c.num_queries = 10;
  c.num_labels = 7;
  c.shortest_edge = 40;
  c.longest_edge = 60;
  c.size_divisor = 8;
  return c;
}

int64_t maskformer_parameter_count(const MaskFormerConfig& c) {
  int64_t n = maskformer_swin_parameter_count(c);
  const int64_t f = c.fpn_feature_size, m = c.mask_feature_size, d = c.d_model, e = c.embed_dim;
  const int64_t last = e << (c.depths.size() - 1);
  n += last * f * 9 + 2 * f;  // fpn stem: conv (no bias), group norm
  for (size_t s = 0; s + 1 < c.depths.size(); ++s) {
    n += (e << s) * f + 2 * f + f * f * 9 + 2 * f;  // proj conv + norm, block conv + norm
  }
  n += f * m * 9 + m;  // mask_projection
  n += c.num_queries * d;  // queries_embedder
  if (last != d) n += last * d + d;  // input_projection
  const int64_t layer = 2 * 4 * (d * d + d) + 3 * 2 * d + (d * c.decoder_ffn_dim + c.decoder_ffn_dim) +
                        (c.decoder_ffn_dim * d + d);
  n += c.decoder_layers * layer + 2 * d;  // decoder layers, decoder layernorm
  n += d * (c.num_labels + 1) + c.num_labels + 1;  // class_predictor
  n += 2 * (d * d + d) + d * m + m;  // mask_embedder
  return n;
}

std::vector<ModelEntry> maskformer_entries() {
  return {
      make_entry("maskformer-swin-base-coco", "hf:facebook/maskformer-swin-base-coco",
                 "MaskFormer, Swin-B backbone, COCO panoptic (133 labels); inputs 800 short edge", MaskFormerConfig{},
                 false),
      make_entry("maskformer-test", "hf:MaskFormerForInstanceSegmentation(tiny config)",
                 "MaskFormer test config: Swin dim 16, window 4, 2 decoder layers, 40-64 px", maskformer_test_config(),
                 true),
  };
}

}  // namespace ngbench::models::vision
