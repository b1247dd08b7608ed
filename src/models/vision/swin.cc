// torchvision 0.26 models/swin_transformer.py (SwinTransformer with SwinTransformerBlock,
// ShiftedWindowAttention, PatchMerging), forward in eval mode. Each forward names the
// Python it mirrors.
#include "models/vision/swin.h"

#include <ATen/ATen.h>

#include <memory>
#include <numeric>
#include <string>

#include "core/error.h"
#include "models/module_scope.h"
#include "models/text_model.h"
#include "models/vision/layers.h"

namespace ngbench::models::vision {

namespace {

using namespace modules;  // NOLINT(google-build-using-namespace)

using hf::py_number;

constexpr double kLayerNormEps = 1e-5;  // partial(nn.LayerNorm, eps=1e-5)
constexpr double kDropout = 0.0;

// torchvision.ops.misc.Permute: torch.permute(x, dims).
class PermuteImpl : public torch::nn::Module {
 public:
  explicit PermuteImpl(std::vector<int64_t> dims) : dims_(std::move(dims)) {}
  at::Tensor forward(const at::Tensor& x) {
    ModuleScope scope("Permute", {x});
    return x.permute(dims_);
  }

 private:
  std::vector<int64_t> dims_;
};

class ShiftedWindowAttentionImpl : public torch::nn::Module {
 public:
  ShiftedWindowAttentionImpl(int64_t dim, int64_t window, int64_t shift, int64_t heads)
      : window_(window), shift_(shift), heads_(heads) {
    qkv = register_module("qkv", std::make_shared<LinearImpl>(dim, 3 * dim));
    proj = register_module("proj", std::make_shared<LinearImpl>(dim, dim));
    relative_position_bias_table = register_parameter(
        "relative_position_bias_table", at::normal(0.0, 0.02, {(2 * window - 1) * (2 * window - 1), heads}), false);
    // define_relative_position_index
    at::Tensor coords = at::stack(at::meshgrid({at::arange(window), at::arange(window)}, "ij"));
    at::Tensor flat = at::flatten(coords, 1);
    at::Tensor rel = (flat.unsqueeze(2) - flat.unsqueeze(1)).permute({1, 2, 0}).contiguous();
    rel.select(2, 0).add_(window - 1);
    rel.select(2, 1).add_(window - 1);
    rel.select(2, 0).mul_(2 * window - 1);
    relative_position_index = register_buffer("relative_position_index", rel.sum(-1).flatten());
  }

  at::Tensor forward(const at::Tensor& input) {
    ModuleScope scope("ShiftedWindowAttention", {input});
    // get_relative_position_bias -> _get_relative_position_bias
    const int64_t n = window_ * window_;
    at::Tensor bias = at::index(relative_position_bias_table, {relative_position_index});
    bias = bias.view({n, n, -1}).permute({2, 0, 1}).contiguous().unsqueeze(0);
    return shifted_window_attention(input, bias);
  }

  std::shared_ptr<LinearImpl> qkv, proj;
  at::Tensor relative_position_bias_table, relative_position_index;

