#include "report/nongemm_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "report/workload.h"

namespace ngbench::report {

namespace {

NonGemmRun nongemm_run(const LoadedResult& l, const ResultSet& set) {
  const RunResult& r = l.result;
  const Breakdown& b = r.breakdown;
  NonGemmRun run{run_label(r), r.config, task_of(r, set), r.extrapolation};
  double total = 0;
  for (const auto& g : b.groups) {
    total += g.time_ms;
    if (g.side != Side::kNonGemm || g.time_ms <= 0) continue;
    run.non_gemm_ms += g.time_ms;
    run.groups.push_back({g.name, g.time_ms, 0, {}});
  }
  for (auto& gv : run.groups) gv.share = total > 0 ? gv.time_ms / total : 0;
  run.non_gemm_share = total > 0 ? run.non_gemm_ms / total : 0;
  for (const OpStat& o : b.ops) {
    auto g = std::find_if(run.groups.begin(), run.groups.end(), [&](auto& gv) { return gv.group == o.group; });
    if (g == run.groups.end()) continue;
    auto v = std::find_if(g->variants.begin(), g->variants.end(), [&](auto& x) { return x.name == o.name; });
    if (v == g->variants.end()) {
      g->variants.push_back({o.name, o.kind == RecordKind::kScope ? "module" : "op"});
      v = g->variants.end() - 1;
    }
    if (std::find(v->scopes.begin(), v->scopes.end(), o.scope) == v->scopes.end()) v->scopes.push_back(o.scope);
    v->calls += o.calls;
    v->time_ms += op_time_ms(o, b);
  }
  for (auto& g : run.groups) {
    for (auto& v : g.variants) {
      v.share_of_group = g.time_ms > 0 ? v.time_ms / g.time_ms : 0;
      v.share_of_run = total > 0 ? v.time_ms / total : 0;
    }
    std::stable_sort(g.variants.begin(), g.variants.end(), [](auto& x, auto& y) { return x.time_ms > y.time_ms; });
  }
  std::stable_sort(run.groups.begin(), run.groups.end(), [](auto& x, auto& y) { return x.time_ms > y.time_ms; });
  return run;
}

std::string scopes_text(const std::vector<std::string>& scopes) {
  std::string s;
  for (const auto& x : scopes) s += (s.empty() ? "" : ", ") + (x.empty() ? std::string("(top level)") : x);
  return s;
}

std::string pct(double f) { return fmt::format("{:.2f}", f * 100); }

}  // namespace

NonGemmReport nongemm_report(const ResultSet& set) {
  NonGemmReport r;
  for (const LoadedResult* l : runs_in_report_order(set)) r.runs.push_back(nongemm_run(*l, set));
  return r;
}

std::string nongemm_markdown(const NonGemmReport& r) {
  std::string md =
      "# Non-GEMM report\n\n"
      "Operator variants within each non-GEMM group: different operators (or modules) that do the same kind of\n"
      "work in one model. Times per profiled iteration; shares of the group's and of the run's attributed time.\n\n"
      "## Groups with more than one variant\n\n";
  TextTable summary;
  summary.header = {"run", "group", "variants", "names"};
  summary.numeric = {false, false, true, false};
  for (const NonGemmRun& run : r.runs) {
    for (const GroupVariants& g : run.groups) {
      if (g.variants.size() < 2) continue;
      std::string names;
      for (const auto& v : g.variants) names += (names.empty() ? "" : ", ") + v.name;
      summary.add({run.label, g.group, std::to_string(g.variants.size()), names});
    }
  }
  md += summary.rows.empty() ? "none\n" : summary.markdown();
  for (const NonGemmRun& run : r.runs) {
    md += fmt::format("\n## {}{}\n\nnon-GEMM: {:.4f} ms/iter, {:.2f}% of attributed time{}.\n\n", run.label,
                      run.task.empty() ? "" : " (" + run.task + ")", run.non_gemm_ms, run.non_gemm_share * 100,
                      run.extrapolation.applied
                          ? fmt::format(" (depth-scaled estimates for {} layers)", run.extrapolation.layers_total)
                          : "");
    TextTable t;
    t.header = {"group", "variant", "kind", "scopes", "calls/iter", "ms/iter", "% of group", "% of run"};
    t.numeric = {false, false, false, false, true, true, true, true};
    for (const GroupVariants& g : run.groups) {
      for (const GroupVariant& v : g.variants) {
        t.add({g.group, v.name, v.kind, scopes_text(v.scopes), fmt::format("{:g}", v.calls),
               fmt::format("{:.4f}", v.time_ms), pct(v.share_of_group), pct(v.share_of_run)});
      }
    }
    md += t.rows.empty() ? "no non-GEMM time\n" : t.markdown();
  }
  return md;
}

TextTable nongemm_table(const NonGemmReport& r) {
  TextTable t;
  t.header = {"task", "model", "flow", "device", "dtype", "batch", "seq_len", "layers", "measured_layers",
              "extrapolated", "group", "group_time_ms", "variants", "variant", "kind", "scopes", "calls", "time_ms",
              "share_of_group", "share_of_run"};
  for (const NonGemmRun& run : r.runs) {
    const RunConfig& c = run.config;
    const auto depth = depth_columns(c.layers, run.extrapolation);
    for (const GroupVariants& g : run.groups) {
      for (const GroupVariant& v : g.variants) {
        t.add({run.task, c.model, c.flow, c.device, c.dtype, std::to_string(c.batch), std::to_string(c.seq_len),
               depth[0], depth[1], depth[2], g.group, fmt::format("{:.6f}", g.time_ms), std::to_string(g.variants.size()), v.name, v.kind,
               scopes_text(v.scopes), fmt::format("{:g}", v.calls), fmt::format("{:.6f}", v.time_ms),
               fmt::format("{:.6f}", v.share_of_group), fmt::format("{:.6f}", v.share_of_run)});
      }
    }
  }
  return t;
}

nlohmann::json nongemm_json(const NonGemmReport& r) {
  using nlohmann::json;
  json runs = json::array();
  for (const NonGemmRun& run : r.runs) {
    json groups = json::array();
    for (const GroupVariants& g : run.groups) {
      json variants = json::array();
      for (const GroupVariant& v : g.variants) {
        variants.push_back({{"name", v.name}, {"kind", v.kind}, {"scopes", v.scopes}, {"calls", v.calls},
                            {"time_ms", v.time_ms}, {"share_of_group", v.share_of_group},
                            {"share_of_run", v.share_of_run}});
      }
      groups.push_back({{"group", g.group}, {"time_ms", g.time_ms}, {"share", g.share}, {"variants", std::move(variants)}});
    }
    runs.push_back({{"label", run.label}, {"task", run.task}, {"extrapolation", extrapolation_note(run.extrapolation)},
                    {"non_gemm_ms", run.non_gemm_ms},
                    {"non_gemm_share", run.non_gemm_share}, {"groups", std::move(groups)}});
  }
  return {{"runs", std::move(runs)}};
}

}  // namespace ngbench::report
