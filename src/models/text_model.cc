#include "models/text_model.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <fstream>
#include <iterator>
#include <string>

#include "core/error.h"
#include "core/file_hash.h"

namespace ngbench::models::hf {

at::ScalarType parse_dtype(const std::string& dtype) {
  if (dtype == "float32") return at::kFloat;
  if (dtype == "bfloat16") return at::kBFloat16;
  if (dtype == "float16") return at::kHalf;
  throw Error("unknown dtype '" + dtype + "'; valid: float32, bfloat16, float16");
}

at::Device parse_device(const std::string& device) {
  try {
    return at::Device(device);
  } catch (const c10::Error&) {
    throw Error("unknown device '" + device + "'; valid: cpu, cuda, cuda:N");
  }
}

ModelEntry text_model_entry(const std::string& name, const std::string& reference, const std::string& description,
                            int64_t parameters, int64_t layers, const std::string& layer_scope,
                            int64_t default_seq_len, int64_t max_seq_len, bool for_tests) {
  ModelEntry e;
  e.name = name;
  e.task = "NLP";
  e.reference = reference;
  e.description = description;
  e.parameters = parameters;
  e.layers = layers;
  e.layer_scope = layer_scope;
  e.input_kind = InputKind::kTokenIds;
  e.takes_seq_len = true;
  e.default_seq_len = default_seq_len;
  e.max_seq_len = max_seq_len;
  e.for_tests = for_tests;
  e.default_attention = "sdpa";
  return e;
}

Attention parse_attention(const std::string& attention, Attention hf_default) {
  if (attention.empty()) return hf_default;
  if (attention == "eager") return Attention::kEager;
  if (attention == "sdpa") return Attention::kSdpa;
  throw Error("unknown attention implementation '" + attention + "'; valid: eager, sdpa");
}

int64_t resolve_seq_len(const std::string& model, int64_t seq_len, int64_t default_seq_len,
                        int64_t max_seq_len) {
  const int64_t s = seq_len == 0 ? default_seq_len : seq_len;
  if (s < 1 || s > max_seq_len) {
    throw Error("seq_len " + std::to_string(seq_len) + " is out of range for " + model +
                "; valid: 1.." + std::to_string(max_seq_len) + " (0: the default, " +
                std::to_string(default_seq_len) + ")");
  }
  return s;
}

void convert_module(torch::nn::Module& root, at::ScalarType dtype, at::Device device) {
  auto move = [&](at::Tensor& t) {
    const bool floating = at::isFloatingType(t.scalar_type());
    at::Tensor moved = t.to(device, floating ? dtype : t.scalar_type());
    if (!moved.is_same(t)) t.set_data(moved);
  };
  for (auto& p : root.parameters(/*recurse=*/true)) move(p);
  for (auto& b : root.buffers(/*recurse=*/true)) move(b);
}

namespace {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read text file '" + path + "'");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) throw Error("text file '" + path + "' is empty; give a file with some text");
  return bytes;
}

}  // namespace

std::vector<InputRecord> text_input_records(const InputSpec& spec) {
  if (spec.text_file.empty()) return {};
  const std::string bytes = read_text_file(spec.text_file);
  InputRecord r;
  r.source = spec.text_file;
  r.bytes = static_cast<int64_t>(bytes.size());
  r.sha256 = sha256_hex(bytes);
  return {r};
}

at::Tensor token_ids_from_text(const std::string& path, int64_t vocab_size, int64_t batch, int64_t seq_len) {
  const std::string bytes = read_text_file(path);
  at::Tensor ids = at::empty({batch, seq_len}, at::TensorOptions(at::kLong));
  int64_t* out = ids.data_ptr<int64_t>();
  const size_t n = bytes.size();
  for (int64_t k = 0; k < batch * seq_len; ++k) {
    const auto byte = static_cast<unsigned char>(bytes[static_cast<size_t>(k) % n]);
    out[k] = static_cast<int64_t>(byte) % vocab_size;
  }
  return ids;
}

std::vector<at::Tensor> make_token_ids(const TokenInputs& info, const InputSpec& spec) {
  if (spec.batch < 1) {
    throw Error("batch " + std::to_string(spec.batch) + " is out of range for " + info.model +
                "; valid: 1 or more");
  }
  const int64_t seq = resolve_seq_len(info.model, spec.seq_len, info.default_seq_len, info.max_seq_len);
  if (!spec.text_file.empty()) {
    return {token_ids_from_text(spec.text_file, info.vocab_size, spec.batch, seq).to(info.device)};
  }
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(spec.seed);
  at::Tensor ids = at::randint(info.vocab_size, {spec.batch, seq}, gen, at::TensorOptions(at::kLong));
  return {ids.to(info.device)};
}

}  // namespace ngbench::models::hf
