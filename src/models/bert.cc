// BERT after transformers 5.17 models/bert/modeling_bert.py (BertModel with
// pooler), in eval mode, for forward(input_ids, use_cache=False):
// attention_mask, token_type_ids and position_ids left None. Each forward below
// names the Python lines it mirrors; the order of aten ops is part of the
// contract (see bert.h).
//
// Attention mask: BertModel calls create_bidirectional_mask, which with no 2D
// mask returns None for eager and sdpa alike without issuing any op, so the
// layers get no mask here.
#include "models/bert.h"

#include <ATen/ATen.h>
#include <ATen/Context.h>
#include <torch/nn/modules/container/modulelist.h>

#include <cmath>
#include <string>

#include "core/error.h"
#include "models/hf_functional.h"
#include "models/hf_layers.h"
#include "models/module_scope.h"
#include "models/text_model.h"

namespace ngbench::models {

namespace {

using hf::Attention;
using hf::DropoutImpl;
using hf::LayerNormImpl;
using hf::LinearImpl;
using hf::py_number;

// hidden_dropout_prob / attention_probs_dropout_prob; eval mode makes them no-ops.
constexpr double kDropout = 0.1;

class BertEmbeddingsImpl : public torch::nn::Module {
 public:
  explicit BertEmbeddingsImpl(const BertConfig& c) {
    word_embeddings = register_module(
        "word_embeddings", std::make_shared<hf::EmbeddingImpl>(c.vocab_size, c.hidden_size, c.pad_token_id));
    position_embeddings = register_module(
        "position_embeddings", std::make_shared<hf::EmbeddingImpl>(c.max_position_embeddings, c.hidden_size));
    token_type_embeddings = register_module(
        "token_type_embeddings", std::make_shared<hf::EmbeddingImpl>(c.type_vocab_size, c.hidden_size));
    LayerNorm = register_module("LayerNorm", std::make_shared<LayerNormImpl>(c.hidden_size, c.layer_norm_eps));
    dropout = register_module("dropout", std::make_shared<DropoutImpl>(kDropout));
    // Non-persistent buffers: arange(max_positions).expand((1, -1)) and zeros of that size.
    position_ids = register_buffer("position_ids", at::arange(c.max_position_embeddings).expand({1, -1}));
    token_type_ids = register_buffer("token_type_ids", at::zeros(position_ids.sizes(), at::kLong));
  }

  at::Tensor forward(const at::Tensor& input_ids) {
    ModuleScope scope("BertEmbeddings");
    const int64_t batch = input_ids.size(0), seq = input_ids.size(1);
    at::Tensor pos = hf::py_slice(position_ids, 1, 0, seq);  // self.position_ids[:, 0:seq_length]
    // token_type_ids is None: the zeros buffer, gathered at position_ids and expanded.
    at::Tensor buffered = token_type_ids.expand({pos.size(0), -1});
    buffered = at::gather(buffered, 1, pos);
    at::Tensor type_ids = buffered.expand({batch, seq});
    at::Tensor inputs_embeds = word_embeddings->forward(input_ids);
    at::Tensor type_embeds = token_type_embeddings->forward(type_ids);
    at::Tensor embeddings = at::add(inputs_embeds, type_embeds);
    embeddings = at::add(embeddings, position_embeddings->forward(pos));
    return dropout->forward(LayerNorm->forward(embeddings));
  }

  std::shared_ptr<hf::EmbeddingImpl> word_embeddings, position_embeddings, token_type_embeddings;
  std::shared_ptr<LayerNormImpl> LayerNorm;  // NOLINT: HF's attribute name
  std::shared_ptr<DropoutImpl> dropout;
  at::Tensor position_ids, token_type_ids;
};

class BertSelfAttentionImpl : public torch::nn::Module {
 public:
  BertSelfAttentionImpl(const BertConfig& c, Attention attention)
      : attention_(attention), head_size_(c.hidden_size / c.num_attention_heads),
        scaling_(std::pow(static_cast<double>(head_size_), -0.5)) {
    query = register_module("query", std::make_shared<LinearImpl>(c.hidden_size, c.hidden_size));
    key = register_module("key", std::make_shared<LinearImpl>(c.hidden_size, c.hidden_size));
    value = register_module("value", std::make_shared<LinearImpl>(c.hidden_size, c.hidden_size));
  }

