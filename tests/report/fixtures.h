#pragma once
// A small but complete RunResult for report tests.
#include "core/run_result.h"

namespace ngbench::report::testing {

RunResult sample_result();

}  // namespace ngbench::report::testing
