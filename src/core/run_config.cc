#include "core/run_config.h"

#include <algorithm>

namespace ngbench {

std::string backend_option(const BackendOptions& options, const std::string& name, const std::string& fallback) {
  const auto it = options.find(name);
  return it == options.end() || it->second.empty() ? fallback : it->second.back();
}

std::vector<std::string> backend_option_list(const BackendOptions& options, const std::string& name) {
  const auto it = options.find(name);
  return it == options.end() ? std::vector<std::string>{} : it->second;
}

bool backend_flag(const BackendOptions& options, const std::string& name) {
  return backend_option(options, name) == "true";
}

std::vector<RunConfig> SweepConfig::expand() const {
  // --int8-outliers belongs to int8-lt: a sweep that has int8-lt gives the other schemes the default, so that
  // their results keep their names; without int8-lt it stays and validation says where it applies.
  const bool has_lt = std::find(quants.begin(), quants.end(), "int8-lt") != quants.end();
  const bool has_decode = std::find(phases.begin(), phases.end(), "decode") != phases.end();
  const bool has_prefill = std::any_of(phases.begin(), phases.end(), [](const auto& p) { return p != "decode"; });
  std::vector<RunConfig> out;
  for (const auto& model : models) {
    for (int64_t batch : batches) {
      for (int64_t seq_len : seq_lens) {
        for (const auto& quant : quants) {
          for (const auto& phase : phases) {
            RunConfig c = base;
            c.model = model;
            c.batch = batch;
            c.seq_len = seq_len;
            c.quant = quant;
            c.phase = phase;
            if (has_lt && quant != "int8-lt") c.int8_outliers = RunConfig().int8_outliers;
            // --gen-tokens belongs to decode and --kv-cache to prefill (decode always runs over the cache): a
            // sweep of both phases gives each phase the other's default, so its results keep their names.
            if (has_decode && has_prefill && phase != "decode") c.gen_tokens = RunConfig().gen_tokens;
            if (has_decode && has_prefill && phase == "decode") c.kv_cache = RunConfig().kv_cache;
            out.push_back(c);
          }
        }
      }
    }
  }
  return out;
}

}  // namespace ngbench