  at::Tensor forward(const at::Tensor& hidden_states, const at::Tensor& attention_mask) {
    ModuleScope scope("BertSelfAttention");
    // hidden_shape = (*input_shape, -1, self.attention_head_size)
    std::vector<int64_t> input_shape(hidden_states.sizes().begin(), hidden_states.sizes().end() - 1);
    std::vector<int64_t> hidden_shape = input_shape;
    hidden_shape.push_back(-1);
    hidden_shape.push_back(head_size_);
    at::Tensor q = query->forward(hidden_states).view(hidden_shape).transpose(1, 2);
    at::Tensor k = key->forward(hidden_states).view(hidden_shape).transpose(1, 2);
    at::Tensor v = value->forward(hidden_states).view(hidden_shape).transpose(1, 2);
    at::Tensor out = attention_ == Attention::kEager
                         ? eager_attention_forward(q, k, v, attention_mask)
                         : hf::sdpa_attention_forward(q, k, v, attention_mask, scaling_,
                                                      /*module_is_causal=*/false);
    // attn_output.reshape(*input_shape, -1).contiguous()
    input_shape.push_back(-1);
    return out.reshape(input_shape).contiguous();
  }

  std::shared_ptr<LinearImpl> query, key, value;

 private:
  // modeling_bert.eager_attention_forward (returns attn_output only).
  at::Tensor eager_attention_forward(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                     const at::Tensor& attention_mask) {
    at::Tensor w = at::mul(at::matmul(q, k.transpose(2, 3)), py_number(scaling_));
    if (attention_mask.defined()) w = at::add(w, attention_mask);
    w = at::softmax(w, -1);
    w = at::dropout(w, is_training() ? kDropout : 0.0, is_training());
    return at::matmul(w, v).transpose(1, 2).contiguous();
  }

  Attention attention_;
  int64_t head_size_;
  double scaling_;  // attention_head_size ** -0.5
};

// BertSelfOutput and BertOutput: dense, dropout, LayerNorm(hidden + input_tensor).
class DenseAddNorm : public torch::nn::Module {
 public:
  DenseAddNorm(const char* scope_name, int64_t in, const BertConfig& c) : scope_name_(scope_name) {
    dense = register_module("dense", std::make_shared<LinearImpl>(in, c.hidden_size));
    LayerNorm = register_module("LayerNorm", std::make_shared<LayerNormImpl>(c.hidden_size, c.layer_norm_eps));
    dropout = register_module("dropout", std::make_shared<DropoutImpl>(kDropout));
  }
  at::Tensor forward(const at::Tensor& hidden_states, const at::Tensor& input_tensor) {
    ModuleScope scope(scope_name_);
    at::Tensor h = dropout->forward(dense->forward(hidden_states));
    return LayerNorm->forward(at::add(h, input_tensor));
  }

  std::shared_ptr<LinearImpl> dense;
  std::shared_ptr<LayerNormImpl> LayerNorm;  // NOLINT: HF's attribute name
  std::shared_ptr<DropoutImpl> dropout;

 private:
  const char* scope_name_;  // a string literal
};

class BertAttentionImpl : public torch::nn::Module {
 public:
  BertAttentionImpl(const BertConfig& c, Attention attention) {
    self = register_module("self", std::make_shared<BertSelfAttentionImpl>(c, attention));
    output = register_module("output", std::make_shared<DenseAddNorm>("BertSelfOutput", c.hidden_size, c));
  }
  at::Tensor forward(const at::Tensor& hidden_states, const at::Tensor& attention_mask) {
    ModuleScope scope("BertAttention");
    return output->forward(self->forward(hidden_states, attention_mask), hidden_states);
  }

