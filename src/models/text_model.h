#pragma once
// Plumbing shared by the token-id models (GPT-2, BERT, Llama, Mixtral): option
// parsing, sequence-length checks, dtype conversion, their registry entries,
// and the Model whose input is one int64 tensor of token ids.
#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/generate.h"
#include "models/hf_functional.h"
#include "models/kv_cache.h"
#include "models/model.h"
#include "models/registry.h"

namespace ngbench::models::hf {

// The registry entry of a Hugging Face text model: task NLP, a sequence
// length, attention sdpa by default (HF 5.17's choice where torch supports
// it) or eager. The family adds estimate_bytes and create.
ModelEntry text_model_entry(const std::string& name, const std::string& reference, const std::string& description,
                            int64_t parameters, int64_t layers, const std::string& layer_scope,
                            int64_t default_seq_len, int64_t max_seq_len, bool for_tests);

// ModelOptions fields; each throws ngbench::Error naming the valid values.
at::ScalarType parse_dtype(const std::string& dtype);
at::Device parse_device(const std::string& device);
// "" is HF's default for the model (sdpa for GPT-2 and BERT on CPU in 5.17).
Attention parse_attention(const std::string& attention, Attention hf_default);

// The sequence length to use: seq_len, or default_seq_len when it is 0.
// Throws ngbench::Error when it is outside [1, max_seq_len].
int64_t resolve_seq_len(const std::string& model, int64_t seq_len, int64_t default_seq_len,
                        int64_t max_seq_len);

// Moves every parameter and buffer to `device` and casts the floating ones to
// `dtype`, in place (set_data), so tied weights stay shared. Integer buffers
// (BERT's position ids) keep their dtype, unlike torch::nn::Module::to(dtype).
void convert_module(torch::nn::Module& root, at::ScalarType dtype, at::Device device);

// What a token-id model needs to know about its inputs.
struct TokenInputs {
  std::string model;  // for error messages
  int64_t vocab_size = 0;
  int64_t default_seq_len = 0;
  int64_t max_seq_len = 0;
  at::Device device = at::kCPU;
};

// Token ids int64 [batch, seq_len] ~ U[0, vocab), from a generator seeded with
// spec.seed (same spec, same ids), on info.device. With spec.text_file, the ids
// come from token_ids_from_text instead.
std::vector<at::Tensor> make_token_ids(const TokenInputs& info, const InputSpec& spec);

// The record of a text file the ids came from: its path, size and content hash.
// Empty without a text file.
std::vector<InputRecord> text_input_records(const InputSpec& spec);

// Token ids from a text file through a byte-level fallback (no tokenizer): each
// byte of the file (UTF-8 for text) becomes the id byte % vocab_size, and the
// bytes are read cyclically, row after row: ids[b][i] is byte (b * seq_len + i)
// mod the file size, so a batch-1 sequence is the text repeated or truncated to
// seq_len. Throws ngbench::Error naming the file when it cannot be read or is empty.
at::Tensor token_ids_from_text(const std::string& path, int64_t vocab_size, int64_t batch, int64_t seq_len);

// A Model over a module `Net` with `at::Tensor forward(const at::Tensor& ids)`.
template <class Net>
class TokenModel : public Model {
 public:
  TokenModel(std::shared_ptr<Net> net, TokenInputs info) : net_(std::move(net)), info_(std::move(info)) {}

  std::vector<at::Tensor> make_inputs(const InputSpec& spec) const override {
    records_ = text_input_records(spec);
    return make_token_ids(info_, spec);
  }
  std::vector<InputRecord> input_records() const override { return records_; }
  at::Tensor forward(const std::vector<at::Tensor>& inputs) override {
    return net_->forward(inputs.at(0));
  }
  torch::nn::Module& module() override { return *net_; }
  Net& net() { return *net_; }
  std::map<std::string, double> workload_counts() const override {
    return counts_ ? counts_() : std::map<std::string, double>{};
  }
  // (optional) Where workload_counts() come from (a quantized model's outlier columns, models/quant.h).
  void set_workload_counts(std::function<std::map<std::string, double>()> counts) { counts_ = std::move(counts); }

 private:
  std::shared_ptr<Net> net_;
  TokenInputs info_;
  std::function<std::map<std::string, double>()> counts_;
  mutable std::vector<InputRecord> records_;  // of the last make_inputs()
};

// A TokenModel that generates: `Net` also has num_layers() and the generate forward
// `at::Tensor forward(ids, KvCache&, position_ids, attention_mask)` (the last position's logits).
template <class Net>
class GenerativeModel : public TokenModel<Net> {
 public:
  GenerativeModel(std::shared_ptr<Net> net, TokenInputs info, GenerateOptions generate)
      : TokenModel<Net>(std::move(net), std::move(info)), generate_(generate) {}

  void start_sequence(const std::vector<at::Tensor>& inputs) override {
    cache_.reset();  // the last sequence's cache freed before the next one fills
    cache_.emplace(this->net().num_layers());
    generator_.emplace(generate_);
    generator_->start(inputs.at(0), forward_fn());
  }
  void decode_step() override {
    NGBENCH_CHECK(generator_.has_value(), "decode_step() before start_sequence()");
    generator_->step(forward_fn());
  }
  at::Tensor sequence() const override { return generator_ ? generator_->input_ids() : at::Tensor(); }

 private:
  GreedyGenerator::Forward forward_fn() {
    return [this](const at::Tensor& ids, const at::Tensor& positions, const at::Tensor& mask) {
      return this->net().forward(ids, *cache_, positions, mask);
    };
  }

  GenerateOptions generate_;
  std::optional<KvCache> cache_;
  std::optional<GreedyGenerator> generator_;
};

}  // namespace ngbench::models::hf
