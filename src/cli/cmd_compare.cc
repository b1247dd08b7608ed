#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/report_inputs.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "report/compare.h"
#include "report/output_guard.h"

namespace ngbench::cli {

namespace {

struct CompareArgs {
  std::string a, b;                          // the positional form: compare A B
  std::vector<std::string> more_a, more_b;   // -A / -B, repeatable
  std::string json_out;
  double alpha = 0.05;
  int top = 15;
};

// The paths of one side: its positional argument, then its -A / -B options.
std::vector<std::string> side_paths(const std::string& positional, const std::vector<std::string>& more) {
  std::vector<std::string> out;
  if (!positional.empty()) out.push_back(positional);
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

int run_compare(const CompareArgs& args) {
  const auto paths_a = side_paths(args.a, args.more_a), paths_b = side_paths(args.b, args.more_b);
  if (paths_a.empty() || paths_b.empty()) {
    throw Error("compare needs a baseline and a candidate: ngbench compare A B, or -A PATH ... -B PATH ...");
  }
  report::ResultScan a = read_result_inputs(paths_a);
  report::ResultScan b = read_result_inputs(paths_b);
  if (!args.json_out.empty()) {
    std::vector<std::string> inputs = a.files;
    inputs.insert(inputs.end(), b.files.begin(), b.files.end());
    report::check_output_path(args.json_out, inputs, "--json");
  }
  report::CompareOptions options;
  options.alpha = args.alpha;
  const auto c = report::compare_results(a.results, b.results, options);
  fmt::print("{}", report::comparison_text(c, args.top));
  if (!args.json_out.empty()) write_file_atomically(args.json_out, report::comparison_json(c).dump(1) + "\n");
  if (c.pairs.empty()) {
    throw Error(fmt::format("no configuration of '{}' matches one of '{}'", fmt::join(paths_a, "', '"),
                            fmt::join(paths_b, "', '")));
  }
  return std::max(inputs_exit_status(a), inputs_exit_status(b));
}

}  // namespace

Command compare_command() {
  return {"compare", "compare two runs (files) or two sets of results (directories), with significance tests",
          [](CLI::App& app, const std::string&) -> Action {
            auto args = std::make_shared<CompareArgs>();
            app.add_option("a", args->a, "baseline: a result file or a results directory (read recursively)");
            app.add_option("b", args->b, "candidate: a result file or a results directory (read recursively)");
            app.add_option("-A,--baseline", args->more_a, "another baseline file or directory (repeatable)");
            app.add_option("-B,--candidate", args->more_b, "another candidate file or directory (repeatable)");
            app.add_option("--json", args->json_out, "also write the comparison as JSON to this file");
            app.add_option("--alpha", args->alpha, "significance level (CIs are at 1 - alpha, Holm-adjusted)")
                ->capture_default_str()
                ->check(CLI::Range(1e-6, 0.5));
            app.add_option("--top", args->top, "operators to show per pair")->capture_default_str();
            return [args] { return run_compare(*args); };
          }};
}

}  // namespace ngbench::cli
