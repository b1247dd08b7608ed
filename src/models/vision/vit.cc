// torchvision 0.26 models/vision_transformer.py, forward in eval mode under
// inference mode. Each forward names the Python it mirrors.
#include "models/vision/vit.h"

#include <ATen/ATen.h>

#include <cmath>
#include <memory>
#include <string>

#include "core/error.h"
#include "models/module_scope.h"
#include "models/text_model.h"
#include "models/vision/layers.h"

namespace ngbench::models::vision {

namespace {

using namespace modules;  // NOLINT(google-build-using-namespace)

constexpr double kLayerNormEps = 1e-6;  // partial(nn.LayerNorm, eps=1e-6)
constexpr double kDropout = 0.0;        // dropout=0.0, attention_dropout=0.0

// nn.MultiheadAttention(hidden_dim, num_heads, batch_first=True) called as
// self_attention(x, x, x, need_weights=False): in inference the fast path,
// torch._native_multi_head_attention(query, key, value, embed_dim, num_heads,
// in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias, None, False, True, None).
class MultiheadAttentionImpl : public torch::nn::Module {
 public:
  MultiheadAttentionImpl(int64_t dim, int64_t heads) : dim_(dim), heads_(heads) {
    const double bound = std::sqrt(6.0 / static_cast<double>(dim + 3 * dim));  // xavier_uniform_
    in_proj_weight = register_parameter("in_proj_weight", at::empty({3 * dim, dim}).uniform_(-bound, bound), false);
    in_proj_bias = register_parameter("in_proj_bias", at::zeros({3 * dim}), false);
    out_proj = register_module("out_proj", std::make_shared<LinearImpl>(dim, dim));
  }
  at::Tensor forward(const at::Tensor& x) {
    ModuleScope scope("MultiheadAttention", {x, x, x});
    auto out = at::_native_multi_head_attention(x, x, x, dim_, heads_, in_proj_weight, in_proj_bias,
                                                out_proj->weight, out_proj->bias, /*mask=*/std::nullopt,
                                                /*need_weights=*/false, /*average_attn_weights=*/true,
                                                /*mask_type=*/std::nullopt);
    return std::get<0>(out);
  }

  at::Tensor in_proj_weight, in_proj_bias;
  std::shared_ptr<LinearImpl> out_proj;  // NonDynamicallyQuantizableLinear; its forward is not called

 private:
  int64_t dim_, heads_;
};

// MLPBlock(in_dim, mlp_dim, dropout): torchvision.ops.misc.MLP, a Sequential of
// Linear, GELU, Dropout, Linear, Dropout.
class MLPBlockImpl : public torch::nn::Module {
 public:
  MLPBlockImpl(int64_t dim, int64_t mlp_dim) {
    fc1 = register_module("0", std::make_shared<LinearImpl>(dim, mlp_dim));
    act = register_module("1", std::make_shared<GELUImpl>());
    drop1 = register_module("2", std::make_shared<DropoutImpl>(kDropout));
    fc2 = register_module("3", std::make_shared<LinearImpl>(mlp_dim, dim));
    drop2 = register_module("4", std::make_shared<DropoutImpl>(kDropout));
  }
  at::Tensor forward(const at::Tensor& x) {
    ModuleScope scope("MLPBlock", {x});
    return drop2->forward(fc2->forward(drop1->forward(act->forward(fc1->forward(x)))));
  }

  std::shared_ptr<LinearImpl> fc1, fc2;
  std::shared_ptr<GELUImpl> act;
  std::shared_ptr<DropoutImpl> drop1, drop2;
};

class EncoderBlockImpl : public torch::nn::Module {
 public:
  EncoderBlockImpl(int64_t heads, int64_t dim, int64_t mlp_dim) {
    ln_1 = register_module("ln_1", std::make_shared<LayerNormImpl>(dim, kLayerNormEps));
    self_attention = register_module("self_attention", std::make_shared<MultiheadAttentionImpl>(dim, heads));
    dropout = register_module("dropout", std::make_shared<DropoutImpl>(kDropout));
    ln_2 = register_module("ln_2", std::make_shared<LayerNormImpl>(dim, kLayerNormEps));
    mlp = register_module("mlp", std::make_shared<MLPBlockImpl>(dim, mlp_dim));
  }
  at::Tensor forward(const at::Tensor& input) {
    ModuleScope scope("EncoderBlock", {input});
    at::Tensor x = ln_1->forward(input);
    x = self_attention->forward(x);  // x, _ = self.self_attention(x, x, x, need_weights=False)
    x = dropout->forward(x);
    x = at::add(x, input);  // x = x + input
    at::Tensor y = mlp->forward(ln_2->forward(x));
    return at::add(x, y);  // x + y
  }

