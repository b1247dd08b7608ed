// transformers 5.17 models/segformer/modeling_segformer.py, forward(pixel_values)
// in eval mode. Each forward names the Python it mirrors.
#include "models/vision/segformer.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <string>

#include "core/error.h"
#include "models/hf_functional.h"
#include "models/module_scope.h"
#include "models/text_model.h"
#include "models/vision/layers.h"

namespace ngbench::models::vision {

namespace {

using namespace modules;  // NOLINT(google-build-using-namespace)
using hf::Attention;
using hf::py_number;

constexpr double kLayerNormEps = 1e-5;  // nn.LayerNorm(hidden_size): config.layer_norm_eps is unused

// transformers.activations.GELUActivation: nn.functional.gelu.
class GELUActivationImpl : public torch::nn::Module {
 public:
  at::Tensor forward(const at::Tensor& x) {
    ModuleScope scope("GELUActivation", {x});
    return at::gelu(x, "none");
  }
};

class SegformerOverlapPatchEmbeddingsImpl : public torch::nn::Module {
 public:
  SegformerOverlapPatchEmbeddingsImpl(int64_t patch, int64_t stride, int64_t in, int64_t hidden) {
    proj = register_module("proj", std::make_shared<Conv2dImpl>(in, hidden, patch, stride, patch / 2));
    layer_norm = register_module("layer_norm", std::make_shared<LayerNormImpl>(hidden, kLayerNormEps));
  }
  // Returns (embeddings, height, width).
  std::tuple<at::Tensor, int64_t, int64_t> forward(const at::Tensor& pixel_values) {
    ModuleScope scope("SegformerOverlapPatchEmbeddings", {pixel_values});
    at::Tensor e = proj->forward(pixel_values);
    const int64_t h = e.size(2), w = e.size(3);
    e = e.flatten(2).transpose(1, 2);
    return {layer_norm->forward(e), h, w};
  }

  std::shared_ptr<Conv2dImpl> proj;
  std::shared_ptr<LayerNormImpl> layer_norm;
};

class SegformerSequenceReductionImpl : public torch::nn::Module {
 public:
  SegformerSequenceReductionImpl(int64_t hidden, int64_t ratio) {
    sequence_reduction = register_module("sequence_reduction", std::make_shared<Conv2dImpl>(hidden, hidden, ratio, ratio));
    layer_norm = register_module("layer_norm", std::make_shared<LayerNormImpl>(hidden, kLayerNormEps));
  }
  at::Tensor forward(const at::Tensor& x, int64_t height, int64_t width) {
    ModuleScope scope("SegformerSequenceReduction", {x});
    const int64_t b = x.size(0), c = x.size(2);
    at::Tensor h = x.transpose(1, 2).reshape({b, c, height, width});
    h = sequence_reduction->forward(h);
    h = h.reshape({b, c, -1}).transpose(1, 2);
    return layer_norm->forward(h);
  }

  std::shared_ptr<Conv2dImpl> sequence_reduction;
  std::shared_ptr<LayerNormImpl> layer_norm;
};

class SegformerAttentionImpl : public torch::nn::Module {
 public:
  SegformerAttentionImpl(int64_t hidden, int64_t heads, int64_t sr, Attention attention)
      : attention_(attention), head_dim_(hidden / heads), sr_(sr),
        scaling_(std::pow(static_cast<double>(hidden / heads), -0.5)) {
    q_proj = register_module("q_proj", std::make_shared<LinearImpl>(hidden, hidden));
    k_proj = register_module("k_proj", std::make_shared<LinearImpl>(hidden, hidden));
    v_proj = register_module("v_proj", std::make_shared<LinearImpl>(hidden, hidden));
    o_proj = register_module("o_proj", std::make_shared<LinearImpl>(hidden, hidden));
    if (sr > 1) {
      sequence_reduction =
          register_module("sequence_reduction", std::make_shared<SegformerSequenceReductionImpl>(hidden, sr));
    }
  }
  at::Tensor forward(const at::Tensor& hidden_states, int64_t height, int64_t width) {
    ModuleScope scope("SegformerAttention", {hidden_states});
    const std::vector<int64_t> input_shape(hidden_states.sizes().begin(), hidden_states.sizes().end() - 1);
    at::Tensor q = q_proj->forward(hidden_states).view(head_shape(input_shape)).transpose(1, 2);
    at::Tensor kv = sr_ > 1 ? sequence_reduction->forward(hidden_states, height, width) : hidden_states;
    const std::vector<int64_t> kv_shape(kv.sizes().begin(), kv.sizes().end() - 1);
    at::Tensor k = k_proj->forward(kv).view(head_shape(kv_shape)).transpose(1, 2);
    at::Tensor v = v_proj->forward(kv).view(head_shape(kv_shape)).transpose(1, 2);
    at::Tensor out = attention_ == Attention::kEager
                         ? eager_attention_forward(q, k, v)
                         : hf::sdpa_attention_forward(q, k, v, at::Tensor(), scaling_, /*module_is_causal=*/false);
    std::vector<int64_t> flat = input_shape;
    flat.push_back(-1);
    out = out.reshape(flat).contiguous();  // attn_output.reshape(*input_shape, -1).contiguous()
    return o_proj->forward(out);
  }