 private:
  // shifted_window_attention(input, qkv.weight, proj.weight, bias, window_size, num_heads,
  // shift_size, 0.0, 0.0, qkv.bias, proj.bias, logit_scale=None, training=False)
  at::Tensor shifted_window_attention(const at::Tensor& input, const at::Tensor& relative_position_bias) {
    const int64_t B = input.size(0), H = input.size(1), W = input.size(2), C = input.size(3);
    const int64_t w = window_;
    const int64_t pad_r = (w - W % w) % w, pad_b = (w - H % w) % w;
    at::Tensor x = at::pad(input, {0, 0, 0, pad_r, 0, pad_b}, "constant", std::nullopt);
    const int64_t pad_H = x.size(1), pad_W = x.size(2);
    int64_t s0 = shift_, s1 = shift_;
    if (w >= pad_H) s0 = 0;
    if (w >= pad_W) s1 = 0;
    const bool shifted = s0 + s1 > 0;
    if (shifted) x = at::roll(x, {-s0, -s1}, {1, 2});
    const int64_t num_windows = (pad_H / w) * (pad_W / w);
    x = x.view({B, pad_H / w, w, pad_W / w, w, C});
    x = x.permute({0, 1, 3, 2, 4, 5}).reshape({B * num_windows, w * w, C});
    at::Tensor qkv_out = at::linear(x, qkv->weight, qkv->bias);
    qkv_out = qkv_out.reshape({x.size(0), x.size(1), 3, heads_, C / heads_}).permute({2, 0, 3, 1, 4});
    at::Tensor q = qkv_out.select(0, 0), k = qkv_out.select(0, 1), v = qkv_out.select(0, 2);
    q = at::mul(q, py_number(std::pow(static_cast<double>(C / heads_), -0.5)));
    at::Tensor attn = q.matmul(k.transpose(-2, -1));
    attn = at::add(attn, relative_position_bias);
    if (shifted) {
      at::Tensor mask = x.new_zeros({pad_H, pad_W}, at::TensorOptions().pinned_memory(false));
      const int64_t h_slices[3][2] = {{0, -w}, {-w, -s0}, {-s0, kEnd}};
      const int64_t w_slices[3][2] = {{0, -w}, {-w, -s1}, {-s1, kEnd}};
      int64_t count = 0;
      for (const auto& hs : h_slices) {
        for (const auto& ws : w_slices) {
          // attn_mask[h[0]:h[1], w[0]:w[1]] = count (a slice(-0, None) is slice(0, None))
          py_fill_slices(mask, {{0, hs[0], hs[1]}, {1, ws[0], ws[1]}}, static_cast<double>(count));
          ++count;
        }
      }
      mask = mask.view({pad_H / w, w, pad_W / w, w}).permute({0, 2, 1, 3}).reshape({num_windows, w * w});
      at::Tensor m1 = mask.unsqueeze(1);
      mask = at::sub(m1, mask.unsqueeze(2));
      mask = mask.masked_fill(at::ne(mask, 0), -100.0);
      mask = mask.masked_fill(at::eq(mask, 0), 0.0);
      attn = attn.view({x.size(0) / num_windows, num_windows, heads_, x.size(1), x.size(1)});
      attn = at::add(attn, mask.unsqueeze(1).unsqueeze(0));
      attn = attn.view({-1, heads_, x.size(1), x.size(1)});
    }
    attn = at::softmax(attn, -1, std::nullopt);
    attn = at::dropout(attn, kDropout, /*train=*/false);
    x = attn.matmul(v).transpose(1, 2).reshape({x.size(0), x.size(1), C});
    x = at::linear(x, proj->weight, proj->bias);
    x = at::dropout(x, kDropout, false);
    x = x.view({B, pad_H / w, pad_W / w, w, w, C});
    x = x.permute({0, 1, 3, 2, 4, 5}).reshape({B, pad_H, pad_W, C});
    if (shifted) x = at::roll(x, {s0, s1}, {1, 2});
    return py_slices(x, {{1, 0, H}, {2, 0, W}}).contiguous();  // x[:, :H, :W, :].contiguous()
  }

  int64_t window_, shift_, heads_;
};

// torchvision.ops.misc.MLP(dim, [hidden, dim], activation_layer=nn.GELU, dropout=0.0).
class MLPImpl : public torch::nn::Module {
 public:
  MLPImpl(int64_t dim, int64_t hidden) {
    fc1 = register_module("0", std::make_shared<LinearImpl>(dim, hidden));
    act = register_module("1", std::make_shared<GELUImpl>());
    drop1 = register_module("2", std::make_shared<DropoutImpl>(kDropout));
    fc2 = register_module("3", std::make_shared<LinearImpl>(hidden, dim));
    drop2 = register_module("4", std::make_shared<DropoutImpl>(kDropout));
  }
  at::Tensor forward(const at::Tensor& x) {
    ModuleScope scope("MLP", {x});
    return drop2->forward(fc2->forward(drop1->forward(act->forward(fc1->forward(x)))));
  }

  std::shared_ptr<LinearImpl> fc1, fc2;
  std::shared_ptr<GELUImpl> act;
  std::shared_ptr<DropoutImpl> drop1, drop2;
};

class SwinTransformerBlockImpl : public torch::nn::Module {
 public:
  SwinTransformerBlockImpl(int64_t dim, int64_t heads, int64_t window, int64_t shift, double mlp_ratio) {
    norm1 = register_module("norm1", std::make_shared<LayerNormImpl>(dim, kLayerNormEps));
    attn = register_module("attn", std::make_shared<ShiftedWindowAttentionImpl>(dim, window, shift, heads));
    norm2 = register_module("norm2", std::make_shared<LayerNormImpl>(dim, kLayerNormEps));
    mlp = register_module("mlp", std::make_shared<MLPImpl>(dim, static_cast<int64_t>(dim * mlp_ratio)));
  }
  at::Tensor forward(const at::Tensor& input) {
    ModuleScope scope("SwinTransformerBlock", {input});
    // stochastic_depth is the identity in eval mode (no ops).
    at::Tensor x = at::add(input, attn->forward(norm1->forward(input)));
    return at::add(x, mlp->forward(norm2->forward(x)));
  }

