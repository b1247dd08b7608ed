#include <fmt/format.h>
#include <fmt/ostream.h>

#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "core/atomic_file.h"
#include "report/console_reporter.h"
#include "report/csv_reporter.h"
#include "report/json_reporter.h"
#include "report/summary_reporter.h"
#include "runner/runner.h"

namespace ngbench::cli {

namespace {

int run(const SweepConfig& sweep, const std::string& command_line) {
  const auto configs = runner::validate_sweep(sweep);  // throws before anything runs
  ensure_writable_dir(sweep.base.out_dir);
  if (const int n = remove_orphaned_temp_files(sweep.base.out_dir)) {
    fmt::print(std::cerr, "ngbench: removed {} temporary file(s) that an interrupted run left in {}\n", n,
               sweep.base.out_dir);
  }
  report::JsonReporter json(sweep.base.out_dir);
  report::CsvReporter csv(sweep.base.out_dir);
  report::ConsoleReporter console(std::cout);
  report::SummaryReporter summary(std::cout);
  ProgressPrinter progress(stderr);
  const auto results = runner::run_configs(configs, {&json, &csv, &console, &summary}, command_line,
                                           sweep.quiet ? nullptr : &progress);
  int failed = 0, unstable = 0;
  for (const auto& r : results) {
    failed += r.status == "ok" ? 0 : 1;
    unstable += r.status == "ok" && r.stability.verdict != "stable" ? 1 : 0;
  }
  fmt::print("\n{} configuration(s) run, {} failed, {} unstable; results in {}\n", results.size(), failed, unstable,
             sweep.base.out_dir);
  for (const auto& r : results) {
    if (r.status != "ok") {
      fmt::print(std::cerr, "ngbench: {} batch {} seq {}: {}\n", r.config.model, r.config.batch, r.config.seq_len,
                 r.error);
    }
  }
  return failed > 0 ? kExitFailed : kExitOk;
}

}  // namespace

Command run_command() {
  return {"run", "profile models: a timed phase, a profiled phase, a breakdown by operator group",
          [](CLI::App& app, const std::string& command_line) -> Action {
            auto sweep = std::make_shared<SweepConfig>();
            add_run_options(app, *sweep);
            return [sweep, command_line] { return run(*sweep, command_line); };
          }};
}

}  // namespace ngbench::cli