  std::shared_ptr<LinearImpl> q_proj, k_proj, v_proj, o_proj;
  std::shared_ptr<SegformerSequenceReductionImpl> sequence_reduction;

 private:
  std::vector<int64_t> head_shape(std::vector<int64_t> s) const {
    s.push_back(-1);
    s.push_back(head_dim_);
    return s;
  }
  // modeling_segformer.eager_attention_forward (dropout 0.0 in eval).
  at::Tensor eager_attention_forward(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v) {
    at::Tensor w = at::mul(at::matmul(q, k.transpose(2, 3)), py_number(scaling_));
    w = at::softmax(w, -1, at::kFloat).to(q.scalar_type());
    w = at::dropout(w, 0.0, /*train=*/false);
    return at::matmul(w, v).transpose(1, 2).contiguous();
  }

  Attention attention_;
  int64_t head_dim_, sr_;
  double scaling_;
};

class SegformerDepthWiseConvImpl : public torch::nn::Module {
 public:
  explicit SegformerDepthWiseConvImpl(int64_t dim) {
    dwconv = register_module("dwconv", std::make_shared<Conv2dImpl>(dim, dim, 3, 1, 1, /*groups=*/dim));
  }
  at::Tensor forward(const at::Tensor& x, int64_t height, int64_t width) {
    ModuleScope scope("SegformerDepthWiseConv", {x});
    const int64_t b = x.size(0), c = x.size(2);
    at::Tensor h = dwconv->forward(x.transpose(1, 2).view({b, c, height, width}));
    return h.flatten(2).transpose(1, 2);
  }

  std::shared_ptr<Conv2dImpl> dwconv;
};

class SegformerMixMLPImpl : public torch::nn::Module {
 public:
  SegformerMixMLPImpl(int64_t in, int64_t hidden) {
    fc1 = register_module("fc1", std::make_shared<LinearImpl>(in, hidden));
    dwconv = register_module("dwconv", std::make_shared<SegformerDepthWiseConvImpl>(hidden));
    activation_fn = register_module("activation_fn", std::make_shared<GELUActivationImpl>());
    fc2 = register_module("fc2", std::make_shared<LinearImpl>(hidden, in));
    dropout = register_module("dropout", std::make_shared<DropoutImpl>(0.0));
  }
  at::Tensor forward(const at::Tensor& x, int64_t height, int64_t width) {
    ModuleScope scope("SegformerMixMLP", {x});
    at::Tensor h = dwconv->forward(fc1->forward(x), height, width);
    h = dropout->forward(activation_fn->forward(h));
    return dropout->forward(fc2->forward(h));
  }

