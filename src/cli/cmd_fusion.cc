// `ngbench fusion`: the fusion study (the paper's Table V) of a flow whose
// registry entry has a fusion switch (BackendEntry::unfused). Each
// configuration runs twice, with the flow's graph fusion off ("unfused": the
// entry's unfused options) and as configured ("fused"); each variant's results
// go to <out>/<variant>/ as for `ngbench run`. The fused run's fusion summary
// and both variants' non-GEMM latency and share go to <out>/<stem>.fusion.json
// (everything), <out>/<stem>.fusion.csv (one row, concatenable) and a console
// table (report/fusion_study.h).
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "backends/backend.h"
#include "cli/command.h"
#include "cli/options.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "report/console_reporter.h"
#include "report/csv_reporter.h"
#include "report/fusion_study.h"
#include "report/json_reporter.h"
#include "report/result_files.h"
#include "runner/runner.h"

namespace ngbench::cli {

namespace {

namespace fs = std::filesystem;

// The flows whose registry entries have a fusion switch, each once.
std::vector<std::string> fusing_flows() {
  std::vector<std::string> out;
  for (const auto& e : backends::backend_registry()) {
    if (!e.unfused.empty() && std::find(out.begin(), out.end(), e.flow) == out.end()) out.push_back(e.flow);
  }
  return out;
}

// The one run of a variant, its results under <out>/<variant>/.
report::FusionVariant run_variant(const std::string& name, const RunConfig& config, const std::string& command_line) {
  ensure_writable_dir(config.out_dir);
  remove_orphaned_temp_files(config.out_dir);
  report::JsonReporter json(config.out_dir);
  report::CsvReporter csv(config.out_dir);
  report::ConsoleReporter console(std::cout);
  const auto results = runner::run_configs({config}, {&json, &csv, &console}, command_line);
  return {name, results.front(), (fs::path(name) / (report::result_stem(config) + ".json")).string()};
}

int run_fusion(SweepConfig sweep, const std::string& command_line) {
  const auto flows = fusing_flows();
  if (flows.empty()) throw Error("no flow of this build has a graph-fusion switch (ngbench list flows)");
  if (sweep.base.flow.empty()) sweep.base.flow = flows.front();
  const auto& entry = backends::find_backend(sweep.base.flow, sweep.base.device);
  if (entry.unfused.empty()) {
    throw Error(fmt::format("flow '{}' has no graph-fusion switch to study; valid: {}", sweep.base.flow,
                            fmt::join(flows, ", ")));
  }
  const std::string out = sweep.base.out_dir;
  ensure_writable_dir(out);
  // Validate every configuration in both variants before anything runs.
  std::vector<RunConfig> unfused, fused;
  for (const auto& c : sweep.expand()) {
    RunConfig off = c, on = c;
    for (const auto& [name, values] : entry.unfused) off.backend_options[name] = values;
    off.out_dir = (fs::path(out) / "unfused").string();
    on.out_dir = (fs::path(out) / "fused").string();
    unfused.push_back(off);
    fused.push_back(on);
  }
  unfused = runner::validate_configs(unfused);
  fused = runner::validate_configs(fused);
  std::vector<report::FusionStudyRow> rows;
  int failed = 0;
  for (size_t i = 0; i < fused.size(); ++i) {
    const RunConfig& off = unfused[i];
    const RunConfig& on = fused[i];
    report::FusionStudyRow row{run_variant("unfused", off, command_line), run_variant("fused", on, command_line)};
    if (row.unfused.result.status != "ok" || row.fused.result.status != "ok") {
      ++failed;
      fmt::print(std::cerr, "ngbench: fusion study of {} skipped: a run failed\n", on.model);
      continue;
    }
    const std::string stem = (fs::path(out) / report::result_stem(on)).string();
    write_file_atomically(stem + ".fusion.json", report::fusion_study_json(row, command_line).dump(1) + "\n");
    write_file_atomically(stem + ".fusion.csv", report::fusion_study_csv(row));
    rows.push_back(std::move(row));
  }
  report::print_fusion_study(std::cout, rows);
  fmt::print("\n{} model configuration(s) studied, {} failed; results in {}\n", rows.size(), failed, out);
  return failed > 0 ? kExitFailed : kExitOk;
}

}  // namespace

Command fusion_command() {
  return {"fusion",
          "fusion study: a flow's graph fusion off vs on, non-GEMM latency and fusion rate (Table V); flow ort",
          [](CLI::App& app, const std::string& command_line) -> Action {
            auto sweep = std::make_shared<SweepConfig>();
            const auto flows = fusing_flows();
            sweep->base.flow = flows.empty() ? "" : flows.front();
            sweep->base.out_dir = "results/fusion";
            add_run_options(app, *sweep);
            return [sweep, command_line] { return run_fusion(*sweep, command_line); };
          }};
}

}  // namespace ngbench::cli
