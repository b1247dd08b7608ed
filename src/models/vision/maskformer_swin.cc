// transformers 5.17 models/maskformer/modeling_maskformer_swin.py: MaskFormerSwinBackbone
// (forward(pixel_values)) in eval mode. Each forward names the Python it mirrors.
#include "models/vision/maskformer_swin.h"

#include <ATen/ATen.h>

#include <cmath>
#include <string>

#include "models/hf_layers.h"
#include "models/module_scope.h"
#include "models/vision/layers.h"

namespace ngbench::models::vision {

namespace {

using namespace modules;  // NOLINT(google-build-using-namespace)
using hf::py_number;

constexpr double kEps = 1e-5;  // config.layer_norm_eps and nn.LayerNorm's default

class GELUActivationImpl : public torch::nn::Module {
 public:
  at::Tensor forward(const at::Tensor& x) {
    ModuleScope scope("GELUActivation", {x});
    return at::gelu(x, "none");
  }
};

// window_partition(input_feature, window_size)
at::Tensor window_partition(const at::Tensor& x, int64_t ws) {
  const int64_t b = x.size(0), h = x.size(1), w = x.size(2), c = x.size(3);
  at::Tensor v = x.view({b, h / ws, ws, w / ws, ws, c});
  return v.transpose(2, 3).contiguous().view({-1, ws, ws, c});
}

// window_reverse(windows, window_size, height, width)
at::Tensor window_reverse(const at::Tensor& windows, int64_t ws, int64_t h, int64_t w) {
  const int64_t c = windows.size(-1);
  at::Tensor v = windows.view({-1, h / ws, w / ws, ws, ws, c});
  return v.transpose(2, 3).contiguous().view({-1, h, w, c});
}

class MaskFormerSwinSelfAttentionImpl : public torch::nn::Module {
 public:
  MaskFormerSwinSelfAttentionImpl(int64_t dim, int64_t heads, int64_t ws) : heads_(heads), head_(dim / heads), ws_(ws) {
    relative_position_bias_table =
        register_parameter("relative_position_bias_table", at::normal(0.0, 0.02, {(2 * ws - 1) * (2 * ws - 1), heads}),
                           false);
    // create_relative_position_index
    at::Tensor coords = at::stack(at::meshgrid({at::arange(ws), at::arange(ws)}, "ij"));
    at::Tensor flat = at::flatten(coords, 1);
    at::Tensor rel = (flat.unsqueeze(2) - flat.unsqueeze(1)).permute({1, 2, 0}).contiguous();
    rel.select(2, 0).add_(ws - 1);
    rel.select(2, 1).add_(ws - 1);
    rel.select(2, 0).mul_(2 * ws - 1);
    relative_position_index = register_buffer("relative_position_index", rel.sum(-1));
    query = register_module("query", std::make_shared<LinearImpl>(dim, dim));
    key = register_module("key", std::make_shared<LinearImpl>(dim, dim));
    value = register_module("value", std::make_shared<LinearImpl>(dim, dim));
    dropout = register_module("dropout", std::make_shared<DropoutImpl>(0.0));
  }
  at::Tensor forward(const at::Tensor& x, const at::Tensor& attention_mask) {
    ModuleScope scope("MaskFormerSwinSelfAttention", {x});
    const int64_t b = x.size(0), dim = x.size(1);
    const std::vector<int64_t> shape = {b, dim, -1, head_};
    at::Tensor q = query->forward(x).view(shape).transpose(1, 2);
    at::Tensor k = key->forward(x).view(shape).transpose(1, 2);
    at::Tensor v = value->forward(x).view(shape).transpose(1, 2);
    at::Tensor scores = at::matmul(q, k.transpose(-1, -2));
    scores = at::div(scores, py_number(std::sqrt(static_cast<double>(head_))));
    at::Tensor bias = at::index(relative_position_bias_table, {relative_position_index.view(-1)});
    bias = bias.view({ws_ * ws_, ws_ * ws_, -1}).permute({2, 0, 1}).contiguous();
    scores = at::add(scores, bias.unsqueeze(0));
    if (attention_mask.defined()) {
      const int64_t m = attention_mask.size(0);
      scores = scores.view({b / m, m, heads_, dim, dim});
      scores = at::add(scores, attention_mask.unsqueeze(1).unsqueeze(0));
      scores = scores.view({-1, heads_, dim, dim});
    }
    at::Tensor probs = dropout->forward(at::softmax(scores, -1, std::nullopt));
    at::Tensor ctx = at::matmul(probs, v).permute({0, 2, 1, 3}).contiguous();
    std::vector<int64_t> out_shape(ctx.sizes().begin(), ctx.sizes().end() - 2);
    out_shape.push_back(heads_ * head_);
    return ctx.view(out_shape);
  }

