#include "report/top_groups.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace ngbench::report {

namespace {

auto row_order(const TopGroupRow& r) {
  return std::make_tuple(task_rank(r.task), r.task, r.model, r.flow, r.device, r.dtype, r.seq_len, r.layers, r.batch);
}

// The configuration of a row without its batch: the rows one average takes.
auto model_config(const TopGroupRow& r) { return std::tie(r.model, r.flow, r.device, r.dtype, r.seq_len, r.layers); }

std::string percent(double fraction) { return fmt::format("{:.2f}", fraction * 100); }

}  // namespace

std::vector<TopGroupRow> top_group_rows(const ResultSet& set) {
  std::vector<TopGroupRow> rows;
  for (const RunResult* r : set.all()) {
    const RunConfig& c = r->config;
    // A decode run (per generated token) or a prefill without the cache is a model of its own here, as --quant
    // is in the summary table, so that the average over batches never mixes it with the prefill.
    const std::string phase = phase_variant(c);
    TopGroupRow row{task_of(*r, set), phase.empty() ? c.model : c.model + " " + phase, c.flow, c.device, c.dtype,
                    c.batch, c.seq_len, r->status, c.layers, r->extrapolation};
    if (r->status == "ok") {
      double total = 0, non_gemm = 0;
      for (const auto& g : r->breakdown.groups) {
        total += g.time_ms;
        non_gemm += g.side == Side::kNonGemm ? g.time_ms : 0;
      }
      for (const auto& g : r->breakdown.groups) {
        if (g.side == Side::kNonGemm) row.non_gemm_groups.emplace_back(g.name, total > 0 ? g.time_ms / total : 0);
      }
      if (const GroupTime* top = top_non_gemm_group(r->breakdown)) {
        row.group = top->name;
        row.share = total > 0 ? top->time_ms / total : 0;
      }
      row.non_gemm_share = total > 0 ? non_gemm / total : 0;
    } else {
      row.error = r->error;
    }
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return row_order(a) < row_order(b); });
  return rows;
}

std::vector<TopGroupAverage> top_group_averages(const std::vector<TopGroupRow>& rows) {
  std::vector<TopGroupAverage> out;
  // Rows are sorted by configuration with the batch last: consecutive rows of
  // one model configuration form a run of the table.
  std::vector<std::pair<std::string, double>> sums;  // group, summed share, in first-seen order
  for (size_t i = 0; i < rows.size();) {
    const TopGroupRow& first = rows[i];
    TopGroupAverage avg{first.task, first.model, first.flow, first.device, first.dtype, first.seq_len, first.layers};
    sums.clear();
    size_t j = i;
    for (; j < rows.size() && model_config(rows[j]) == model_config(first); ++j) {
      const TopGroupRow& r = rows[j];
      if (r.status != "ok") continue;
      if (avg.batches.empty()) avg.extrapolation = r.extrapolation;
      avg.batches.push_back(r.batch);
      avg.non_gemm_share += r.non_gemm_share;
      for (const auto& group : r.non_gemm_groups) {
        const auto& [name, share] = group;
        auto it = std::find_if(sums.begin(), sums.end(), [&](const auto& s) { return s.first == group.first; });
        if (it == sums.end()) sums.emplace_back(name, share);
        else it->second += share;
      }
    }
    i = j;
    if (avg.batches.empty()) continue;
    const double n = static_cast<double>(avg.batches.size());
    avg.non_gemm_share /= n;
    for (const auto& [name, sum] : sums) {
      if (sum > 0 && sum / n > avg.share) {
        avg.group = name;
        avg.share = sum / n;
      }
    }
    out.push_back(std::move(avg));
  }
  return out;
}

TextTable top_groups_table(const std::vector<TopGroupRow>& rows) {
  TextTable t;
  t.header = {"task", "model", "flow", "device", "dtype", "batch", "seq_len", "layers", "measured_layers",
              "extrapolated", "status", "top_non_gemm_group", "share_percent", "non_gemm_percent"};
  t.numeric = {false, false, false, false, false, true, true, true, true, false, false, false, true, true};
  for (const auto& r : rows) {
    const bool ok = r.status == "ok";
    const auto depth = depth_columns(r.layers, r.extrapolation);
    t.add({r.task, r.model, r.flow, r.device, r.dtype, std::to_string(r.batch), std::to_string(r.seq_len), depth[0],
           depth[1], depth[2], r.status, ok ? (r.group.empty() ? "none" : r.group) : "n/a",
           ok ? percent(r.share) : "n/a", ok ? percent(r.non_gemm_share) : "n/a"});
  }
  return t;
}

TextTable top_group_averages_table(const std::vector<TopGroupAverage>& rows) {
  TextTable t;
  t.header = {"task", "model", "flow", "device", "dtype", "seq_len", "layers", "measured_layers", "extrapolated",
              "batches", "top_non_gemm_group", "share_percent", "non_gemm_percent"};
  t.numeric = {false, false, false, false, false, true, true, true, false, false, false, true, true};
  for (const auto& r : rows) {
    const auto depth = depth_columns(r.layers, r.extrapolation);
    t.add({r.task, r.model, r.flow, r.device, r.dtype, std::to_string(r.seq_len), depth[0], depth[1], depth[2],
           fmt::format("{}", fmt::join(r.batches, " ")), r.group.empty() ? "none" : r.group, percent(r.share),
           percent(r.non_gemm_share)});
  }
  return t;
}

std::string top_groups_markdown(const std::vector<TopGroupRow>& rows) {
  std::string md =
      "# Most time-consuming non-GEMM group per model (Table IV)\n\n"
      "Share: the group's fraction of the attributed operator time, in percent. Rows with `extrapolated` true are\n"
      "depth-scaled runs (--layers): `measured_layers` of the model's `layers` were profiled and the layers' operator\n"
      "times scaled to the full depth, so their shares are estimates.\n\n"
      "## Averaged over batch sizes\n\n";
  md += top_group_averages_table(top_group_averages(rows)).markdown();
  md += "\n## Per configuration\n\n" + top_groups_table(rows).markdown();
  std::string failed;
  for (const auto& r : rows) {
    if (r.status != "ok") failed += fmt::format("- {} {} {} {} b{} s{}: {}\n", r.model, r.flow, r.device, r.dtype,
                                                r.batch, r.seq_len, r.error.empty() ? "failed" : r.error);
  }
  if (!failed.empty()) md += "\n## Failed runs\n\n" + failed;
  return md;
}

}  // namespace ngbench::report
