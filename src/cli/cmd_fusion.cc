// `ngbench fusion`: the fusion study (the paper's Table V) of a flow whose
// registry entry has a fusion switch (BackendEntry::unfused). Each
// configuration runs twice, with the flow's graph fusion off ("unfused": the
// entry's unfused options) and as configured ("fused"); each variant's results
// go to <out>/<variant>/ as for `ngbench run`. The fused run's fusion summary
// and both variants' non-GEMM latency and share go to <out>/<stem>.fusion.json
// (everything), <out>/<stem>.fusion.csv (one row, concatenable) and a console
// table (report/fusion_study.h).
//
// With --flows A,B,...: the study across flows (the paper's Fig. 8 and Table
// V). Every model configuration runs on each flow in the order given, a flow
// with study variants (BackendEntry::study_variants, or its unfused switch)
// once per variant; a flow that runs the model as written (eager) is the
// unfused baseline. Every result goes to <out>/ as for `ngbench run` (result
// names keep the flows and variants apart; `ngbench figures <out>` draws Fig. 8),
// the study to <out>/study/<model stem>.study.json and .study.csv, and a table
// per model configuration to the console.
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
#include "models/registry.h"
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

// One variant of a flow in the study across flows.
struct FlowVariant {
  std::string flow, name;
  BackendOptions options;  // set on top of what the run gives
};

std::vector<FlowVariant> flow_variants(const std::vector<std::string>& flows, const std::string& device) {
  std::vector<FlowVariant> out;
  for (const auto& flow : flows) {
    const auto& e = backends::find_backend(flow, device);
    if (!e.study_variants.empty()) {
      for (const auto& v : e.study_variants) out.push_back({flow, v.name, v.options});
    } else if (!e.unfused.empty()) {
      out.push_back({flow, "unfused", e.unfused});
      out.push_back({flow, "fused", {}});
    } else {
      out.push_back({flow, "", {}});
    }
  }
  return out;
}

// The study's file stem of a model configuration (no flow in it).
std::string study_stem(const RunConfig& c) {
  return fmt::format("{}__{}__{}__b{}__s{}", c.model, c.device, c.dtype, c.batch, c.seq_len);
}

int run_flow_study(SweepConfig sweep, const std::vector<std::string>& flows, const std::string& command_line) {
  if (flows.empty()) throw Error("--flows needs at least one flow; valid: " + fmt::format("{}", fmt::join(backends::flows(), ", ")));
  if (!sweep.base.model_file.empty()) {
    throw Error("--flows studies built-in models (--model), which every flow can run; a model file runs on one flow");
  }
  const auto variants = flow_variants(flows, sweep.base.device);
  // A flow's own options apply to that flow's runs only; each must belong to one of the flows.
  for (const auto& option : sweep.base.backend_options) {
    const std::string& name = option.first;  // a local, not a structured binding: lambdas capture it (C++17)
    const bool known = std::any_of(flows.begin(), flows.end(), [&](const std::string& f) {
      const auto& opts = backends::find_backend(f, sweep.base.device).options;
      return std::any_of(opts.begin(), opts.end(), [&](const backends::BackendOption& o) { return o.name == name; });
    });
    if (!known) throw Error(fmt::format("--{} is an option of none of the flows {}", name, fmt::join(flows, ", ")));
  }
  const std::string out = sweep.base.out_dir;
  ensure_writable_dir(out);
  std::vector<RunConfig> configs;
  const auto bases = sweep.expand();
  for (const auto& base : bases) {
    for (const auto& v : variants) {
      RunConfig c = base;
      c.flow = v.flow;
      c.backend_options.clear();
      const auto& opts = backends::find_backend(v.flow, c.device).options;
      for (const auto& [key, values] : base.backend_options) {
        const std::string& name = key;  // a local, not a structured binding: lambdas capture it (C++17)
        if (std::any_of(opts.begin(), opts.end(), [&](const backends::BackendOption& o) { return o.name == name; })) {
          c.backend_options[name] = values;
        }
      }
      for (const auto& [name, values] : v.options) c.backend_options[name] = values;
      // The exported and compiled flows run the forward without a KV cache (use_cache=False): the flows that
      // build the models run it so too unless --kv-cache says otherwise, so that every flow runs the same graph.
      const bool generates = backends::find_backend(v.flow, c.device).generates;
      if (!generates) {
        c.kv_cache.clear();
      } else if (c.kv_cache.empty() && c.model_file.empty() && models::find_model(c.model).kv_width > 0) {
        c.kv_cache = "off";
      }
      configs.push_back(std::move(c));
    }
  }
  configs = runner::validate_configs(configs);  // every configuration, before anything runs
  remove_orphaned_temp_files(out);
  report::JsonReporter json(out);
  report::CsvReporter csv(out);
  report::ConsoleReporter console(std::cout);
  const fs::path study_dir = fs::path(out) / "study";
  std::vector<report::ModelStudy> studies;
  int failed = 0;
  for (size_t b = 0; b < bases.size(); ++b) {
    report::ModelStudy study;
    for (size_t k = 0; k < variants.size(); ++k) {
      const RunConfig& c = configs[b * variants.size() + k];
      const auto results = runner::run_configs({c}, {&json, &csv, &console}, command_line);
      if (results.front().status != "ok") ++failed;
      study.runs.push_back({variants[k].flow, variants[k].name, results.front(), report::result_stem(c) + ".json"});
    }
    fs::create_directories(study_dir);
    const std::string stem = (study_dir / study_stem(study.runs.front().result.config)).string();
    write_file_atomically(stem + ".study.json", report::model_study_json(study, command_line).dump(1) + "\n");
    write_file_atomically(stem + ".study.csv", report::model_study_csv(study));
    studies.push_back(std::move(study));
  }
  for (const auto& s : studies) report::print_model_study(std::cout, s);
  fmt::print("\n{} model configuration(s) on {} run(s), {} failed; results in {} (ngbench figures {} draws Fig. 8 "
             "and Table V), studies in {}\n",
             studies.size(), configs.size(), failed, out, out, study_dir.string());
  return failed > 0 ? kExitFailed : kExitOk;
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
          "fusion study: a flow's graph fusion off vs on, or --flows eager,inductor,ort across flows: non-GEMM "
          "latency and fusion rate (Fig. 8, Table V)",
          [](CLI::App& app, const std::string& command_line) -> Action {
            auto sweep = std::make_shared<SweepConfig>();
            auto flows = std::make_shared<std::vector<std::string>>();
            const auto fusing = fusing_flows();
            sweep->base.flow = fusing.empty() ? "" : fusing.front();
            sweep->base.out_dir = "results/fusion";
            add_run_options(app, *sweep);
            auto* across = app.add_option("--flows", *flows,
                                          "study across these flows, in order (e.g. eager,inductor,ort): a flow "
                                          "that runs the model as written is the unfused baseline")
                               ->delimiter(',');
            across->excludes(app.get_option("--flow"));
            return [sweep, flows, command_line] {
              if (!flows->empty()) return run_flow_study(*sweep, *flows, command_line);
              return run_fusion(*sweep, command_line);
            };
          }};
}

}  // namespace ngbench::cli
