#include "core/result_name.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/file_hash.h"

namespace ngbench {

namespace {

// A value as a file-name part: letters, digits, '.', '-' and '+' kept, everything else '-'.
std::string name_part(const std::string& s) {
  std::string out;
  for (char ch : s) {
    const bool keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                      ch == '.' || ch == '-' || ch == '+';
    out += keep ? ch : '-';
  }
  return out.size() > 40 ? out.substr(0, 40) : out;
}

}  // namespace

std::string config_identity(const RunConfig& c) {
  const nlohmann::json id = {{"model", c.model},
                             {"model_file", c.model_file},
                             {"flow", c.flow},
                             {"device", c.device},
                             {"dtype", c.dtype},
                             {"batch", c.batch},
                             {"seq_len", c.seq_len},
                             {"layers", c.layers},
                             {"attention", c.attention},
                             {"quant", c.quant},
                             {"int8_outliers", c.int8_outliers},
                             {"phase", c.phase},
                             {"kv_cache", c.kv_cache},
                             {"gen_tokens", c.gen_tokens},
                             {"threads", c.threads},
                             {"allocator", c.allocator},
                             {"record_shapes", c.record_shapes},
                             {"seed", c.seed},
                             {"taxonomy_file", c.taxonomy_file},
                             {"images", c.images},
                             {"text_file", c.text_file},
                             {"score_threshold", c.score_threshold},
                             {"backend_options", c.backend_options}};
  return id.dump();
}

std::string result_stem(const RunConfig& c) {
  std::string stem = fmt::format("{}__{}__{}__{}__b{}__s{}", c.model, c.flow, c.device, c.dtype, c.batch, c.seq_len);
  if (c.layers > 0) stem += fmt::format("__l{}", c.layers);
  // Every model's default attention is sdpa; the explicit alternative gets its own file.
  if (c.attention == "eager") stem += "__attn-eager";
  if (c.quant != RunConfig().quant) stem += "__q-" + name_part(c.quant);
  if (c.int8_outliers != RunConfig().int8_outliers) {
    stem += c.int8_outliers == kInt8OutliersDetected ? std::string("__outliers-detected")
                                                      : fmt::format("__outliers{}", c.int8_outliers);
  }
  // Decode's context is the sequence length; the prefill default (with the cache) keeps the plain name.
  if (c.phase != RunConfig().phase) stem += fmt::format("__{}-g{}", name_part(c.phase), c.gen_tokens);
  if (c.kv_cache == "off") stem += "__nocache";
  if (c.threads > 0) stem += fmt::format("__t{}", c.threads);
  if (c.seed != 0) stem += fmt::format("__seed{}", c.seed);
  if (c.allocator != RunConfig().allocator) stem += "__alloc-" + name_part(c.allocator);
  if (!c.record_shapes) stem += "__noshapes";
  for (const auto& [name, values] : c.backend_options) {
    std::string joined;
    for (const auto& v : values) joined += (joined.empty() ? "" : "+") + v;
    stem += "__" + name_part(name) + (joined == "true" ? "" : "-" + name_part(joined));
  }
  const bool spelled = c.model_file.empty() && c.taxonomy_file.empty() && c.images.empty() && c.text_file.empty() &&
                       c.score_threshold < 0;
  if (!spelled) {
    const nlohmann::json rest = {c.model_file, c.taxonomy_file, c.images, c.text_file, c.score_threshold};
    stem += "__h" + sha256_hex(rest.dump()).substr(0, 8);
  }
  return stem;
}

}  // namespace ngbench
