// `ngbench quant`: the quantization study (the paper's Section IV-C, Fig. 9).
// Every configuration of the sweep runs once per --quant scheme, "none" (the
// baseline) included; each scheme's results go to <out>/<scheme>/ as for
// `ngbench run`. Per model configuration and sequence length the study then
// writes <out>/<stem>.quant.json (every scheme: GEMM and non-GEMM time, share,
// GEMM speedup, non-GEMM slowdown, operators added; "kind": "ngbench-quant",
// so result readers skip it), <out>/<stem>.quant.csv (one row per scheme,
// concatenable) and prints a table (report/quant_study.h).
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "core/atomic_file.h"
#include "core/result_name.h"
#include "report/console_reporter.h"
#include "report/csv_reporter.h"
#include "report/json_reporter.h"
#include "report/quant_study.h"
#include "report/summary_reporter.h"
#include "runner/runner.h"

namespace ngbench::cli {

namespace {

namespace fs = std::filesystem;

int run_quant(SweepConfig sweep, const std::string& command_line) {
  auto& quants = sweep.quants;
  if (std::find(quants.begin(), quants.end(), "none") == quants.end()) {
    quants.insert(quants.begin(), "none");
    fmt::print(std::cerr, "ngbench: the study compares against --quant none: added it to the schemes\n");
  }
  const std::string out = sweep.base.out_dir;
  std::vector<RunConfig> configs;
  for (RunConfig c : sweep.expand()) {
    c.out_dir = (fs::path(out) / c.quant).string();
    configs.push_back(std::move(c));
  }
  configs = runner::validate_configs(configs);  // every scheme of every configuration, before anything runs
  ensure_writable_dir(out);

  report::ConsoleReporter console(std::cout);
  report::SummaryReporter summary(std::cout);
  ProgressPrinter progress(stderr);
  std::vector<RunResult> results;
  results.reserve(configs.size());  // the comparisons point into it
  std::vector<std::string> files;
  for (size_t i = 0; i < configs.size(); ++i) {
    const RunConfig& c = configs[i];
    ensure_writable_dir(c.out_dir);
    remove_orphaned_temp_files(c.out_dir);
    runner::RunListener* listener = sweep.quiet ? nullptr : &progress;
    if (listener) listener->on_start(c, static_cast<int>(i), static_cast<int>(configs.size()));
    results.push_back(runner::run_one(c, command_line, listener));
    if (listener) listener->on_done(results.back());
    report::JsonReporter json(c.out_dir);
    report::CsvReporter csv(c.out_dir);
    for (report::Reporter* rep : std::initializer_list<report::Reporter*>{&json, &csv, &console, &summary}) {
      rep->report(results.back());
    }
    const RunResult& r = results.back();
    files.push_back((fs::path(c.quant) / (result_stem(c) + (r.status == "ok" ? ".json" : ".failed.json"))).string());
  }
  summary.finalize();

  std::vector<const RunResult*> ptrs;
  for (const auto& r : results) ptrs.push_back(&r);
  const auto comparisons = report::quant_comparisons(ptrs, files);
  for (const auto& c : comparisons) {
    const std::string stem = (fs::path(out) / result_stem(c.config)).string();
    write_file_atomically(stem + ".quant.json", report::quant_study_json(c, command_line).dump(1) + "\n");
    write_file_atomically(stem + ".quant.csv", report::quant_study_csv(c));
  }
  report::print_quant_study(std::cout, comparisons);
  int failed = 0;
  for (const auto& r : results) failed += r.status == "ok" ? 0 : 1;
  fmt::print("\n{} run(s) for {} comparison(s), {} failed; results in {}\n", results.size(), comparisons.size(), failed,
             out);
  return failed > 0 ? kExitFailed : kExitOk;
}

}  // namespace

Command quant_command() {
  return {"quant",
          "quantization study: each --quant scheme against none, GEMM vs non-GEMM time and operators added (Fig. 9)",
          [](CLI::App& app, const std::string& command_line) -> Action {
            auto sweep = std::make_shared<SweepConfig>();
            sweep->base.out_dir = "results/quant";
            sweep->quants = {"none", "int8-lt"};
            add_run_options(app, *sweep);
            return [sweep, command_line] { return run_quant(*sweep, command_line); };
          }};
}

}  // namespace ngbench::cli