  std::shared_ptr<BertSelfAttentionImpl> self;
  std::shared_ptr<DenseAddNorm> output;
};

// activations.GELUActivation: nn.functional.gelu (erf form), aten::gelu.
class GELUActivationImpl : public torch::nn::Module {
 public:
  at::Tensor forward(const at::Tensor& x) {
    ModuleScope scope("GELUActivation", {x});
    return at::gelu(x);
  }
};

class BertIntermediateImpl : public torch::nn::Module {
 public:
  explicit BertIntermediateImpl(const BertConfig& c) {
    dense = register_module("dense", std::make_shared<LinearImpl>(c.hidden_size, c.intermediate_size));
    intermediate_act_fn = register_module("intermediate_act_fn", std::make_shared<GELUActivationImpl>());
  }
  at::Tensor forward(const at::Tensor& x) {
    ModuleScope scope("BertIntermediate");
    return intermediate_act_fn->forward(dense->forward(x));
  }

  std::shared_ptr<LinearImpl> dense;
  std::shared_ptr<GELUActivationImpl> intermediate_act_fn;
};

class BertLayerImpl : public torch::nn::Module {
 public:
  BertLayerImpl(const BertConfig& c, Attention attention) {
    this->attention = register_module("attention", std::make_shared<BertAttentionImpl>(c, attention));
    intermediate = register_module("intermediate", std::make_shared<BertIntermediateImpl>(c));
    output = register_module("output", std::make_shared<DenseAddNorm>("BertOutput", c.intermediate_size, c));
  }
  at::Tensor forward(const at::Tensor& hidden_states, const at::Tensor& attention_mask) {
    ModuleScope scope("BertLayer");
    at::Tensor attention_output = attention->forward(hidden_states, attention_mask);
    // apply_chunking_to_forward with chunk_size_feed_forward=0 calls feed_forward_chunk directly.
    return output->forward(intermediate->forward(attention_output), attention_output);
  }

  std::shared_ptr<BertAttentionImpl> attention;
  std::shared_ptr<BertIntermediateImpl> intermediate;
  std::shared_ptr<DenseAddNorm> output;
};

class BertEncoderImpl : public torch::nn::Module {
 public:
  BertEncoderImpl(const BertConfig& c, Attention attention) {
    auto list = register_module("layer", torch::nn::ModuleList());
    for (int64_t i = 0; i < c.num_hidden_layers; ++i) {
      layer.push_back(std::make_shared<BertLayerImpl>(c, attention));
      list->push_back(layer.back());
    }
  }
  at::Tensor forward(at::Tensor hidden_states, const at::Tensor& attention_mask) {
    ModuleScope scope("BertEncoder");
    for (auto& l : layer) hidden_states = l->forward(hidden_states, attention_mask);
    return hidden_states;
  }

  std::vector<std::shared_ptr<BertLayerImpl>> layer;
};

// nn.Tanh: aten::tanh.
class TanhImpl : public torch::nn::Module {
 public:
  at::Tensor forward(const at::Tensor& x) {
    ModuleScope scope("Tanh", {x});
    return at::tanh(x);
  }
};

class BertPoolerImpl : public torch::nn::Module {
 public:
  explicit BertPoolerImpl(const BertConfig& c) {
    dense = register_module("dense", std::make_shared<LinearImpl>(c.hidden_size, c.hidden_size));
    activation = register_module("activation", std::make_shared<TanhImpl>());
  }
  at::Tensor forward(const at::Tensor& hidden_states) {
    ModuleScope scope("BertPooler");
    at::Tensor first_token_tensor = hidden_states.select(1, 0);  // hidden_states[:, 0]
    return activation->forward(dense->forward(first_token_tensor));
  }

  std::shared_ptr<LinearImpl> dense;
  std::shared_ptr<TanhImpl> activation;
};

class BertModelImpl : public torch::nn::Module {
 public:
  BertModelImpl(const BertConfig& c, Attention attention) {
    embeddings = register_module("embeddings", std::make_shared<BertEmbeddingsImpl>(c));
    encoder = register_module("encoder", std::make_shared<BertEncoderImpl>(c, attention));
    pooler = register_module("pooler", std::make_shared<BertPoolerImpl>(c));
  }
  // Returns last_hidden_state; the pooled output is computed (HF does) and dropped.
  at::Tensor forward(const at::Tensor& input_ids) {
    ModuleScope scope("BertModel");
    at::Tensor embedding_output = embeddings->forward(input_ids);
    const at::Tensor no_mask;  // create_bidirectional_mask(...) is None, see the top
    at::Tensor sequence_output = encoder->forward(embedding_output, no_mask);
    pooler->forward(sequence_output);
    return sequence_output;
  }

