#include "cli/report_inputs.h"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <iostream>

#include "cli/command.h"
#include "core/error.h"

namespace ngbench::cli {

report::ResultScan read_result_inputs(const std::vector<std::string>& paths) {
  report::ResultScan scan = report::scan_results(paths);
  for (const auto& s : scan.skipped) {
    fmt::print(std::cerr, "ngbench: warning: skipped {}: {}\n", s.path, s.reason);
  }
  if (scan.results.empty()) {
    throw Error(fmt::format("no result files in '{}'{}", fmt::join(paths, "', '"),
                            scan.skipped.empty() ? "" : fmt::format(" ({} file(s) skipped)", scan.skipped.size())));
  }
  return scan;
}

int inputs_exit_status(const report::ResultScan& scan) { return scan.has_broken_results() ? kExitFailed : kExitOk; }

}  // namespace ngbench::cli
