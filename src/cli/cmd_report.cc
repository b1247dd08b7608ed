#include <fmt/format.h>
#include <fmt/ostream.h>

#include <iostream>
#include <memory>
#include <sstream>

#include "cli/command.h"
#include "core/atomic_file.h"
#include "report/console_reporter.h"
#include "report/csv_reporter.h"
#include "cli/report_inputs.h"
#include "report/nongemm_report.h"
#include "report/output_guard.h"
#include "report/phase_figure.h"
#include "report/result_set.h"
#include "report/workload.h"

namespace ngbench::cli {

namespace {

struct ReportArgs {
  std::vector<std::string> paths;
  int top = 10;
  std::string kind = "breakdown";
  std::string format;  // "" = from --out's extension, else md
  std::string out;
};

// Every run's group rows in one CSV (the header once).
std::string breakdown_csv(const std::vector<report::LoadedResult>& loaded) {
  std::string out;
  for (const auto& l : loaded) {
    if (l.result.status != "ok") continue;
    const std::string csv = report::CsvReporter::groups_csv(l.result);
    out += out.empty() ? csv : csv.substr(csv.find('\n') + 1);
  }
  return out;
}

std::string render(const ReportArgs& a, std::vector<report::LoadedResult> loaded) {
  const bool csv = a.format == "csv" ||
                   (a.format.empty() && a.out.size() > 4 && a.out.compare(a.out.size() - 4, 4, ".csv") == 0);
  if (a.kind == "breakdown") {
    if (csv) return breakdown_csv(loaded);
    std::ostringstream text;
    report::ConsoleReporter console(text, a.top);
    for (const auto& l : loaded) console.report(l.result);
    return text.str();
  }
  const report::ResultSet set = report::split_by_status(std::move(loaded));
  if (a.kind == "nongemm") {
    const auto r = report::nongemm_report(set);
    return csv ? report::nongemm_table(r).csv() : report::nongemm_markdown(r);
  }
  if (a.kind == "phase") {
    const auto rows = report::phase_rows(set);
    return csv ? report::phase_table(rows).csv() : report::phase_markdown(rows);
  }
  const auto w = report::workload_report(set);
  if (a.kind == "nongemm-trace") {
    const auto t = report::nongemm_trace_table(w);
    return csv ? t.csv() : t.markdown();
  }
  return csv ? report::workload_table(w).csv() : report::workload_markdown(w);
}

}  // namespace

Command report_command() {
  return {"report", "print reports of finished runs: breakdown (default), workload, nongemm, nongemm-trace, phase",
          [](CLI::App& app, const std::string&) -> Action {
            auto a = std::make_shared<ReportArgs>();
            app.add_option("paths", a->paths, "result files or results directories (read recursively)")->required();
            app.add_option("--top", a->top, "operators to show per run (breakdown)")->capture_default_str();
            app.add_option("--kind", a->kind,
                           "breakdown: groups and top operators per run; workload: operator types, input shapes and "
                           "dtypes with their time, and non-GEMM traces; nongemm: operator variants per non-GEMM "
                           "group; nongemm-trace: the non-GEMM traces alone; phase: prefill (per forward) beside "
                           "decode (per generated token) per model and context, with non-GEMM shares and top groups")
                ->capture_default_str()
                ->check(CLI::IsMember({"breakdown", "workload", "nongemm", "nongemm-trace", "phase"}));
            app.add_option("--format", a->format, "md (Markdown; text for breakdown) or csv; default: from --out, else md")
                ->check(CLI::IsMember({"md", "csv"}));
            app.add_option("-o,--out", a->out, "write to this file instead of stdout");
            return [a] {
              report::ResultScan inputs = read_result_inputs(a->paths);
              if (!a->out.empty()) report::check_output_path(a->out, inputs.files, "--out");
              const int status = inputs_exit_status(inputs);
              const std::string text = render(*a, std::move(inputs.results));
              if (a->out.empty()) {
                fmt::print("{}", text);
              } else {
                write_file_atomically(a->out, text);
                fmt::print(std::cerr, "wrote {}\n", a->out);
              }
              return status;
            };
          }};
}

}  // namespace ngbench::cli
