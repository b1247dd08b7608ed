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

namespace ngbench::models::vision {

namespace {

using namespace modules;  // NOLINT(google-build-using-namespace)
using hf::Attention;
using hf::py_number;

constexpr double kDecoderDropout = 0.1;  // MaskFormerDetrConfig.dropout

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

// MaskFormerDetrSelfAttention (cross = false) and MaskFormerDetrCrossAttention (cross = true).
class DetrAttentionImpl : public torch::nn::Module {
 public:
  DetrAttentionImpl(int64_t d, int64_t heads, Attention attention, bool cross)
      : attention_(attention), cross_(cross), head_dim_(d / heads),
        scaling_(std::pow(static_cast<double>(d / heads), -0.5)) {
    k_proj = register_module("k_proj", std::make_shared<LinearImpl>(d, d));
    v_proj = register_module("v_proj", std::make_shared<LinearImpl>(d, d));
    q_proj = register_module("q_proj", std::make_shared<LinearImpl>(d, d));
    o_proj = register_module("o_proj", std::make_shared<LinearImpl>(d, d));
  }
  // Self-attention: kv, kv_pos undefined; position embeddings are added to queries and keys.
  at::Tensor forward(const at::Tensor& h, const at::Tensor& pos, const at::Tensor& kv, const at::Tensor& kv_pos) {
    ModuleScope scope(cross_ ? "MaskFormerDetrCrossAttention" : "MaskFormerDetrSelfAttention", {h});
    const std::vector<int64_t> input_shape(h.sizes().begin(), h.sizes().end() - 1);
    at::Tensor q, k, v;
    if (!cross_) {
      at::Tensor qk = at::add(h, pos);  // hidden_states + position_embeddings
      q = q_proj->forward(qk).view(head_shape(input_shape)).transpose(1, 2);
      k = k_proj->forward(qk).view(head_shape(input_shape)).transpose(1, 2);
      v = v_proj->forward(h).view(head_shape(input_shape)).transpose(1, 2);
    } else {
      const std::vector<int64_t> kv_shape(kv.sizes().begin(), kv.sizes().end() - 1);
      at::Tensor query_input = at::add(h, pos);
      at::Tensor key_input = at::add(kv, kv_pos);
      q = q_proj->forward(query_input).view(head_shape(input_shape)).transpose(1, 2);
      k = k_proj->forward(key_input).view(head_shape(kv_shape)).transpose(1, 2);
      v = v_proj->forward(kv).view(head_shape(kv_shape)).transpose(1, 2);
    }
    at::Tensor out;
    if (attention_ == Attention::kEager) {
      // modeling_maskformer.eager_attention_forward
      at::Tensor w = at::mul(at::matmul(q, k.transpose(2, 3)), py_number(scaling_));
      w = at::dropout(at::softmax(w, -1, std::nullopt), 0.0, /*train=*/false);
      out = at::matmul(w, v).transpose(1, 2).contiguous();
    } else {
      out = hf::sdpa_attention_forward(q, k, v, at::Tensor(), scaling_, /*module_is_causal=*/false);
    }
    std::vector<int64_t> flat = input_shape;
    flat.push_back(-1);
    return o_proj->forward(out.reshape(flat).contiguous());
  }

  std::shared_ptr<LinearImpl> k_proj, v_proj, q_proj, o_proj;

