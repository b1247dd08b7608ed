// `ngbench fusion`: the fusion study of the ort flow (the paper's Table V).
// Each configuration runs twice on flow ort, with graph optimizations disabled
// (ORT_DISABLE_ALL) and fully enabled (ORT_ENABLE_ALL); the results of each
// level go to <out>/<level>/ as for `ngbench run`, ORT's optimized graph of the
// enabled level beside them. The original and the optimized graph are then
// compared (backends/ort/fusion.h) and the non-GEMM latency and share of both
// levels put next to the fusion rate: <out>/<stem>.fusion.json (everything),
// <out>/<stem>.fusion.csv (one row, concatenable) and a console table.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "backends/ort/fusion.h"
#include "backends/ort/onnx_model.h"
#include "backends/ort/ort_config.h"
#include "cli/command.h"
#include "cli/options.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "report/console_reporter.h"
#include "report/csv_reporter.h"
#include "report/json_reporter.h"
#include "report/result_files.h"
#include "report/result_json.h"
#include "runner/runner.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* const kLevels[] = {"disabled", "all"};

struct LevelSummary {
  std::string level;
  RunResult result;
  double fused_ms = 0;  // groups whose name starts with "Fused" (GEMM side, reported apart)
  double nodes = 0;     // node executions per iteration
};

LevelSummary summarize_level(const std::string& level, const RunResult& r) {
  LevelSummary s{level, r};
  for (const auto& g : r.breakdown.groups) {
    if (g.name.rfind("Fused", 0) == 0) s.fused_ms += g.time_ms;
  }
  for (const auto& o : r.breakdown.ops) s.nodes += o.calls;
  return s;
}

json level_json(const LevelSummary& s, const std::string& result_file) {
  const Breakdown& b = s.result.breakdown;
  const double ng = report::non_gemm_ms(b);
  json groups = json::object();
  for (const auto& g : b.groups) groups[g.name] = g.time_ms;
  return {{"graph_opt", s.level},
          {"status", s.result.status},
          {"error", s.result.error},
          {"result", result_file},
          {"latency_ms_median", s.result.latency_ms.median},
          {"profiled_ms_median", b.profiled_ms.median},
          {"attributed_ms", b.attributed_ms},
          {"gemm_ms", report::gemm_ms(b)},
          {"fused_ms", s.fused_ms},
          {"non_gemm_ms", ng},
          {"non_gemm_share", b.attributed_ms > 0 ? ng / b.attributed_ms : 0.0},
          {"coverage", b.coverage},
          {"node_executions", s.nodes},
          {"groups_ms", groups}};
}

json fusion_json(const onnx::FusionAnalysis& a) {
  json by_type = json::array();
  for (const auto& f : a.by_op_type) {
    by_type.push_back({{"op_type", f.op_type}, {"group", f.group}, {"original", f.original}, {"kept", f.kept}, {"replaced", f.replaced},
                       {"fused_with_gemm", f.fused_with_gemm}, {"fused_non_gemm", f.fused_non_gemm},
                       {"folded", f.folded}, {"removed", f.removed}});
  }
  std::map<std::tuple<std::string, std::string, bool, bool>, int> patterns;
  for (const auto& f : a.fused) ++patterns[{f.op_type, f.pattern(), f.with_gemm, f.replacement}];
  json pats = json::array();
  for (const auto& [k, n] : patterns) {
    pats.push_back({{"op_type", std::get<0>(k)}, {"pattern", std::get<1>(k)}, {"with_gemm", std::get<2>(k)},
                    {"replacement", std::get<3>(k)}, {"count", n}});
  }
  return {{"estimate", true},
          {"method",
           "nodes matched by name and op type; removed original nodes assigned to the optimized node whose outputs "
           "they computed, by walking the original graph back from its outputs to its inputs (docs/onnxruntime.md)"},
          {"original_nodes", a.original_nodes},
          {"optimized_nodes", a.optimized_nodes},
          {"original_gemm", a.original_gemm},
          {"original_non_gemm", a.original_non_gemm},
          {"kept_non_gemm", a.kept_non_gemm},
          {"replaced_non_gemm", a.replaced_non_gemm},
          {"fused_with_gemm", a.fused_with_gemm},
          {"fused_non_gemm", a.fused_non_gemm},
          {"folded_non_gemm", a.folded_non_gemm},
          {"removed_non_gemm", a.removed_non_gemm},
          {"new_unmatched", a.new_unmatched},
          {"fusion_rate", a.fusion_rate()},
          {"fusion_rate_with_gemm", a.fusion_rate_with_gemm()},
          {"fusion_rate_non_gemm", a.fusion_rate_non_gemm()},
          {"by_op_type", std::move(by_type)},
          {"fused_patterns", std::move(pats)}};
}