  std::shared_ptr<LinearImpl> fc1, fc2;
  std::shared_ptr<SegformerDepthWiseConvImpl> dwconv;
  std::shared_ptr<GELUActivationImpl> activation_fn;
  std::shared_ptr<DropoutImpl> dropout;
};

class SegformerLayerImpl : public torch::nn::Module {
 public:
  SegformerLayerImpl(int64_t hidden, int64_t heads, int64_t sr, int64_t mlp_ratio, Attention attention) {
    layernorm_before = register_module("layernorm_before", std::make_shared<LayerNormImpl>(hidden, kLayerNormEps));
    attention_ = register_module("attention", std::make_shared<SegformerAttentionImpl>(hidden, heads, sr, attention));
    layernorm_after = register_module("layernorm_after", std::make_shared<LayerNormImpl>(hidden, kLayerNormEps));
    mlp = register_module("mlp", std::make_shared<SegformerMixMLPImpl>(hidden, hidden * mlp_ratio));
    hidden_dropout = register_module("hidden_dropout", std::make_shared<DropoutImpl>(0.0));
  }
  at::Tensor forward(const at::Tensor& x, int64_t height, int64_t width) {
    ModuleScope scope("SegformerLayer", {x});
    // drop_path is the identity in eval mode (no ops).
    at::Tensor h = attention_->forward(layernorm_before->forward(x), height, width);
    h = at::add(hidden_dropout->forward(h), x);  // self.drop_path(hidden_states) + residual
    at::Tensor m = mlp->forward(layernorm_after->forward(h), height, width);
    return at::add(m, h);
  }

  std::shared_ptr<LayerNormImpl> layernorm_before, layernorm_after;
  std::shared_ptr<SegformerAttentionImpl> attention_;
  std::shared_ptr<SegformerMixMLPImpl> mlp;
  std::shared_ptr<DropoutImpl> hidden_dropout;
};

class SegformerStageImpl : public torch::nn::Module {
 public:
  SegformerStageImpl(const SegformerConfig& c, size_t i, Attention attention) {
    const int64_t h = c.hidden_sizes[i];
    patch_embeddings = register_module(
        "patch_embeddings", std::make_shared<SegformerOverlapPatchEmbeddingsImpl>(
                                c.patch_sizes[i], c.strides[i], i == 0 ? 3 : c.hidden_sizes[i - 1], h));
    auto list = register_module("blocks", std::make_shared<torch::nn::Module>());
    for (int64_t b = 0; b < c.depths[i]; ++b) {
      blocks.push_back(list->register_module(
          std::to_string(b), std::make_shared<SegformerLayerImpl>(h, c.num_attention_heads[i], c.sr_ratios[i],
                                                                  c.mlp_ratios[i], attention)));
    }
    layer_norm = register_module("layer_norm", std::make_shared<LayerNormImpl>(h, kLayerNormEps));
  }
  at::Tensor forward(const at::Tensor& x) {
    ModuleScope scope("SegformerStage", {x});
    auto [h, height, width] = patch_embeddings->forward(x);
    for (auto& block : blocks) h = block->forward(h, height, width);
    h = layer_norm->forward(h);
    // reshape_last_stage: every stage's output is (batch, channels, height, width)
    return h.reshape({h.size(0), height, width, -1}).permute({0, 3, 1, 2}).contiguous();
  }

  std::shared_ptr<SegformerOverlapPatchEmbeddingsImpl> patch_embeddings;
  std::vector<std::shared_ptr<SegformerLayerImpl>> blocks;
  std::shared_ptr<LayerNormImpl> layer_norm;
};

class SegformerModelImpl : public torch::nn::Module {
 public:
  SegformerModelImpl(const SegformerConfig& c, Attention attention) {
    auto list = register_module("stages", std::make_shared<torch::nn::Module>());
    for (size_t i = 0; i < c.depths.size(); ++i) {
      stages.push_back(list->register_module(std::to_string(i), std::make_shared<SegformerStageImpl>(c, i, attention)));
    }
  }
  // Returns the hidden states of every stage (what capture_outputs records).
  std::vector<at::Tensor> forward(const at::Tensor& pixel_values) {
    ModuleScope scope("SegformerModel", {pixel_values});
    std::vector<at::Tensor> out;
    at::Tensor h = pixel_values;
    for (auto& stage : stages) {
      h = stage->forward(h);
      out.push_back(h);
    }
    return out;
  }

