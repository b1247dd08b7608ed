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

// The study across flows (`ngbench fusion --flows eager,inductor,ort`; the paper's
// Fig. 8 and Table V): one model configuration run on an unfused baseline flow
// (one that runs the model as written: no fusion analysis) and on each fusing
// flow's variants (ORT's optimizations off and on, Inductor's freezing off and on).
struct StudyRun {
  std::string flow;
  std::string variant;      // the flow's study variant ("" when it has one)
  RunResult result;
  std::string result_file;  // relative to the study's directory
  std::string label() const;  // "eager", "inductor freezing-on"
};

struct ModelStudy {
  std::vector<StudyRun> runs;  // in the order of --flows; the baseline is the first ok run without fusion analysis
};

// The baseline run (nullptr when none ran): the first successful run whose flow runs the model as written.
const StudyRun* study_baseline(const ModelStudy& study);

// <stem>.study.json: the configuration, every run (latency, GEMM / non-GEMM ms and share, groups, fusion summary,
// non-GEMM speedup versus the baseline).
nlohmann::json model_study_json(const ModelStudy& study, const std::string& command_line);

// <stem>.study.csv: a header and one row per run (concatenable across models).
std::string model_study_csv(const ModelStudy& study);

// The console table of one model configuration.
void print_model_study(std::ostream& out, const ModelStudy& study);

}  // namespace ngbench::report
