#pragma once
// The table at the end of a sweep (llama-bench style): one line per
// configuration, with its median and interval, non-GEMM share, top non-GEMM
// group and stability verdict; then every unstable result's reasons.
#include <ostream>
#include <vector>

#include "report/reporter.h"

namespace ngbench::report {

class SummaryReporter : public Reporter {
 public:
  explicit SummaryReporter(std::ostream& out) : out_(out) {}
  void report(const RunResult& result) override { results_.push_back(result); }
  void finalize() override;

 private:
  std::ostream& out_;
  std::vector<RunResult> results_;
};

}  // namespace ngbench::report
