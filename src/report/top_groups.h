#pragma once
// The paper's Table IV: the most time-consuming non-GEMM group of each model,
// per configuration and averaged over batch sizes.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "report/result_set.h"
#include "report/text_table.h"

namespace ngbench::report {

struct TopGroupRow {
  std::string task, model, flow, device, dtype;  // model: plus " decode g32" or " no cache" (phase_variant)
  int64_t batch = 0, seq_len = 0;
  std::string status;     // "ok" or "failed"
  int64_t layers = 0;     // --layers as run (0: all)
  Extrapolation extrapolation;  // applied: shares are depth-scaled estimates
  std::string group;      // "" when failed or no non-GEMM time
  double share = 0;       // the group's fraction of attributed time
  double non_gemm_share = 0;
  std::string error;      // failed runs
  std::vector<std::pair<std::string, double>> non_gemm_groups;  // ok: every non-GEMM group's share
};

// One row per configuration, failed ones included; by task, model, flow,
// device, dtype, seq_len, batch.
std::vector<TopGroupRow> top_group_rows(const ResultSet& set);

// Averaged over the ok batch sizes of one model configuration (the paper's
// table): the group with the largest mean share, and that mean.
struct TopGroupAverage {
  std::string task, model, flow, device, dtype;
  int64_t seq_len = 0;
  int64_t layers = 0;
  Extrapolation extrapolation;  // of its first ok row
  std::vector<int64_t> batches;
  std::string group;
  double share = 0;
  double non_gemm_share = 0;  // mean over the batches
};
std::vector<TopGroupAverage> top_group_averages(const std::vector<TopGroupRow>& rows);

// Columns: task, model, flow, device, dtype, batch, seq_len, layers,
// measured_layers, extrapolated (result_set.h depth_columns), status,
// top_non_gemm_group, share_percent, non_gemm_percent (shares in percent, two
// decimals; "n/a" when failed). The averages: the same without batch and
// status, with the batches.
TextTable top_groups_table(const std::vector<TopGroupRow>& rows);
TextTable top_group_averages_table(const std::vector<TopGroupAverage>& rows);

// Both tables as one Markdown document.
std::string top_groups_markdown(const std::vector<TopGroupRow>& rows);

}  // namespace ngbench::report
