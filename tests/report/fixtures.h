#pragma once
// A small but complete RunResult for report tests.
#include "core/run_result.h"

namespace ngbench::report::testing {

RunResult sample_result();

// sample_result() with every field of a RunResult set to a value other than
// its default (device basis, energy, extrapolation, fusion, backend options,
// inputs, warm-up...): a round trip of it covers every field.
RunResult complete_result();

}  // namespace ngbench::report::testing