  std::shared_ptr<LayerNormImpl> ln_1, ln_2;
  std::shared_ptr<MultiheadAttentionImpl> self_attention;
  std::shared_ptr<DropoutImpl> dropout;
  std::shared_ptr<MLPBlockImpl> mlp;
};

class EncoderImpl : public torch::nn::Module {
 public:
  explicit EncoderImpl(const ViTConfig& c) {
    pos_embedding = register_parameter("pos_embedding", at::normal(0.0, 0.02, {1, c.seq_length(), c.hidden_dim}),
                                       false);
    dropout = register_module("dropout", std::make_shared<DropoutImpl>(kDropout));
    // nn.Sequential holders: a plain Module keeps the reference's parameter names.
    auto seq = register_module("layers", std::make_shared<torch::nn::Module>());
    for (int64_t i = 0; i < c.num_layers; ++i) {
      layers.push_back(std::make_shared<EncoderBlockImpl>(c.num_heads, c.hidden_dim, c.mlp_dim));
      seq->register_module("encoder_layer_" + std::to_string(i), layers.back());
    }
    ln = register_module("ln", std::make_shared<LayerNormImpl>(c.hidden_dim, kLayerNormEps));
  }
  at::Tensor forward(const at::Tensor& input) {
    ModuleScope scope("Encoder", {input});
    at::Tensor x = dropout->forward(at::add(input, pos_embedding));  // input + self.pos_embedding
    for (auto& layer : layers) x = layer->forward(x);
    return ln->forward(x);
  }

  at::Tensor pos_embedding;
  std::shared_ptr<DropoutImpl> dropout;
  std::vector<std::shared_ptr<EncoderBlockImpl>> layers;
  std::shared_ptr<LayerNormImpl> ln;
};

class VisionTransformerImpl : public torch::nn::Module {
 public:
  explicit VisionTransformerImpl(const ViTConfig& c) : c_(c) {
    conv_proj = register_module("conv_proj", std::make_shared<Conv2dImpl>(3, c.hidden_dim, c.patch_size, c.patch_size));
    class_token = register_parameter("class_token", at::zeros({1, 1, c.hidden_dim}), false);
    encoder = register_module("encoder", std::make_shared<EncoderImpl>(c));
    auto heads = register_module("heads", std::make_shared<torch::nn::Module>());
    head = heads->register_module("head", std::make_shared<LinearImpl>(c.hidden_dim, c.num_classes));
  }
  at::Tensor forward(const at::Tensor& input) {
    ModuleScope scope("VisionTransformer", {input});
    // _process_input: conv_proj, reshape(n, hidden_dim, n_h * n_w), permute(0, 2, 1)
    const int64_t n = input.size(0), n_h = input.size(2) / c_.patch_size, n_w = input.size(3) / c_.patch_size;
    at::Tensor x = conv_proj->forward(input);
    x = x.reshape({n, c_.hidden_dim, n_h * n_w}).permute({0, 2, 1});
    at::Tensor batch_class_token = class_token.expand({n, -1, -1});
    x = at::cat({batch_class_token, x}, 1);
    x = encoder->forward(x);
    x = x.select(1, 0);  // x[:, 0]
    return head->forward(x);  // self.heads(x)
  }

  std::shared_ptr<Conv2dImpl> conv_proj;
  at::Tensor class_token;
  std::shared_ptr<EncoderImpl> encoder;
  std::shared_ptr<LinearImpl> head;

