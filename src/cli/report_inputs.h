#pragma once
// What the report-side commands (report, html, figures, compare) share: read
// the result files of one or more paths, say on stderr which files were
// skipped and why (one warning line each), and refuse an output path that
// would replace an input or a result.
#include <string>
#include <vector>

#include "report/result_files.h"

namespace ngbench::cli {

// scan_results(paths), with a warning line on stderr per skipped file. Throws
// ngbench::Error when no result was found.
report::ResultScan read_result_inputs(const std::vector<std::string>& paths);

// kExitFailed when a file that claims to be a result could not be read (the
// report leaves it out), else kExitOk.
int inputs_exit_status(const report::ResultScan& scan);

}  // namespace ngbench::cli