  std::vector<std::shared_ptr<SegformerStageImpl>> stages;
};

class SegformerMLPImpl : public torch::nn::Module {
 public:
  SegformerMLPImpl(int64_t in, int64_t out) { proj = register_module("proj", std::make_shared<LinearImpl>(in, out)); }
  at::Tensor forward(const at::Tensor& x) {
    ModuleScope scope("SegformerMLP", {x});
    return proj->forward(x.flatten(2).transpose(1, 2));
  }
  std::shared_ptr<LinearImpl> proj;
};

class SegformerDecodeHeadImpl : public torch::nn::Module {
 public:
  explicit SegformerDecodeHeadImpl(const SegformerConfig& c) {
    const int64_t d = c.decoder_hidden_size;
    auto list = register_module("linear_projections", std::make_shared<torch::nn::Module>());
    for (size_t i = 0; i < c.hidden_sizes.size(); ++i) {
      linear_projections.push_back(
          list->register_module(std::to_string(i), std::make_shared<SegformerMLPImpl>(c.hidden_sizes[i], d)));
    }
    const auto n = static_cast<int64_t>(c.hidden_sizes.size());
    linear_fuse = register_module("linear_fuse", std::make_shared<Conv2dImpl>(d * n, d, 1, 1, 0, 1, /*bias=*/false));
    batch_norm = register_module("batch_norm", std::make_shared<BatchNorm2dImpl>(d));
    activation = register_module("activation", std::make_shared<ReLUImpl>());
    dropout = register_module("dropout", std::make_shared<DropoutImpl>(0.1));  // classifier_dropout_prob
    classifier = register_module("classifier", std::make_shared<Conv2dImpl>(d, c.num_labels, 1));
  }
  at::Tensor forward(const std::vector<at::Tensor>& encoder_hidden_states) {
    ModuleScope scope("SegformerDecodeHead");
    const int64_t batch = encoder_hidden_states.back().size(0);
    const std::vector<int64_t> size = {encoder_hidden_states[0].size(2), encoder_hidden_states[0].size(3)};
    std::vector<at::Tensor> all;
    for (size_t i = 0; i < encoder_hidden_states.size(); ++i) {
      const at::Tensor& e = encoder_hidden_states[i];
      const int64_t h = e.size(2), w = e.size(3);
      at::Tensor x = linear_projections[i]->forward(e);
      x = x.transpose(1, 2).reshape({batch, -1, h, w});
      // nn.functional.interpolate(size=..., mode="bilinear", align_corners=False): the vec overload
      x = at::upsample_bilinear2d(x, at::OptionalIntArrayRef(size), false, std::optional<at::ArrayRef<double>>());
      all.push_back(x);
    }
    std::reverse(all.begin(), all.end());  // all_hidden_states[::-1]
    at::Tensor h = linear_fuse->forward(at::cat(all, 1));
    h = dropout->forward(activation->forward(batch_norm->forward(h)));
    return classifier->forward(h);
  }

  std::vector<std::shared_ptr<SegformerMLPImpl>> linear_projections;
  std::shared_ptr<Conv2dImpl> linear_fuse, classifier;
  std::shared_ptr<BatchNorm2dImpl> batch_norm;
  std::shared_ptr<ReLUImpl> activation;
  std::shared_ptr<DropoutImpl> dropout;
};

class SegformerForSemanticSegmentationImpl : public torch::nn::Module {
 public:
  SegformerForSemanticSegmentationImpl(const SegformerConfig& c, Attention attention) {
    segformer = register_module("segformer", std::make_shared<SegformerModelImpl>(c, attention));
    decode_head = register_module("decode_head", std::make_shared<SegformerDecodeHeadImpl>(c));
  }
  // Returns the logits (batch, num_labels, height / 4, width / 4).
  at::Tensor forward(const at::Tensor& pixel_values) {
    ModuleScope scope("SegformerForSemanticSegmentation", {pixel_values});
    return decode_head->forward(segformer->forward(pixel_values));
  }

