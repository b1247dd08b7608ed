#pragma once
#include <ostream>

#include "report/reporter.h"

namespace ngbench::report {

// Human-readable tables: latency, overhead and coverage, the groups sorted by
// share with the non-GEMM total, the top operators, and every unclassified op.
class ConsoleReporter : public Reporter {
 public:
  explicit ConsoleReporter(std::ostream& out, int top_ops = 10) : out_(out), top_ops_(top_ops) {}
  void report(const RunResult& result) override;

 private:
  std::ostream& out_;
  int top_ops_;
};

}  // namespace ngbench::report
