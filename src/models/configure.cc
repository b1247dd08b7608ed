#include "models/configure.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "models/quant_scheme.h"

namespace ngbench::models {

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

// The non-test models for which `pred` holds, for "applies to: ..." messages.
template <class Pred>
std::string models_where(Pred pred) {
  std::vector<std::string> names;
  for (const auto& m : model_registry()) {
    if (!m.for_tests && pred(m)) names.push_back(m.name);
  }
  return join(names);
}

// --attention: a name HF knows, on a model that offers the choice.
std::string resolve_attention(const RunConfig& c, const ModelEntry& model) {
  if (c.attention.empty()) return model.default_attention;
  if (c.attention != "eager" && c.attention != "sdpa") {
    throw Error("unknown attention implementation '" + c.attention + "'; valid: eager, sdpa");
  }
  if (model.default_attention.empty()) {
    throw Error("model " + c.model + " has a single attention implementation; --attention applies to: " +
                models_where([](const ModelEntry& m) { return !m.default_attention.empty(); }));
  }
  return c.attention;
}

void check_sequence_length(RunConfig& c, const ModelEntry& model) {
  if (model.takes_seq_len) {
    if (c.seq_len == 0) c.seq_len = model.default_seq_len;
    if (c.seq_len < 1 || (model.max_seq_len > 0 && c.seq_len > model.max_seq_len)) {
      throw Error("sequence length " + std::to_string(c.seq_len) + " is impossible for " + c.model + "; valid: 1 to " +
                  std::to_string(model.max_seq_len));
    }
  } else if (c.seq_len != 0) {
    throw Error("model " + c.model + " takes no sequence length (got " + std::to_string(c.seq_len) +
                "); omit --seq-len");
  }
}

// Input options that a model would ignore are refused, as --seq-len is.
void check_input_options(const RunConfig& c, const ModelEntry& model) {
  namespace fs = std::filesystem;
  const bool tokens = model.input_kind == InputKind::kTokenIds;
  if (!c.text_file.empty()) {
    if (!tokens) {
      throw Error("model " + c.model + " takes images, not text; omit --text (it applies to: " +
                  models_where([](const ModelEntry& m) { return m.input_kind == InputKind::kTokenIds; }) + ")");
    }
    std::error_code ec;
    if (!fs::is_regular_file(c.text_file, ec)) {
      throw Error("text file '" + c.text_file + "' does not exist; give a file of text for --text");
    }
    if (fs::file_size(c.text_file, ec) == 0) {
      throw Error("text file '" + c.text_file + "' is empty; give a file with some text");
    }
  }
  if (!c.images.empty()) {
    if (tokens) {
      throw Error("model " + c.model + " takes token ids, not images; omit --images (use --text FILE for its input)");
    }
    std::error_code ec;
    if (!fs::exists(c.images, ec)) {
      throw Error("image path '" + c.images + "' does not exist; give an image file or a directory of images");
    }
  }
  if (c.score_threshold >= 0 || std::isnan(c.score_threshold)) {
    if (!model.takes_score_threshold) {
      throw Error("model " + c.model + " detects no boxes; --score-threshold applies to: " +
                  models_where([](const ModelEntry& m) { return m.takes_score_threshold; }));
    }
    if (!std::isfinite(c.score_threshold) || c.score_threshold > 1) {
      throw Error("--score-threshold " + std::to_string(c.score_threshold) + " is invalid; valid: 0 to 1");
    }
  }
}

// --quant: a scheme this device has, on a model whose decoder layers it quantizes, at a dtype it takes;
// --int8-outliers: int8-lt's, 0 to the narrowest quantized input width, or detected.
void check_quant(const RunConfig& c, const ModelEntry& model) {
  const quant::SchemeInfo& scheme = quant::find_scheme(c.quant);
  const bool lt = scheme.scheme == quant::Scheme::kInt8Lt;
  if (!lt && c.int8_outliers != RunConfig().int8_outliers) {
    throw Error("--int8-outliers applies to --quant int8-lt (LLM.int8()'s outlier columns); this configuration "
                "runs --quant " + c.quant);
  }
  if (scheme.scheme == quant::Scheme::kNone) return;
  if (model.quant_min_in_features == 0) {
    throw Error("model " + c.model + " has no decoder layers to quantize; --quant applies to: " +
                models_where([](const ModelEntry& m) { return m.quant_min_in_features > 0; }));
  }
  const std::string type = c.device.rfind("cuda", 0) == 0 ? "cuda" : c.device;
  if (!(type == "cuda" ? scheme.cuda : scheme.cpu)) {
    throw Error("--quant " + c.quant + " is not available on device " + c.device + "; schemes on " + type + ": " +
                quant::scheme_names(quant::schemes_on(type)));
  }
  if (scheme.scheme == quant::Scheme::kInt8Fbgemm && c.dtype != "float32") {
    throw Error("--quant int8-fbgemm takes float32 activations (quantized::linear_dynamic); --dtype " + c.dtype +
                " is not supported");
  }
  if (scheme.scheme == quant::Scheme::kFp8 && c.dtype == "float32") {
    throw Error("--quant fp8 runs with --dtype bfloat16 or float16 (aten::_scaled_mm's row-wise output)");
  }
  if (lt && c.int8_outliers != kInt8OutliersDetected &&
      (c.int8_outliers < 0 || c.int8_outliers > model.quant_min_in_features)) {
    throw Error("--int8-outliers " + std::to_string(c.int8_outliers) + " is out of range for " + c.model +
                "; valid: 0 to " + std::to_string(model.quant_min_in_features) +
                " (columns of its narrowest quantized Linear) or detected");
  }
}

// --phase decode, --kv-cache, --gen-tokens: on a model with a KV cache (a text decoder), the context plus the
// generated tokens within its positions. Resolves kv_cache to "on" (HF's default) where the model has a cache.
void check_generation(RunConfig& c, const ModelEntry& model) {
  const auto decoders = [] { return models_where([](const ModelEntry& m) { return m.kv_width > 0; }); };
  const bool decode = c.phase == "decode";
  if (model.kv_width == 0) {
    if (decode) {
      throw Error("model " + c.model + " has no decoder to generate with; --phase decode applies to: " + decoders());
    }
    if (!c.kv_cache.empty()) throw Error("model " + c.model + " has no KV cache; --kv-cache applies to: " + decoders());
  } else if (c.kv_cache.empty()) {
    c.kv_cache = "on";
  } else if (c.kv_cache != "on" && c.kv_cache != "off") {
    throw Error("--kv-cache '" + c.kv_cache + "' is invalid; valid: on, off");
  }
  if (decode && c.kv_cache == "off") {
    throw Error("--kv-cache off applies to --phase prefill; decode always runs over the KV cache");
  }
  if (!decode) {
    if (c.gen_tokens != RunConfig().gen_tokens) {
      throw Error("--gen-tokens " + std::to_string(c.gen_tokens) + " applies to --phase decode; this configuration "
                  "runs --phase " + c.phase);
    }
    return;
  }
  const int64_t room = model.max_seq_len - c.seq_len;
  if (c.gen_tokens < 1 || (model.max_seq_len > 0 && c.gen_tokens > room)) {
    throw Error("--gen-tokens " + std::to_string(c.gen_tokens) + " is impossible for " + c.model + " with a " +
                std::to_string(c.seq_len) + "-token context; valid: 1 to " + std::to_string(room) +
                " (context + generated tokens within its " + std::to_string(model.max_seq_len) + " positions)");
  }
}

}  // namespace