  at::Tensor relative_position_bias_table, relative_position_index;
  std::shared_ptr<LinearImpl> query, key, value;
  std::shared_ptr<DropoutImpl> dropout;

 private:
  int64_t heads_, head_, ws_;
};

class MaskFormerSwinLayerImpl : public torch::nn::Module {
 public:
  MaskFormerSwinLayerImpl(int64_t dim, int64_t heads, int64_t ws, int64_t shift, double mlp_ratio)
      : ws_(ws), shift_(shift) {
    const auto hidden = static_cast<int64_t>(mlp_ratio * static_cast<double>(dim));
    layernorm_before = register_module("layernorm_before", std::make_shared<LayerNormImpl>(dim, kEps));
    auto attention = register_module("attention", std::make_shared<torch::nn::Module>());
    self_attn = attention->register_module("self", std::make_shared<MaskFormerSwinSelfAttentionImpl>(dim, heads, ws));
    auto out = attention->register_module("output", std::make_shared<torch::nn::Module>());
    self_output_dense = out->register_module("dense", std::make_shared<LinearImpl>(dim, dim));
    self_output_dropout = out->register_module("dropout", std::make_shared<DropoutImpl>(0.0));
    layernorm_after = register_module("layernorm_after", std::make_shared<LayerNormImpl>(dim, kEps));
    auto inter = register_module("intermediate", std::make_shared<torch::nn::Module>());
    intermediate_dense = inter->register_module("dense", std::make_shared<LinearImpl>(dim, hidden));
    act = inter->register_module("intermediate_act_fn", std::make_shared<GELUActivationImpl>());
    auto output = register_module("output", std::make_shared<torch::nn::Module>());
    output_dense = output->register_module("dense", std::make_shared<LinearImpl>(hidden, dim));
    output_dropout = output->register_module("dropout", std::make_shared<DropoutImpl>(0.0));
  }

