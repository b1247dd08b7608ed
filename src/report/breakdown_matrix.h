#pragma once
// The grid behind every breakdown figure and chart: per device, one series per
// model configuration (model, flow, dtype, sequence length, layers, quant, phase) and one cell per
// batch size seen on that device. A cell whose configuration has no result is
// kMissing and one whose run failed is kFailed: figures show both as such,
// never as a zero bar.
#include <cstdint>
#include <string>
#include <vector>

#include "report/result_set.h"

namespace ngbench::report {

enum class CellState { kOk, kMissing, kFailed };

const char* cell_state_name(CellState s);  // "ok", "missing", "failed"

struct MatrixCell {
  CellState state = CellState::kMissing;
  int64_t batch = 0;
  const LoadedResult* result = nullptr;  // set when ok or failed
  std::vector<double> shares;            // ok: per palette group, fraction of attributed time
  double gemm_share = 0;                 // ok: GEMM side (GEMM, fused attention)
  double non_gemm_share = 0;             // ok: every non-GEMM group
  bool extrapolated = false;             // ok: depth-scaled; shares are estimates
  bool unstable = false;                 // ok: the run's own stability verdict is "unstable"
};

struct MatrixSeries {
  std::string task;  // "" when unknown
  std::string model, flow, dtype;
  int64_t seq_len = 0;
  int64_t layers = 0;  // --layers as run (0: all)
  std::string quant;   // --quant variant (result_set.h quant_variant); "" for none
  std::string phase;   // result_set.h phase_variant: "decode g32", "no cache"; "" for the default prefill
  std::string label;   // the model, plus what tells series of one model apart, plus
                       // "(extrapolated from N of L layers)" for depth-scaled results
  std::vector<MatrixCell> cells;  // one per DeviceMatrix::batches entry
};

struct DeviceMatrix {
  std::string device;
  std::vector<int64_t> batches;      // ascending
  std::vector<MatrixSeries> series;  // by task (IC, OD, IS, NLP, others), then label
};

// One matrix per device (sorted by name). Shares are relative to each run's
// attributed time; palette from group_palette(set.all()).
std::vector<DeviceMatrix> breakdown_matrix(const ResultSet& set, const std::vector<GroupStyle>& palette);

// Cells of a matrix by state.
size_t count_cells(const DeviceMatrix& m, CellState state);

}  // namespace ngbench::report