 private:
  ViTConfig c_;
};

ModelEntry make_entry(const std::string& name, const std::string& description, const ViTConfig& c,
                      bool for_tests) {
  ModelEntry e;
  e.name = name;
  e.task = "IC";
  e.reference = for_tests ? "torchvision:VisionTransformer(tiny config)" : "torchvision:" + name;
  e.description = description;
  e.parameters = vit_parameter_count(c);
  e.layers = c.num_layers;
  e.layer_scope = "EncoderBlock";
  e.for_tests = for_tests;
  e.estimate_bytes = [c](int64_t batch, int64_t /*seq_len*/, int64_t layers) {
    ViTConfig built = c;
    built.num_layers = layers;
    const int64_t tokens = batch * c.seq_length();
    // fp32 weights plus, generously, the live activations of one block: hidden states,
    // qkv, the MLP's inner width twice, the (heads, seq, seq) attention weights.
    const int64_t act = tokens * (8 * c.hidden_dim + 2 * c.mlp_dim) +
                        2 * batch * c.num_heads * c.seq_length() * c.seq_length() +
                        batch * 3 * c.image_size * c.image_size * 2;
    return 4 * (vit_parameter_count(built) + 2 * act);
  };
  e.create = [c](const ModelOptions& o) -> std::unique_ptr<Model> {
    ViTConfig built = c;
    if (o.layers > 0) built.num_layers = o.layers;
    const at::ScalarType dtype = hf::parse_dtype(o.dtype);
    const at::Device device = hf::parse_device(o.device);
    at::manual_seed(o.seed);
    auto net = std::make_shared<VisionTransformerImpl>(built);
    net->eval();
    hf::convert_module(*net, dtype, device);
    ClassificationTransform t;
    t.resize_size = c.resize_size;
    t.crop_size = c.image_size;
    t.interpolation = c.bicubic ? Interpolation::kBicubic : Interpolation::kBilinear;
    return std::make_unique<ImageModel>(
        net, [net](const std::vector<at::Tensor>& in) { return net->forward(in.at(0)); },
        [t](const std::vector<Image>& images) { return preprocess(images, t); }, dtype, device,
        /*with_mask=*/false);
  };
  return e;
}

}  // namespace

ViTConfig vit_tiny_config() {
  ViTConfig c;
  c.image_size = 32;
  c.patch_size = 8;
  c.num_layers = 2;
  c.num_heads = 4;
  c.hidden_dim = 64;
  c.mlp_dim = 128;
  c.num_classes = 10;
  c.resize_size = 36;
  return c;
}

int64_t vit_parameter_count(const ViTConfig& c) {
  const int64_t h = c.hidden_dim, m = c.mlp_dim;
  const int64_t conv = h * 3 * c.patch_size * c.patch_size + h;
  const int64_t block = 2 * h + (3 * h * h + 3 * h) + (h * h + h) + 2 * h + (h * m + m) + (m * h + h);
  return conv + h /*class_token*/ + c.seq_length() * h + c.num_layers * block + 2 * h + (h * c.num_classes + c.num_classes);
}

std::vector<ModelEntry> vit_entries() {
  ViTConfig b16;  // defaults: ViT-B/16, ViT_B_16_Weights.IMAGENET1K_V1 transforms (resize 256, crop 224)
  ViTConfig l16 = b16;
  l16.num_layers = 24;
  l16.num_heads = 16;
  l16.hidden_dim = 1024;
  l16.mlp_dim = 4096;
  l16.resize_size = 242;  // ViT_L_16_Weights.IMAGENET1K_V1
  ViTConfig h14 = b16;
  h14.patch_size = 14;
  h14.num_layers = 32;
  h14.num_heads = 16;
  h14.hidden_dim = 1280;
  h14.mlp_dim = 5120;
  h14.resize_size = 224;  // ViT_H_14_Weights.IMAGENET1K_SWAG_LINEAR_V1: 224 / 224, bicubic
  h14.bicubic = true;
  return {
      make_entry("vit_b_16", "ViT-B/16 image classifier, 224x224 (resize 256, crop 224)", b16, false),
      make_entry("vit_l_16", "ViT-L/16 image classifier, 224x224 (resize 242, crop 224)", l16, false),
      make_entry("vit_h_14", "ViT-H/14 image classifier, 224x224 (resize 224, bicubic; SWAG linear)", h14, false),
      make_entry("vit-test", "ViT test config: 32x32, patch 8, 2 layers, hidden 64", vit_tiny_config(), true),
  };
}

}  // namespace ngbench::models::vision
