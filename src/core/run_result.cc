#include "core/run_result.h"

namespace ngbench {

namespace {

double rate(int64_t part, int64_t whole) { return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0; }

}  // namespace

double FusionSummary::fusion_rate() const { return rate(fused_with_gemm + fused_non_gemm, original_non_gemm); }
double FusionSummary::fusion_rate_with_gemm() const { return rate(fused_with_gemm, original_non_gemm); }
double FusionSummary::fusion_rate_non_gemm() const { return rate(fused_non_gemm, original_non_gemm); }

}  // namespace ngbench