  at::Tensor forward(const at::Tensor& input, int64_t height, int64_t width) {
    ModuleScope scope("MaskFormerSwinLayer", {input});
    const int64_t b = input.size(0), c = input.size(2);
    at::Tensor x = layernorm_before->forward(input).view({b, height, width, c});
    // maybe_pad: always nn.functional.pad
    const int64_t pad_r = (ws_ - width % ws_) % ws_, pad_b = (ws_ - height % ws_) % ws_;
    x = at::pad(x, {0, 0, 0, pad_r, 0, pad_b}, "constant", std::nullopt);
    const int64_t hp = x.size(1), wp = x.size(2);
    if (shift_ > 0) x = at::roll(x, {-shift_, -shift_}, {1, 2});
    at::Tensor windows = window_partition(x, ws_).view({-1, ws_ * ws_, c});
    at::Tensor mask = attn_mask(hp, wp);
    if (mask.defined()) {
      // attn_mask.to(hidden_states_windows.device): Tensor.to(device) keeps dtype and layout
      mask = mask.to(mask.options().device(windows.device()), /*non_blocking=*/false, /*copy=*/false, std::nullopt);
    }
    at::Tensor attn;
    {
      ModuleScope attention_scope("MaskFormerSwinAttention", {windows});
      attn = self_attn->forward(windows, mask);
      ModuleScope output_scope("MaskFormerSwinSelfOutput", {attn});
      attn = self_output_dropout->forward(self_output_dense->forward(attn));
    }
    at::Tensor y = window_reverse(attn.view({-1, ws_, ws_, c}), ws_, hp, wp);
    if (shift_ > 0) y = at::roll(y, {shift_, shift_}, {1, 2});
    if (pad_r > 0 || pad_b > 0) y = py_slices(y, {{1, 0, height}, {2, 0, width}}).contiguous();
    y = y.view({b, height * width, c});
    at::Tensor h = at::add(input, y);  // shortcut + self.drop_path(attention_windows)
    at::Tensor o = layernorm_after->forward(h);
    {
      ModuleScope s("MaskFormerSwinIntermediate", {o});
      o = act->forward(intermediate_dense->forward(o));
    }
    {
      ModuleScope s("MaskFormerSwinOutput", {o});
      o = output_dropout->forward(output_dense->forward(o));
    }
    return at::add(h, o);  // hidden_states + self.output(layer_output)
  }

 private:
  // get_attn_mask((height_pad, width_pad)): None without a shift.
  at::Tensor attn_mask(int64_t height, int64_t width) const {
    if (shift_ <= 0) return at::Tensor();
    const auto opts = at::TensorOptions().pinned_memory(false);
    at::Tensor h_idx = at::arange(height, opts);
    at::Tensor w_idx = at::arange(width, opts);
    at::Tensor h_region = at::add(at::ge(h_idx, height - ws_).to(at::kLong), at::ge(h_idx, height - shift_).to(at::kLong));
    at::Tensor w_region = at::add(at::ge(w_idx, width - ws_).to(at::kLong), at::ge(w_idx, width - shift_).to(at::kLong));
    // (h_region[None, :, None, None] * 3 + w_region[None, None, :, None]).float()
    at::Tensor hr = at::mul(h_region.unsqueeze(0).unsqueeze(2).unsqueeze(3), py_number(int64_t{3}));
    at::Tensor wr = w_region.unsqueeze(0).unsqueeze(1).unsqueeze(3);
    at::Tensor img_mask = at::add(hr, wr).to(at::kFloat);
    at::Tensor mw = window_partition(img_mask, ws_).view({-1, ws_ * ws_});
    at::Tensor m1 = mw.unsqueeze(1);
    at::Tensor m = at::sub(m1, mw.unsqueeze(2));
    m = m.masked_fill(at::ne(m, 0), -100.0);
    return m.masked_fill(at::eq(m, 0), 0.0);
  }

  int64_t ws_, shift_;
  std::shared_ptr<LayerNormImpl> layernorm_before, layernorm_after;
  std::shared_ptr<MaskFormerSwinSelfAttentionImpl> self_attn;
  std::shared_ptr<LinearImpl> self_output_dense, intermediate_dense, output_dense;
  std::shared_ptr<DropoutImpl> self_output_dropout, output_dropout;
  std::shared_ptr<GELUActivationImpl> act;
};

class MaskFormerSwinPatchMergingImpl : public torch::nn::Module {
 public:
  explicit MaskFormerSwinPatchMergingImpl(int64_t dim) {
    reduction = register_module("reduction", std::make_shared<LinearImpl>(4 * dim, 2 * dim, /*bias=*/false));
    norm = register_module("norm", std::make_shared<LayerNormImpl>(4 * dim, kEps));
  }
  at::Tensor forward(const at::Tensor& input, int64_t height, int64_t width) {
    ModuleScope scope("MaskFormerSwinPatchMerging", {input});
    const int64_t b = input.size(0), c = input.size(2);
    at::Tensor x = input.view({b, height, width, c});
    if (height % 2 == 1 || width % 2 == 1) x = at::pad(x, {0, 0, 0, width % 2, 0, height % 2}, "constant", std::nullopt);
    std::vector<at::Tensor> parts;
    for (int64_t col = 0; col < 2; ++col) {
      for (int64_t row = 0; row < 2; ++row) {
        parts.push_back(py_slices(x, {{1, row, kEnd, 2}, {2, col, kEnd, 2}}));  // x[:, row::2, col::2, :]
      }
    }
    x = at::cat(parts, -1).view({b, -1, 4 * c});
    return reduction->forward(norm->forward(x));
  }

