// libFuzzer target: result files (schema 2, and schema 1 migrated), as
// `ngbench report / compare / trace / html` and the runner's check of an
// existing result read them (report::parse_result), then what those commands
// derive from a result once it is read. Seeds: tests/report/fixtures/ (v1/
// included) and tests/cli/golden/.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "core/error.h"
#include "core/result_name.h"
#include "report/compare.h"
#include "report/console_reporter.h"
#include "report/csv_reporter.h"
#include "report/html_report.h"
#include "report/nongemm_report.h"
#include "report/result_files.h"
#include "report/result_json.h"
#include "report/result_set.h"
#include "report/trace_export.h"
#include "report/workload.h"

using namespace ngbench;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const report::LoadedResult loaded{"fuzz.json", report::parse_result(text, "fuzz.json")};
    const RunResult& r = loaded.result;
    report::to_json(r).dump();
    config_identity(r.config);
    result_stem(r.config);
    std::ostringstream out;
    report::ConsoleReporter(out).report(r);
    report::CsvReporter::groups_csv(r);
    report::CsvReporter::ops_csv(r);
    report::chrome_trace(r).dump();
    // Fewer bootstrap resamples than `compare`'s 10,000: the same code paths, not 1-2 s per input under ASan.
    report::CompareOptions compare_options;
    compare_options.replicates = 200;
    const report::Comparison c = report::compare_results({loaded}, {loaded}, compare_options);
    report::comparison_text(c, 10);
    report::comparison_json(c).dump();
    const report::ResultSet set = report::split_by_status({loaded});
    report::nongemm_markdown(report::nongemm_report(set));
    report::workload_markdown(report::workload_report(set));
    report::html_report_data({loaded}, "fuzz").dump();
  } catch (const Error&) {
    // The documented one-line rejection of a malformed result.
  }
  return 0;
}
