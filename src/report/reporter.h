#pragma once
// Reporters are sinks: each receives finished results and writes them in one
// format. They never compute anything a result does not already hold.
#include "core/run_result.h"

namespace ngbench::report {

class Reporter {
 public:
  virtual ~Reporter() = default;
  // Called once per configuration, failed ones included (status "failed").
  virtual void report(const RunResult& result) = 0;
  // Called once after the last result (optional).
  virtual void finalize() {}
};

}  // namespace ngbench::report