  std::shared_ptr<LinearImpl> reduction;
  std::shared_ptr<LayerNormImpl> norm;
};

}  // namespace

class MaskFormerSwinModelImpl : public torch::nn::Module {
 public:
  explicit MaskFormerSwinModelImpl(const MaskFormerConfig& c) : patch_(c.patch_size) {
    auto emb = register_module("embeddings", std::make_shared<torch::nn::Module>());
    auto pe = emb->register_module("patch_embeddings", std::make_shared<torch::nn::Module>());
    projection = pe->register_module("projection", std::make_shared<Conv2dImpl>(3, c.embed_dim, c.patch_size, c.patch_size));
    emb_norm = emb->register_module("norm", std::make_shared<LayerNormImpl>(c.embed_dim, kEps));
    emb_dropout = emb->register_module("dropout", std::make_shared<DropoutImpl>(0.0));
    auto enc = register_module("encoder", std::make_shared<torch::nn::Module>());
    auto layers = enc->register_module("layers", std::make_shared<torch::nn::Module>());
    for (size_t s = 0; s < c.depths.size(); ++s) {
      const int64_t dim = c.embed_dim << s;
      auto stage = layers->register_module(std::to_string(s), std::make_shared<torch::nn::Module>());
      auto blocks = stage->register_module("blocks", std::make_shared<torch::nn::Module>());
      std::vector<std::shared_ptr<MaskFormerSwinLayerImpl>> list;
      for (int64_t i = 0; i < c.depths[s]; ++i) {
        list.push_back(blocks->register_module(
            std::to_string(i), std::make_shared<MaskFormerSwinLayerImpl>(dim, c.num_heads[s], c.window_size,
                                                                         i % 2 == 0 ? 0 : c.window_size / 2,
                                                                         c.mlp_ratio)));
      }
      stages.push_back(std::move(list));
      if (s + 1 < c.depths.size()) {
        merges.push_back(stage->register_module("downsample", std::make_shared<MaskFormerSwinPatchMergingImpl>(dim)));
      }
    }
    layernorm = register_module("layernorm", std::make_shared<LayerNormImpl>(c.embed_dim << (c.depths.size() - 1), kEps));
  }

  // Returns each stage's output before its downsampling, with its (height, width).
  std::vector<std::tuple<at::Tensor, int64_t, int64_t>> forward(const at::Tensor& pixel_values) {
    ModuleScope scope("MaskFormerSwinModel", {pixel_values});
    at::Tensor h;
    int64_t height = 0, width = 0;
    {
      ModuleScope e("MaskFormerSwinEmbeddings", {pixel_values});
      {
        ModuleScope p("MaskFormerSwinPatchEmbeddings", {pixel_values});
        at::Tensor x = pixel_values;
        // maybe_pad
        if (x.size(3) % patch_ != 0) x = at::pad(x, {0, patch_ - x.size(3) % patch_}, "constant", std::nullopt);
        if (x.size(2) % patch_ != 0) x = at::pad(x, {0, 0, 0, patch_ - x.size(2) % patch_}, "constant", std::nullopt);
        x = projection->forward(x);
        height = x.size(2);
        width = x.size(3);
        h = x.flatten(2).transpose(1, 2);
      }
      h = emb_dropout->forward(emb_norm->forward(h));
    }
    std::vector<std::tuple<at::Tensor, int64_t, int64_t>> out;
    {
      ModuleScope enc("MaskFormerSwinEncoder", {h});
      for (size_t s = 0; s < stages.size(); ++s) {
        ModuleScope st("MaskFormerSwinStage", {h});
        for (auto& block : stages[s]) h = block->forward(h, height, width);
        out.emplace_back(h, height, width);
        if (s < merges.size()) {
          h = merges[s]->forward(h, height, width);
          height = (height + 1) / 2;
          width = (width + 1) / 2;
        }
      }
    }
    at::Tensor sequence_output = layernorm->forward(h);
    // pooler: nn.AdaptiveAvgPool1d(1) over sequence_output.transpose(1, 2), then torch.flatten(pooled, 1)
    at::Tensor t = sequence_output.transpose(1, 2);
    at::Tensor pooled;
    {
      ModuleScope pool("AdaptiveAvgPool1d", {t});
      pooled = at::adaptive_avg_pool1d(t, {1});
    }
    pooled = at::flatten(pooled, 1, -1);
    return out;
  }