  std::shared_ptr<LayerNormImpl> norm1, norm2;
  std::shared_ptr<ShiftedWindowAttentionImpl> attn;
  std::shared_ptr<MLPImpl> mlp;
};

class PatchMergingImpl : public torch::nn::Module {
 public:
  explicit PatchMergingImpl(int64_t dim) {
    reduction = register_module("reduction", std::make_shared<LinearImpl>(4 * dim, 2 * dim, /*bias=*/false));
    norm = register_module("norm", std::make_shared<LayerNormImpl>(4 * dim, kLayerNormEps));
  }
  at::Tensor forward(const at::Tensor& input) {
    ModuleScope scope("PatchMerging", {input});
    // _patch_merging_pad
    const int64_t H = input.size(-3), W = input.size(-2);
    at::Tensor x = at::pad(input, {0, 0, 0, W % 2, 0, H % 2}, "constant", std::nullopt);
    const int64_t d = x.dim();
    at::Tensor x0 = py_slices(x, {{d - 3, 0, kEnd, 2}, {d - 2, 0, kEnd, 2}});  // x[..., 0::2, 0::2, :]
    at::Tensor x1 = py_slices(x, {{d - 3, 1, kEnd, 2}, {d - 2, 0, kEnd, 2}});  // x[..., 1::2, 0::2, :]
    at::Tensor x2 = py_slices(x, {{d - 3, 0, kEnd, 2}, {d - 2, 1, kEnd, 2}});  // x[..., 0::2, 1::2, :]
    at::Tensor x3 = py_slices(x, {{d - 3, 1, kEnd, 2}, {d - 2, 1, kEnd, 2}});  // x[..., 1::2, 1::2, :]
    x = at::cat({x0, x1, x2, x3}, -1);
    return reduction->forward(norm->forward(x));
  }

  std::shared_ptr<LinearImpl> reduction;
  std::shared_ptr<LayerNormImpl> norm;
};

class SwinTransformerImpl : public torch::nn::Module {
 public:
  explicit SwinTransformerImpl(const SwinConfig& c) {
    // features[0]: Sequential(Conv2d, Permute([0, 2, 3, 1]), LayerNorm)
    patch_conv = register_module("patch_conv", std::make_shared<Conv2dImpl>(3, c.embed_dim, c.patch_size, c.patch_size));
    patch_permute = register_module("patch_permute", std::make_shared<PermuteImpl>(std::vector<int64_t>{0, 2, 3, 1}));
    patch_norm = register_module("patch_norm", std::make_shared<LayerNormImpl>(c.embed_dim, kLayerNormEps));
    for (size_t s = 0; s < c.depths.size(); ++s) {
      const int64_t dim = c.embed_dim << s;
      std::vector<std::shared_ptr<SwinTransformerBlockImpl>> stage;
      for (int64_t i = 0; i < c.depths[s]; ++i) {
        const int64_t shift = i % 2 == 0 ? 0 : c.window_size / 2;
        stage.push_back(register_module("stage" + std::to_string(s) + "_block" + std::to_string(i),
                                        std::make_shared<SwinTransformerBlockImpl>(dim, c.num_heads[s], c.window_size,
                                                                                   shift, c.mlp_ratio)));
      }
      stages.push_back(std::move(stage));
      if (s + 1 < c.depths.size()) {
        merges.push_back(register_module("merge" + std::to_string(s), std::make_shared<PatchMergingImpl>(dim)));
      }
    }
    const int64_t features = c.embed_dim << (c.depths.size() - 1);
    norm = register_module("norm", std::make_shared<LayerNormImpl>(features, kLayerNormEps));
    permute = register_module("permute", std::make_shared<PermuteImpl>(std::vector<int64_t>{0, 3, 1, 2}));
    head = register_module("head", std::make_shared<LinearImpl>(features, c.num_classes));
  }

  at::Tensor forward(const at::Tensor& input) {
    ModuleScope scope("SwinTransformer", {input});
    at::Tensor x = patch_norm->forward(patch_permute->forward(patch_conv->forward(input)));
    for (size_t s = 0; s < stages.size(); ++s) {
      for (auto& block : stages[s]) x = block->forward(x);
      if (s < merges.size()) x = merges[s]->forward(x);
    }
    x = permute->forward(norm->forward(x));
    {
      ModuleScope pool("AdaptiveAvgPool2d", {x});
      x = at::adaptive_avg_pool2d(x, {1, 1});
    }
    {
      ModuleScope flat("Flatten", {x});
      x = at::flatten(x, 1, -1);
    }
    return head->forward(x);
  }

