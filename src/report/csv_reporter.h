#pragma once
#include <string>

#include "report/reporter.h"

namespace ngbench::report {

// Writes two CSV files per successful result for pandas, atomically:
// <stem>.groups.csv (one row per group) and <stem>.ops.csv (one row per
// operator and input signature). Each row repeats the configuration columns
// and the depth columns (layers, measured_layers, extrapolated: a depth-scaled
// run's times are estimates), so files from many runs concatenate into one table.
class CsvReporter : public Reporter {
 public:
  explicit CsvReporter(std::string dir) : dir_(std::move(dir)) {}
  void report(const RunResult& result) override;

  static std::string groups_csv(const RunResult& result);
  static std::string ops_csv(const RunResult& result);

 private:
  std::string dir_;
};

}  // namespace ngbench::report
