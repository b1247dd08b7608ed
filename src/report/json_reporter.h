#pragma once
#include <string>

#include "report/reporter.h"

namespace ngbench::report {

// Writes <dir>/<result_stem>.json per result, atomically (docs/results-schema.md);
// a failed configuration goes to <stem>.failed.json instead.
class JsonReporter : public Reporter {
 public:
  explicit JsonReporter(std::string dir) : dir_(std::move(dir)) {}
  void report(const RunResult& result) override;

 private:
  std::string dir_;
};

}  // namespace ngbench::report