  std::shared_ptr<Conv2dImpl> projection;
  std::shared_ptr<LayerNormImpl> emb_norm, layernorm;
  std::shared_ptr<DropoutImpl> emb_dropout;
  std::vector<std::vector<std::shared_ptr<MaskFormerSwinLayerImpl>>> stages;
  std::vector<std::shared_ptr<MaskFormerSwinPatchMergingImpl>> merges;

 private:
  int64_t patch_;
};

MaskFormerSwinBackboneImpl::MaskFormerSwinBackboneImpl(const MaskFormerConfig& c) {
  model_ = register_module("model", std::make_shared<MaskFormerSwinModelImpl>(c));
  auto norms = register_module("hidden_states_norms", std::make_shared<torch::nn::Module>());
  for (size_t s = 0; s < c.depths.size(); ++s) {
    channels_.push_back(c.embed_dim << s);
    norms_.push_back(norms->register_module(std::to_string(s), std::make_shared<LayerNormImpl>(channels_.back(), kEps)));
  }
}

std::vector<at::Tensor> MaskFormerSwinBackboneImpl::forward(const at::Tensor& pixel_values) {
  ModuleScope scope("MaskFormerSwinBackbone", {pixel_values});
  auto hidden = model_->forward(pixel_values);
  std::vector<at::Tensor> feature_maps;
  for (size_t i = 0; i < hidden.size(); ++i) {
    const auto& [h, height, width] = hidden[i];
    at::Tensor n = std::static_pointer_cast<LayerNormImpl>(norms_[i])->forward(h);
    const int64_t b = n.size(0), c = n.size(2);
    feature_maps.push_back(n.permute({0, 2, 1}).view({b, c, height, width}).contiguous());
  }
  return feature_maps;
}

int64_t maskformer_swin_parameter_count(const MaskFormerConfig& c) {
  const int64_t e = c.embed_dim;
  int64_t n = 3 * e * c.patch_size * c.patch_size + e + 2 * e;  // projection, embeddings norm
  const int64_t table = (2 * c.window_size - 1) * (2 * c.window_size - 1);
  for (size_t s = 0; s < c.depths.size(); ++s) {
    const int64_t d = e << s;
    const auto f = static_cast<int64_t>(c.mlp_ratio * static_cast<double>(d));
    const int64_t block = 2 * d + table * c.num_heads[s] + 3 * (d * d + d) + (d * d + d) + 2 * d + (d * f + f) + (f * d + d);
    n += c.depths[s] * block + 2 * d;                        // blocks, hidden_states_norms[s]
    if (s + 1 < c.depths.size()) n += 4 * d * 2 * d + 8 * d;  // downsample: reduction, norm
  }
  return n + 2 * (e << (c.depths.size() - 1));  // model.layernorm
}

}  // namespace ngbench::models::vision