  std::shared_ptr<BertEmbeddingsImpl> embeddings;
  std::shared_ptr<BertEncoderImpl> encoder;
  std::shared_ptr<BertPoolerImpl> pooler;
};

ModelEntry make_entry(const std::string& name, const std::string& description, const BertConfig& c,
                      int64_t default_seq_len, bool for_tests) {
  ModelEntry e = hf::text_model_entry(name, for_tests ? "hf:BertModel(tiny config)" : "hf:" + name, description,
                                       bert_parameter_count(c), c.num_hidden_layers, "BertLayer", default_seq_len,
                                       c.max_position_embeddings, for_tests);
  e.estimate_bytes = [c](int64_t batch, int64_t seq, int64_t layers) {
    BertConfig built = c;
    built.num_hidden_layers = layers;
    const int64_t params = bert_parameter_count(built);
    // fp32 weights plus, generously, every activation a layer can hold at once:
    // hidden states and residuals, q/k/v, the intermediate width twice, and
    // three (batch, heads, seq, seq) attention tensors.
    const int64_t tokens = batch * seq;
    const int64_t per_layer = tokens * (8 * c.hidden_size + 3 * c.intermediate_size) +
                              3 * batch * c.num_attention_heads * seq * seq;
    return 4 * (params + 2 * per_layer);
  };
  e.create = [c, default_seq_len, name](const ModelOptions& o) {
    BertConfig built = c;
    if (o.layers > 0) built.num_hidden_layers = o.layers;
    return create_bert(built, default_seq_len, o, name);
  };
  return e;
}

}  // namespace

BertConfig bert_tiny_config() {
  BertConfig c;
  c.vocab_size = 100;
  c.hidden_size = 64;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.intermediate_size = 256;
  c.max_position_embeddings = 32;
  return c;
}

int64_t bert_parameter_count(const BertConfig& c) {
  const int64_t h = c.hidden_size, f = c.intermediate_size;
  const int64_t layer_norm = 2 * h;
  const int64_t embeddings = (c.vocab_size + c.max_position_embeddings + c.type_vocab_size) * h + layer_norm;
  const int64_t attention = 4 * (h * h + h) + layer_norm;  // query, key, value, output dense
  const int64_t ffn = (h * f + f) + (f * h + h) + layer_norm;
  const int64_t pooler = h * h + h;
  return embeddings + c.num_hidden_layers * (attention + ffn) + pooler;
}

std::unique_ptr<Model> create_bert(const BertConfig& config, int64_t default_seq_len,
                                   const ModelOptions& options, const std::string& name) {
  NGBENCH_CHECK(config.hidden_size % config.num_attention_heads == 0,
                "hidden_size must be a multiple of num_attention_heads");
  const at::ScalarType dtype = hf::parse_dtype(options.dtype);
  const at::Device device = hf::parse_device(options.device);
  const Attention attention = hf::parse_attention(options.attention, Attention::kSdpa);
  at::manual_seed(options.seed);
  auto net = std::make_shared<BertModelImpl>(config, attention);
  net->eval();
  hf::convert_module(*net, dtype, device);
  hf::TokenInputs info{name, config.vocab_size, default_seq_len, config.max_position_embeddings, device};
  return std::make_unique<hf::TokenModel<BertModelImpl>>(std::move(net), std::move(info));
}

std::vector<ModelEntry> bert_entries() {
  return {
      make_entry("bert-base-uncased", "BERT base 110M, encoder with pooler", BertConfig{}, 128, false),
      make_entry("bert-tiny", "BERT test config: 2 layers, hidden 64", bert_tiny_config(), 16, true),
  };
}

}  // namespace ngbench::models
