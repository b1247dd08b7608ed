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
  std::vector<RunConfig> out;
  for (const auto& model : models) {
    for (int64_t batch : batches) {
      for (int64_t seq_len : seq_lens) {
        for (const auto& quant : quants) {
          RunConfig c = base;
          c.model = model;
          c.batch = batch;
          c.seq_len = seq_len;
          c.quant = quant;
          if (has_lt && quant != "int8-lt") c.int8_outliers = RunConfig().int8_outliers;
          out.push_back(c);
        }
      }
    }
  }
  return out;
}

}  // namespace ngbench
