#pragma once
// Synthetic decode results (--phase decode) for report tests and fixtures: a
// synthetic forward (synthetic_results.h) stands for one generated token.
#include <cstdint>

#include "core/run_result.h"
#include "synthetic_results.h"

namespace ngbench::report::testing {

// `model`'s decode of `gen_tokens` tokens after a `context`-token prompt: a step costs a tenth of a forward,
// the Memory group 3 times as much as in a forward (the cache's gathers); the early half is 10% faster than
// the median, the late one 10% slower, with non-GEMM shares 30% and 40%. With options.layers: depth-scaled.
RunResult synth_decode(const SynthModel& model, SynthOptions options, int64_t context, int64_t gen_tokens = 32);

// `model`'s prefill of `context` tokens with the KV cache "on" or "off".
RunResult synth_prefill(const SynthModel& model, const SynthOptions& options, int64_t context,
                        const char* kv_cache = "on");

}  // namespace ngbench::report::testing