RunConfig resolve_config(const RunConfig& config) {
  RunConfig c = config;
  const ModelEntry& model = find_model(c.model);
  check_sequence_length(c, model);
  if (c.layers < 0 || c.layers > model.layers || (c.layers > 0 && model.layer_scope.empty())) {
    throw Error("--layers " + std::to_string(c.layers) + " is impossible for " + c.model + "; valid: 0 (all)" +
                (model.layer_scope.empty() ? "" : " or 1 to " + std::to_string(model.layers)));
  }
  c.attention = resolve_attention(c, model);
  check_input_options(c, model);
  check_quant(c, model);
  check_generation(c, model);
  return c;
}

ModelOptions model_options(const RunConfig& c) {
  ModelOptions o;
  o.seed = c.seed;
  o.dtype = c.dtype;
  o.device = c.device;
  o.attention = c.attention;
  o.layers = c.layers;
  o.score_threshold = c.score_threshold;
  o.quant = c.quant;
  o.int8_outliers = c.int8_outliers;
  o.kv_cache = c.kv_cache == "on";
  o.gen_tokens = c.gen_tokens;
  return o;
}

InputSpec input_spec(const RunConfig& c) {
  InputSpec s;
  s.batch = c.batch;
  s.seq_len = c.seq_len;
  s.seed = c.seed;
  s.images = c.images;
  s.text_file = c.text_file;
  return s;
}

int64_t estimate_bytes(const RunConfig& c) {
  const ModelEntry& model = find_model(c.model);
  const int64_t layers = c.layers > 0 ? c.layers : model.layers;
  // The model's estimate is for float32; half precision halves every tensor.
  const int64_t dtype_bytes = c.dtype == "float32" ? 4 : 2;
  // The KV cache: the context's keys and values (a prefill with the cache), plus the generated tokens' (decode,
  // whose untimed prefill of the context is the peak of activations).
  const int64_t cached = c.kv_cache == "on" ? c.seq_len + (c.phase == "decode" ? c.gen_tokens : 0) : 0;
  const int64_t cache_bytes = model.kv_width * layers * c.batch * cached * dtype_bytes;
  return model.estimate_bytes(c.batch, c.seq_len, layers) / 4 * dtype_bytes + cache_bytes;
}

ModelSummary summary(const ModelEntry& model) { return {model.task, model.reference, model.parameters}; }

}  // namespace ngbench::models
