#include "report/breakdown_matrix.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "report/result_json.h"

namespace ngbench::report {

namespace {

// model, flow, dtype, seq_len, layers, --quant variant, phase variant (decode, no cache)
using SeriesKey = std::tuple<std::string, std::string, std::string, int64_t, int64_t, std::string, std::string>;

SeriesKey key_of(const RunConfig& c) {
  return {c.model, c.flow, c.dtype, c.seq_len, c.layers, quant_variant(c), phase_variant(c)};
}

MatrixCell ok_cell(const LoadedResult& l, const std::vector<GroupStyle>& palette) {
  MatrixCell cell;
  cell.state = CellState::kOk;
  cell.batch = l.result.config.batch;
  cell.result = &l;
  cell.extrapolated = l.result.extrapolation.applied;
  cell.unstable = l.result.stability.verdict == "unstable";
  const Breakdown& b = l.result.breakdown;
  cell.shares.assign(palette.size(), 0.0);
  double total = 0;
  for (const auto& g : b.groups) total += g.time_ms;
  for (const auto& g : b.groups) {
    const size_t i = palette_index(palette, g.name);
    const double share = total > 0 ? g.time_ms / total : 0.0;
    if (i < palette.size()) cell.shares[i] += share;
    (g.side == Side::kGemm ? cell.gemm_share : cell.non_gemm_share) += share;
  }
  return cell;
}

}  // namespace

const char* cell_state_name(CellState s) {
  switch (s) {
    case CellState::kOk: return "ok";
    case CellState::kMissing: return "missing";
    case CellState::kFailed: return "failed";
  }
  return "missing";
}

std::vector<DeviceMatrix> breakdown_matrix(const ResultSet& set, const std::vector<GroupStyle>& palette) {
  std::map<std::string, std::vector<const LoadedResult*>> by_device;
  for (const auto& l : set.ok) by_device[l.result.config.device].push_back(&l);
  for (const auto& l : set.failed) by_device[l.result.config.device].push_back(&l);

  std::vector<DeviceMatrix> out;
  for (const auto& [device, results] : by_device) {
    DeviceMatrix m;
    m.device = device;
    std::set<int64_t> batches;
    std::map<SeriesKey, std::vector<const LoadedResult*>> by_series;
    std::set<std::string> flows, dtypes;
    std::map<std::string, std::set<int64_t>> seq_lens_of_model;
    for (const LoadedResult* l : results) {
      const RunConfig& c = l->result.config;
      batches.insert(c.batch);
      by_series[key_of(c)].push_back(l);
      flows.insert(c.flow);
      dtypes.insert(c.dtype);
      seq_lens_of_model[c.model].insert(c.seq_len);
    }
    m.batches.assign(batches.begin(), batches.end());
    for (const auto& [key, runs] : by_series) {
      MatrixSeries s;
      std::tie(s.model, s.flow, s.dtype, s.seq_len, s.layers, s.quant, s.phase) = key;
      s.task = task_of(runs.front()->result, set);
      s.label = s.model;
      if (flows.size() > 1) s.label += " " + s.flow;
      if (dtypes.size() > 1) s.label += " " + s.dtype;
      if (seq_lens_of_model[s.model].size() > 1) s.label += fmt::format(" s{}", s.seq_len);
      if (!s.quant.empty()) s.label += " q-" + s.quant;
      if (!s.phase.empty()) s.label += " " + s.phase;  // decode's shares are per generated token
      // A depth-scaled series says so; one of another depth is told apart by it.
      std::string note;
      for (const LoadedResult* l : runs) {
        if (note.empty()) note = extrapolation_note(l->result.extrapolation);
      }
      if (!note.empty()) s.label += " (" + note + ")";
      else if (s.layers > 0) s.label += fmt::format(" l{}", s.layers);
      for (int64_t batch : m.batches) {
        MatrixCell cell;
        cell.batch = batch;
        // An ok result wins over a failed one of the same configuration.
        for (const LoadedResult* l : runs) {
          if (l->result.config.batch != batch) continue;
          if (l->result.status == "ok") {
            cell = ok_cell(*l, palette);
            break;
          }
          if (cell.state == CellState::kMissing) {
            cell.state = CellState::kFailed;
            cell.result = l;
          }
        }
        s.cells.push_back(std::move(cell));
      }
      m.series.push_back(std::move(s));
    }
    std::stable_sort(m.series.begin(), m.series.end(), [](const MatrixSeries& a, const MatrixSeries& b) {
      return std::make_tuple(task_rank(a.task), a.task, a.label) < std::make_tuple(task_rank(b.task), b.task, b.label);
    });
    out.push_back(std::move(m));
  }
  return out;
}

size_t count_cells(const DeviceMatrix& m, CellState state) {
  size_t n = 0;
  for (const auto& s : m.series) {
    for (const auto& c : s.cells) n += c.state == state ? 1 : 0;
  }
  return n;
}

}  // namespace ngbench::report