std::string csv_row(const RunConfig& c, const LevelSummary& off, const LevelSummary& on,
                    const onnx::FusionAnalysis& a) {
  auto share = [](const LevelSummary& s) {
    const double ng = report::non_gemm_ms(s.result.breakdown);
    return s.result.breakdown.attributed_ms > 0 ? ng / s.result.breakdown.attributed_ms : 0.0;
  };
  return fmt::format(
      "model,batch,seq_len,threads,latency_ms_disabled,latency_ms_all,non_gemm_ms_disabled,non_gemm_share_disabled,"
      "non_gemm_ms_all,non_gemm_share_all,fused_ms_all,original_non_gemm_nodes,fusion_rate,fusion_rate_with_gemm,"
      "fusion_rate_non_gemm,kept_non_gemm,replaced_non_gemm,folded_non_gemm,removed_non_gemm\n"
      "{},{},{},{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{},{:.6f},{:.6f},{:.6f},{},{},{},{}\n",
      c.model, c.batch, c.seq_len, on.result.config.threads, off.result.latency_ms.median, on.result.latency_ms.median,
      report::non_gemm_ms(off.result.breakdown), share(off), report::non_gemm_ms(on.result.breakdown), share(on),
      on.fused_ms, a.original_non_gemm, a.fusion_rate(), a.fusion_rate_with_gemm(), a.fusion_rate_non_gemm(),
      a.kept_non_gemm, a.replaced_non_gemm, a.folded_non_gemm, a.removed_non_gemm);
}

struct Row {
  RunConfig config;
  LevelSummary off, on;
  onnx::FusionAnalysis analysis;
};

void print_table(const std::vector<Row>& rows) {
  fmt::print("\n== fusion study (flow ort, CPU): ORT_DISABLE_ALL vs ORT_ENABLE_ALL\n");
  fmt::print("   {:<20} {:<9} {:>11} {:>12} {:>8} {:>10} {:>10}\n", "model", "graph_opt", "latency ms", "non-GEMM ms",
             "share", "fused ms", "nodes/it");
  for (const auto& r : rows) {
    for (const auto* s : {&r.off, &r.on}) {
      const double ng = report::non_gemm_ms(s->result.breakdown);
      const double att = s->result.breakdown.attributed_ms;
      fmt::print("   {:<20} {:<9} {:>11.3f} {:>12.3f} {:>7.1f}% {:>10.3f} {:>10.0f}\n", r.config.model, s->level,
                 s->result.latency_ms.median, ng, att > 0 ? ng / att * 100 : 0.0, s->fused_ms, s->nodes);
    }
    const auto& a = r.analysis;
    const double ng_off = report::non_gemm_ms(r.off.result.breakdown), ng_on = report::non_gemm_ms(r.on.result.breakdown);
    fmt::print("   {:<20} non-GEMM speedup {:.2f}x; fusion rate (estimate) {:.1f}% of {} original non-GEMM nodes: "
               "{:.1f}% fused with a GEMM, {:.1f}% among non-GEMM; {} kept, {} replaced, {} folded, {} removed\n",
               "", ng_on > 0 ? ng_off / ng_on : 0.0, a.fusion_rate() * 100, a.original_non_gemm,
               a.fusion_rate_with_gemm() * 100, a.fusion_rate_non_gemm() * 100, a.kept_non_gemm,
               a.replaced_non_gemm, a.folded_non_gemm, a.removed_non_gemm);
  }
}

