#pragma once
// Outputs never replace what they were made from: a report, trace or
// comparison written over one of its inputs, or over any result file, would
// lose that result. The report-side commands check every path they are about
// to write before they write anything.
#include <string>
#include <vector>

namespace ngbench::report {

// Throws ngbench::Error (one line naming `out`) when `out` is the same file as
// one of `inputs` (links and relative paths resolved), or an existing file
// that is a result or claims to be one (read_result_file). `what` names the
// option for the message, e.g. "--out".
void check_output_path(const std::string& out, const std::vector<std::string>& inputs, const std::string& what);

}  // namespace ngbench::report