 private:
  std::vector<int64_t> head_shape(std::vector<int64_t> s) const {
    s.push_back(-1);
    s.push_back(head_dim_);
    return s;
  }
  Attention attention_;
  bool cross_;
  int64_t head_dim_;
  double scaling_;
};

class MaskFormerDetrDecoderLayerImpl : public torch::nn::Module {
 public:
  MaskFormerDetrDecoderLayerImpl(const MaskFormerConfig& c, Attention attention) {
    const int64_t d = c.d_model;
    self_attn = register_module("self_attn", std::make_shared<DetrAttentionImpl>(d, c.decoder_attention_heads, attention, false));
    self_attn_layer_norm = register_module("self_attn_layer_norm", std::make_shared<LayerNormImpl>(d, 1e-5));
    encoder_attn = register_module("encoder_attn", std::make_shared<DetrAttentionImpl>(d, c.decoder_attention_heads, attention, true));
    encoder_attn_layer_norm = register_module("encoder_attn_layer_norm", std::make_shared<LayerNormImpl>(d, 1e-5));
    auto mlp = register_module("mlp", std::make_shared<torch::nn::Module>());
    fc1 = mlp->register_module("fc1", std::make_shared<LinearImpl>(d, c.decoder_ffn_dim));
    fc2 = mlp->register_module("fc2", std::make_shared<LinearImpl>(c.decoder_ffn_dim, d));
    final_layer_norm = register_module("final_layer_norm", std::make_shared<LayerNormImpl>(d, 1e-5));
  }
  at::Tensor forward(const at::Tensor& input, const at::Tensor& spatial_pos, const at::Tensor& query_pos,
                     const at::Tensor& encoder_hidden_states) {
    ModuleScope scope("MaskFormerDetrDecoderLayer", {input});
    at::Tensor h = self_attn->forward(input, query_pos, at::Tensor(), at::Tensor());
    h = at::dropout(h, kDecoderDropout, /*train=*/false);
    h = self_attn_layer_norm->forward(at::add(input, h));  // residual + hidden_states
    at::Tensor residual = h;
    h = encoder_attn->forward(h, query_pos, encoder_hidden_states, spatial_pos);
    h = at::dropout(h, kDecoderDropout, false);
    h = encoder_attn_layer_norm->forward(at::add(residual, h));
    residual = h;
    {
      ModuleScope m("MaskFormerDetrMLP", {h});
      at::Tensor x = fc1->forward(h);
      {
        ModuleScope relu("ReLU", {x});  // ACT2FN["relu"]: nn.ReLU
        x = at::relu(x);
      }
      x = at::dropout(x, 0.0, false);  // activation_dropout
      x = fc2->forward(x);
      h = at::dropout(x, kDecoderDropout, false);
    }
    return final_layer_norm->forward(at::add(residual, h));
  }

  std::shared_ptr<DetrAttentionImpl> self_attn, encoder_attn;
  std::shared_ptr<LayerNormImpl> self_attn_layer_norm, encoder_attn_layer_norm, final_layer_norm;
  std::shared_ptr<LinearImpl> fc1, fc2;
};

class MaskFormerTransformerModuleImpl : public torch::nn::Module {
 public:
  MaskFormerTransformerModuleImpl(const MaskFormerConfig& c, int64_t in_features, Attention attention) : d_(c.d_model) {
    auto embedder = register_module("queries_embedder", std::make_shared<torch::nn::Module>());  // nn.Embedding
    queries_embedder = embedder->register_parameter("weight", at::normal(0.0, 1.0, {c.num_queries, c.d_model}), false);
    if (in_features != c.d_model) {
      input_projection = register_module("input_projection", std::make_shared<Conv2dImpl>(in_features, c.d_model, 1));
    }
    auto decoder = register_module("decoder", std::make_shared<torch::nn::Module>());
    auto layers = decoder->register_module("layers", std::make_shared<torch::nn::Module>());
    for (int64_t i = 0; i < c.decoder_layers; ++i) {
      decoder_layers.push_back(layers->register_module(
          std::to_string(i), std::make_shared<MaskFormerDetrDecoderLayerImpl>(c, attention)));
    }
    decoder_layernorm = decoder->register_module("layernorm", std::make_shared<LayerNormImpl>(c.d_model, 1e-5));
  }
  // Returns the decoder's last hidden state (batch, num_queries, d_model).
  at::Tensor forward(const at::Tensor& features) {
    ModuleScope scope("MaskFormerTransformerModule", {features});
    at::Tensor image_features = input_projection ? input_projection->forward(features) : features;
    const int64_t b = image_features.size(0);
    at::Tensor queries = queries_embedder.unsqueeze(0).repeat({b, 1, 1});
    at::Tensor inputs_embeds = at::zeros_like(queries, at::TensorOptions().pinned_memory(false), std::nullopt);
    const int64_t c = image_features.size(1), h = image_features.size(2), w = image_features.size(3);
    at::Tensor object_queries = position_embedding(image_features).view({b, c, h * w}).transpose(1, 2);
    image_features = image_features.view({b, c, h * w}).transpose(1, 2);
    ModuleScope dec("MaskFormerDetrDecoder", {inputs_embeds});
    at::Tensor hidden = inputs_embeds;
    for (auto& layer : decoder_layers) hidden = layer->forward(hidden, object_queries, queries, image_features);
    return decoder_layernorm->forward(hidden);
  }

