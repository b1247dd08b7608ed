#pragma once
// Prefill beside decode (LLM decode, docs/decode.md): for every text decoder
// that has a decode result, one row per configuration and context (seq_len)
// with the prefill's time per forward over the context and the decode's time
// per generated token, each with its non-GEMM share and top non-GEMM group,
// and decode's early and late halves of the generated tokens. `ngbench report
// --kind phase` prints it, `figures` draws it (phase_figure.h), `html` shows
// it when decode results are present. Results are data; these functions only
// pair, derive and format.
//
// Depth-scaled results (--layers): the times are full-depth estimates
// (extrapolation.latency_ms, and a half's median x breakdown.depth_scale) and
// the shares are the depth-scaled breakdown's, the halves' shares too (they
// come from its groups' per-iteration times). Every such number is marked "~"
// and its row labelled "(extrapolated ...)".
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "core/run_result.h"
#include "report/text_table.h"

namespace ngbench::report {

// One side of a row: a prefill or a decode result, or none.
struct PhaseSide {
  const RunResult* result = nullptr;  // null: no result of this phase
  std::string result_file;            // where it was read ("" unknown)
  bool ok() const { return result != nullptr && result->status == "ok"; }
  // Set when ok():
  bool extrapolated = false;  // depth-scaled: ms, tokens_per_s and the shares are estimates
  double ms = 0;              // prefill: median per forward; decode: median per generated token (full depth)
  double non_gemm_share = 0;  // fraction of attributed time
  std::string top_group;      // the largest non-GEMM group ("" when none took time)
  double top_group_share = 0;
  // Decode only (decode.present):
  double tokens_per_s = 0;    // batch x 1000 / ms
  bool halves = false;        // the result carries its early and late halves
  DecodeHalf early, late;     // median_ms scaled to the full depth when extrapolated; shares depth-scaled
};

// One model configuration at one context.
struct PhaseRow {
  RunConfig config;     // the prefill's configuration (phase "prefill"); gen_tokens: the decode's
  std::string label;    // config_label of it, plus " (extrapolated from N of L layers)" when depth-scaled
  std::string variant;  // "" (prefill with the cache, or no cache applies) or "no cache" (--kv-cache off)
  int64_t context = 0;  // tokens: the prefill's sequence, the decode's prompt
  int64_t gen_tokens = 0;  // decode's tokens per sequence; 0 without a decode result
  PhaseSide prefill, decode;
  bool extrapolated() const { return prefill.extrapolated || decode.extrapolated; }
};

// Pairs the prefill and decode results (ok and failed; an ok one wins over a failed one of the same
// configuration) that differ only in phase, kv_cache and gen_tokens: same model, flow, device, dtype, batch,
// layers, attention, quant, threads, context... A decode result pairs with the prefill that used the cache; a
// prefill with --kv-cache off is a row of its own (decode always runs over the cache). Only models with a
// decode result among `results` get rows; a result without its partner gets one with the other side empty.
// Ordered by configuration label, then context, then gen_tokens. `files` (optional, parallel to `results`)
// names where each was read from.
std::vector<PhaseRow> phase_comparisons(const std::vector<const RunResult*>& results,
                                        const std::vector<std::string>& files = {});

// Rows that differ only in context (and gen_tokens), in order: one figure or chart each.
std::vector<std::vector<const PhaseRow*>> phase_series(const std::vector<PhaseRow>& rows);

// The label of a series: the row's label without " s<context>".
std::string phase_series_label(const PhaseRow& row);

// Every column, for CSV: the configuration, the depth (result_set.h depth_columns), each side's status,
// time, shares (percent) and top group, decode's tokens/s and halves; empty cells for a missing side.
TextTable phase_table(const std::vector<PhaseRow>& rows);

// A Markdown document: a short legend and one narrow table ("~" marks estimates, "-" a missing side).
std::string phase_markdown(const std::vector<PhaseRow>& rows);

}  // namespace ngbench::report
