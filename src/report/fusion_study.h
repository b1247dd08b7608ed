#pragma once
// The fusion study (the paper's Table V): one model configuration run with a
// flow's graph fusion off and on; the non-GEMM latency and share of both next
// to the fusion rate of the fused run (RunResult::fusion). Results are data;
// these functions only format them.
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "core/run_result.h"

namespace ngbench::report {

struct FusionVariant {
  std::string name;         // "unfused" or "fused"
  RunResult result;
  std::string result_file;  // where the variant's result was written, relative to the study's directory
};

struct FusionStudyRow {
  FusionVariant unfused, fused;
};

// Time of the groups named "Fused ..." (GEMM side, reported apart), per iteration.
double fused_group_ms(const Breakdown& b);

// <stem>.fusion.json: the configuration, both variants and the fused run's fusion summary.
nlohmann::json fusion_study_json(const FusionStudyRow& row, const std::string& command_line);

// <stem>.fusion.csv: a header and one row (concatenable across models).
std::string fusion_study_csv(const FusionStudyRow& row);

// The console table of every row.
void print_fusion_study(std::ostream& out, const std::vector<FusionStudyRow>& rows);

}  // namespace ngbench::report
