#pragma once
// The decode section of a result (RunResult::decode): a decode run's timed
// and profiled passes split by the step they generated, and the early and the
// late half of the generated tokens compared (how a token's cost and its
// non-GEMM share change as the context grows).
#include <vector>

#include "core/run_result.h"

namespace ngbench::runner {

// `timed_ms` / `timed_steps`: every timed pass and its step; `profiled_steps`: the step of each profiled
// iteration of `breakdown` (its groups' iter_ms, in order); `context` tokens prefilled, `gen_tokens` steps
// per sequence, `batch` rows (for tokens/s).
DecodeResult summarize_decode(const std::vector<double>& timed_ms, const std::vector<int>& timed_steps,
                              const std::vector<int>& profiled_steps, const Breakdown& breakdown, int64_t context,
                              int64_t gen_tokens, int64_t batch);

}  // namespace ngbench::runner