  at::Tensor queries_embedder;
  std::shared_ptr<Conv2dImpl> input_projection;
  std::vector<std::shared_ptr<MaskFormerDetrDecoderLayerImpl>> decoder_layers;
  std::shared_ptr<LayerNormImpl> decoder_layernorm;

 private:
  // MaskFormerSinePositionEmbedding(num_position_features=d_model / 2, normalize=True):
  // build_sine_position_embedding is an lru_cache(maxsize=1) on (shape, device, dtype, ...),
  // so it runs once per input shape (in the warm-up) and later calls issue no ops.
  at::Tensor position_embedding(const at::Tensor& x) {
    ModuleScope scope("MaskFormerSinePositionEmbedding", {x});
    if (cached_pos_.defined() && cached_shape_ == x.sizes().vec() && cached_pos_.device() == x.device() &&
        cached_pos_.scalar_type() == x.scalar_type()) {
      return cached_pos_;
    }
    const int64_t b = x.size(0), h = x.size(2), w = x.size(3), npf = d_ / 2;
    const double scale = 2 * 3.141592653589793, eps = 1e-6;  // 2 * math.pi
    const auto opts = at::TensorOptions().dtype(x.scalar_type()).device(x.device());
    at::Tensor y_embed = at::arange(1, h + 1, opts).unsqueeze(0).unsqueeze(2).expand({b, h, w});
    at::Tensor x_embed = at::arange(1, w + 1, opts).unsqueeze(0).unsqueeze(1).expand({b, h, w});
    y_embed = at::mul(at::div(y_embed, at::add(y_embed.slice(1, -1, kEnd), py_number(eps))), py_number(scale));
    x_embed = at::mul(at::div(x_embed, at::add(x_embed.slice(2, -1, kEnd), py_number(eps))), py_number(scale));
    at::Tensor dim_t = at::arange(npf, at::TensorOptions().dtype(at::kLong).device(x.device())).to(x.scalar_type());
    dim_t = at::pow(10000, at::div(at::mul(at::div(dim_t, 2, "floor"), py_number(int64_t{2})), py_number(npf)));
    at::Tensor pos_x = at::div(x_embed.unsqueeze(3), dim_t);
    at::Tensor pos_y = at::div(y_embed.unsqueeze(3), dim_t);
    auto interleave = [](const at::Tensor& p) {
      return at::stack({p.slice(3, 0, kEnd, 2).sin(), p.slice(3, 1, kEnd, 2).cos()}, 4).flatten(3);
    };
    cached_pos_ = at::cat({interleave(pos_y), interleave(pos_x)}, 3).permute({0, 3, 1, 2});
    cached_shape_ = x.sizes().vec();
    return cached_pos_;
  }

  int64_t d_;
  at::Tensor cached_pos_;
  std::vector<int64_t> cached_shape_;
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

MaskFormerConfig with_layers(MaskFormerConfig c, int64_t layers) {
  if (layers <= 0) return c;
  int64_t left = layers;
  for (size_t s = 0; s < c.depths.size(); ++s) {
    const auto after = static_cast<int64_t>(c.depths.size() - s - 1);
    c.depths[s] = std::max<int64_t>(1, std::min(c.depths[s], left - after));
    left -= c.depths[s];
  }
  return c;
}

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
