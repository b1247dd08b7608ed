#include "core/run_config.h"

namespace ngbench {

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
