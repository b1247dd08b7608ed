#include "core/run_config.h"

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
  std::vector<RunConfig> out;
  for (const auto& model : models) {
    for (int64_t batch : batches) {
      for (int64_t seq_len : seq_lens) {
        RunConfig c = base;
        c.model = model;
        c.batch = batch;
        c.seq_len = seq_len;
        out.push_back(c);
      }
    }
  }
  return out;
}

}  // namespace ngbench