  std::shared_ptr<SegformerModelImpl> segformer;
  std::shared_ptr<SegformerDecodeHeadImpl> decode_head;
};

ModelEntry make_entry(const std::string& name, const std::string& reference, const std::string& description,
                      const SegformerConfig& c, bool for_tests) {
  ModelEntry e;
  e.name = name;
  e.task = "IS";
  e.reference = reference;
  e.description = description;
  e.parameters = segformer_parameter_count(c);
  e.layers = std::accumulate(c.depths.begin(), c.depths.end(), int64_t{0});
  e.layer_scope = "SegformerLayer";
  e.for_tests = for_tests;
  e.default_attention = "sdpa";  // HF 5.17: sdpa where torch supports it; eager on request
  e.estimate_bytes = [c](int64_t batch, int64_t /*seq_len*/, int64_t layers) {
    const SegformerConfig built = with_layers(c, layers);
    // Stage 1 dominates: (image / 4)^2 tokens, the Mix-FFN's 4x width twice, attention weights
    // against the reduced keys; the decode head holds 4 upsampled maps and the fused one.
    const int64_t t = batch * (c.image_size / 4) * (c.image_size / 4);
    const int64_t r = (c.image_size / 4 / c.sr_ratios[0]) * (c.image_size / 4 / c.sr_ratios[0]);
    const int64_t act = t * (c.hidden_sizes[0] * 16 + 3 * c.num_attention_heads[0] * r) +
                        t * c.decoder_hidden_size * 10 + t * c.num_labels + batch * 3 * c.image_size * c.image_size * 2;
    return 4 * (segformer_parameter_count(built) + 2 * act);
  };
  e.create = [c, name](const ModelOptions& o) -> std::unique_ptr<Model> {
    const SegformerConfig built = with_layers(c, o.layers);
    const at::ScalarType dtype = hf::parse_dtype(o.dtype);
    const at::Device device = hf::parse_device(o.device);
    const Attention attention = hf::parse_attention(o.attention, Attention::kSdpa);
    at::manual_seed(o.seed);
    auto net = std::make_shared<SegformerForSemanticSegmentationImpl>(built, attention);
    net->eval();
    hf::convert_module(*net, dtype, device);
    HfImageProcessor p;
    p.height = p.width = c.image_size;
    return std::make_unique<ImageModel>(
        net, [net](const std::vector<at::Tensor>& in) { return net->forward(in.at(0)); },
        [p](const std::vector<Image>& images) { return preprocess(images, p); }, dtype, device,
        /*with_mask=*/false);
  };
  return e;
}

}  // namespace

SegformerConfig segformer_test_config() {
  SegformerConfig c;
  c.depths = {2, 1, 1, 1};
  c.hidden_sizes = {8, 16, 24, 32};
  c.num_attention_heads = {1, 2, 3, 4};
  c.decoder_hidden_size = 32;
  c.num_labels = 5;
  c.image_size = 64;
  return c;
}

int64_t segformer_parameter_count(const SegformerConfig& c) {
  int64_t n = 0;
  for (size_t i = 0; i < c.depths.size(); ++i) {
    const int64_t h = c.hidden_sizes[i], in = i == 0 ? 3 : c.hidden_sizes[i - 1];
    const int64_t p = c.patch_sizes[i], sr = c.sr_ratios[i], f = h * c.mlp_ratios[i];
    n += in * h * p * p + h + 2 * h;  // patch embeddings: proj, layer_norm
    int64_t block = 2 * h + 4 * (h * h + h) + 2 * h + (h * f + f) + (f * 9 + f) + (f * h + h);
    if (sr > 1) block += h * h * sr * sr + h + 2 * h;  // sequence reduction conv, layer_norm
    n += c.depths[i] * block + 2 * h;                  // blocks, stage layer_norm
    n += h * c.decoder_hidden_size + c.decoder_hidden_size;  // decode head SegformerMLP
  }
  const int64_t d = c.decoder_hidden_size, stages = static_cast<int64_t>(c.depths.size());
  return n + stages * d * d + 2 * d + d * c.num_labels + c.num_labels;  // linear_fuse, batch_norm, classifier
}

std::vector<ModelEntry> segformer_entries() {
  return {
      make_entry("segformer-b0", "hf:nvidia/segformer-b0-finetuned-ade-512-512",
                 "SegFormer-B0 semantic segmentation (ADE20K, 150 labels), 512x512", SegformerConfig{}, false),
      make_entry("segformer-test", "hf:SegformerForSemanticSegmentation(tiny config)",
                 "SegFormer test config: 64x64, hidden 8-32, depths 2-1-1-1", segformer_test_config(), true),
  };
}

}  // namespace ngbench::models::vision