int run_fusion(const SweepConfig& sweep, const std::string& command_line) {
  if (sweep.base.flow != "ort") throw Error("ngbench fusion studies flow ort; omit --flow or use --flow ort");
  const std::string out = sweep.base.out_dir;
  ensure_writable_dir(out);
  std::vector<Row> rows;
  int failed = 0;
  // Validate every configuration at both levels before anything runs.
  std::vector<std::pair<RunConfig, RunConfig>> configs;
  for (const auto& c : sweep.expand()) {
    RunConfig off = c, on = c;
    off.graph_opt = kLevels[0];
    off.out_dir = (fs::path(out) / kLevels[0]).string();
    on.graph_opt = kLevels[1];
    on.out_dir = (fs::path(out) / kLevels[1]).string();
    on.keep_ort_files = true;  // the optimized graph, for the comparison and beside the results
    configs.emplace_back(runner::validate(off), runner::validate(on));
  }
  for (const auto& [off, on] : configs) {
    Row row;
    row.config = on;
    for (const RunConfig* c : {&off, &on}) {
      ensure_writable_dir(c->out_dir);
      report::JsonReporter json_rep(c->out_dir);
      report::CsvReporter csv(c->out_dir);
      report::ConsoleReporter console(std::cout);
      const auto results = runner::run_configs({*c}, {&json_rep, &csv, &console}, command_line);
      (c == &off ? row.off : row.on) = summarize_level(c->graph_opt, results.front());
    }
    if (row.off.result.status != "ok" || row.on.result.status != "ok") {
      ++failed;
      fmt::print(std::cerr, "ngbench: fusion study of {} skipped: a run failed\n", on.model);
      continue;
    }
    const std::string prefix = onnx::kept_files_prefix(on);
    const onnx::Model original = onnx::load_model(onnx::onnx_path(on));
    const onnx::Model optimized = onnx::load_model(prefix + ".optimized.onnx");
    const auto taxonomy = on.taxonomy_file.empty() ? taxonomy::Taxonomy::builtin("ort")
                                                   : taxonomy::Taxonomy::load_file(on.taxonomy_file);
    row.analysis = onnx::analyze_fusion(original, optimized, taxonomy);
    const std::string stem = report::result_stem(on);
    json j = {{"schema_version", 1},
              {"kind", "ngbench-fusion"},
              {"model", on.model},
              {"onnx_file", onnx::onnx_path(on)},
              {"batch", on.batch},
              {"seq_len", on.seq_len},
              {"threads", row.on.result.config.threads},
              {"runtime", row.on.result.context.torch_version},
              {"command_line", command_line},
              {"optimized_graph", fs::relative(prefix + ".optimized.onnx", out).string()},
              {"levels",
               {level_json(row.off, (fs::path(kLevels[0]) / (stem + ".json")).string()),
                level_json(row.on, (fs::path(kLevels[1]) / (stem + ".json")).string())}},
              {"fusion", fusion_json(row.analysis)}};
    const double ng_on = report::non_gemm_ms(row.on.result.breakdown);
    j["non_gemm_speedup"] = ng_on > 0 ? report::non_gemm_ms(row.off.result.breakdown) / ng_on : 0.0;
    write_file_atomically((fs::path(out) / (stem + ".fusion.json")).string(), j.dump(1) + "\n");
    write_file_atomically((fs::path(out) / (stem + ".fusion.csv")).string(), csv_row(on, row.off, row.on, row.analysis));
    rows.push_back(std::move(row));
  }
  print_table(rows);
  fmt::print("\n{} model configuration(s) studied, {} failed; results in {}\n", rows.size(), failed, out);
  return failed > 0 ? kExitFailed : kExitOk;
}

}  // namespace

Command fusion_command() {
  return {"fusion",
          "fusion study of flow ort: graph optimizations off vs all, non-GEMM latency and fusion rate (Table V)",
          [](CLI::App& app, const std::string& command_line) -> Action {
            auto sweep = std::make_shared<SweepConfig>();
            sweep->base.flow = "ort";
            sweep->base.out_dir = "results/fusion";
            add_run_options(app, *sweep);
            return [sweep, command_line] { return run_fusion(*sweep, command_line); };
          }};
}

}  // namespace ngbench::cli