  std::shared_ptr<Conv2dImpl> patch_conv;
  std::shared_ptr<PermuteImpl> patch_permute, permute;
  std::shared_ptr<LayerNormImpl> patch_norm, norm;
  std::vector<std::vector<std::shared_ptr<SwinTransformerBlockImpl>>> stages;
  std::vector<std::shared_ptr<PatchMergingImpl>> merges;
  std::shared_ptr<LinearImpl> head;
};

int64_t total_blocks(const SwinConfig& c) { return std::accumulate(c.depths.begin(), c.depths.end(), int64_t{0}); }

ModelEntry make_entry(const std::string& name, const std::string& description, const SwinConfig& c,
                      bool for_tests) {
  ModelEntry e;
  e.name = name;
  e.task = "IC";
  e.reference = for_tests ? "torchvision:SwinTransformer(tiny config)" : "torchvision:" + name;
  e.description = description;
  e.parameters = swin_parameter_count(c);
  e.layers = total_blocks(c);
  e.layer_scope = "SwinTransformerBlock";
  e.for_tests = for_tests;
  e.estimate_bytes = [c](int64_t batch, int64_t /*seq_len*/, int64_t layers) {
    const SwinConfig built = with_layers(c, layers);
    // The first stage holds the most activations: (image / patch)^2 tokens of embed_dim,
    // the MLP's 4x width twice, window attention weights (tokens x window^2 per head).
    const int64_t side = (c.image_size + c.patch_size - 1) / c.patch_size;
    const int64_t w = c.window_size;
    const int64_t tokens = batch * ((side + w - 1) / w * w) * ((side + w - 1) / w * w);
    const int64_t act = tokens * c.embed_dim * 16 + 3 * tokens * w * w * c.num_heads[0] +
                        batch * 3 * c.image_size * c.image_size * 2;
    return 4 * (swin_parameter_count(built) + 2 * act);
  };
  e.create = [c](const ModelOptions& o) -> std::unique_ptr<Model> {
    const SwinConfig built = with_layers(c, o.layers);
    const at::ScalarType dtype = hf::parse_dtype(o.dtype);
    const at::Device device = hf::parse_device(o.device);
    at::manual_seed(o.seed);
    auto net = std::make_shared<SwinTransformerImpl>(built);
    net->eval();
    hf::convert_module(*net, dtype, device);
    ClassificationTransform t;
    t.resize_size = c.resize_size;
    t.crop_size = c.image_size;
    t.interpolation = Interpolation::kBicubic;
    return std::make_unique<ImageModel>(
        net, [net](const std::vector<at::Tensor>& in) { return net->forward(in.at(0)); },
        [t](const std::vector<Image>& images) { return preprocess(images, t); }, dtype, device,
        /*with_mask=*/false);
  };
  return e;
}

}  // namespace

SwinConfig swin_test_config() {
  // 36x36 with patch 4 gives 9x9 tokens: window 4 pads to 12x12, patch merging pads
  // odd sizes (9 -> 10, 5 -> 6), and the last stage (3x3 in one 4x4 window) drops the shift.
  SwinConfig c;
  c.embed_dim = 16;
  c.depths = {2, 2, 2};
  c.num_heads = {2, 4, 8};
  c.window_size = 4;
  c.num_classes = 10;
  c.image_size = 36;
  c.resize_size = 40;
  return c;
}

int64_t swin_parameter_count(const SwinConfig& c) {
  int64_t n = c.embed_dim * 3 * c.patch_size * c.patch_size + c.embed_dim + 2 * c.embed_dim;  // conv, norm
  const int64_t table = (2 * c.window_size - 1) * (2 * c.window_size - 1);
  for (size_t s = 0; s < c.depths.size(); ++s) {
    const int64_t d = c.embed_dim << s, h = c.num_heads[s];
    const auto hidden = static_cast<int64_t>(d * c.mlp_ratio);
    const int64_t block = 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + table * h + 2 * d + (d * hidden + hidden) +
                          (hidden * d + d);
    n += c.depths[s] * block;
    if (s + 1 < c.depths.size()) n += 4 * d * 2 * d + 2 * 4 * d;  // PatchMerging: reduction, norm
  }
  const int64_t f = c.embed_dim << (c.depths.size() - 1);
  return n + 2 * f + f * c.num_classes + c.num_classes;
}

std::vector<ModelEntry> swin_entries() {
  SwinConfig t;  // swin_t; Swin_T_Weights.IMAGENET1K_V1: resize 232, crop 224, bicubic
  SwinConfig s = t;
  s.depths = {2, 2, 18, 2};
  s.resize_size = 246;  // Swin_S_Weights.IMAGENET1K_V1
  SwinConfig b = s;
  b.embed_dim = 128;
  b.num_heads = {4, 8, 16, 32};
  b.resize_size = 238;  // Swin_B_Weights.IMAGENET1K_V1
  return {
      make_entry("swin_t", "Swin-T image classifier, 224x224 (resize 232 bicubic, crop 224)", t, false),
      make_entry("swin_s", "Swin-S image classifier, 224x224 (resize 246 bicubic, crop 224)", s, false),
      make_entry("swin_b", "Swin-B image classifier, 224x224 (resize 238 bicubic, crop 224)", b, false),
      make_entry("swin-test", "Swin test config: 36x36, window 4, depths 2-2-2, dim 16", swin_test_config(), true),
  };
}

}  // namespace ngbench::models::vision
