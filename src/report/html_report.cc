#include "report/html_report.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/breakdown_matrix.h"
#include "report/fusion_figure.h"
#include "report/nongemm_report.h"
#include "report/phase_figure.h"
#include "report/plotly_js.h"
#include "report/quant_figure.h"
#include "report/top_groups.h"
#include "report/workload.h"

namespace ngbench::report {

namespace {

using nlohmann::json;

json stats_json(const SampleStats& s) {
  return {{"median", s.median}, {"p90", s.p90}, {"p99", s.p99}, {"min", s.min},
          {"max", s.max},       {"mean", s.mean}, {"stddev", s.stddev}, {"n", s.samples.size()}};
}

json context_json(const RunResult& r) {
  const RunContext& c = r.context;
  const RunConfig& cfg = r.config;
  const double gib = static_cast<double>(c.machine.memory_bytes) / (1024.0 * 1024 * 1024);
  return {{"machine", fmt::format("{} ({}), {} logical CPUs, {:.1f} GiB, {}", c.machine.hostname, c.machine.cpu_model,
                                  c.machine.logical_cpus, gib, c.machine.os)},
          {"threads", fmt::format("{} intra-op, {} inter-op", c.threads, c.interop_threads)},
          {"iterations", fmt::format("{} warmup, {} timed, {} profiled", cfg.warmup, cfg.iters, cfg.profile_iters)},
          {"ngbench", fmt::format("{} ({}{}, {}, {})", c.ngbench_version, c.git_commit, c.git_dirty ? ", modified" : "",
                                  c.build_type, c.compiler)},
          {"runtime", c.runtime.name + " " + c.runtime.version},
          {"taxonomy", c.taxonomy + (cfg.taxonomy_file.empty() ? "" : " from " + cfg.taxonomy_file)},
          {"seed", cfg.seed},
          {"record_shapes", cfg.record_shapes},
          {"timestamp", c.timestamp},
          {"command", c.command_line}};
}

json run_json(const LoadedResult& l, const ResultSet& set) {
  const RunResult& r = l.result;
  const Breakdown& b = r.breakdown;
  json groups = json::array(), ops = json::array();
  double non_gemm = 0, total = 0;
  for (const auto& g : b.groups) {
    total += g.time_ms;
    non_gemm += g.side == Side::kNonGemm ? g.time_ms : 0;
    groups.push_back({{"name", g.name}, {"side", side_name(g.side)}, {"time_ms", g.time_ms}, {"share", g.share}});
  }
  for (const auto& o : b.ops) {
    ops.push_back({{"name", o.name}, {"kind", o.kind == RecordKind::kScope ? "module" : "op"}, {"group", o.group},
                   {"side", side_name(o.side)}, {"scope", o.scope}, {"calls", o.calls}, {"total_ms", op_time_ms(o, b)},
                   {"self_ms", o.self_ms}, {"share", o.share}, {"signatures", o.shapes.size()}});
  }
  const RunConfig& c = r.config;
  const Extrapolation& x = r.extrapolation;
  return {{"label", run_label(r)},
          {"file", std::filesystem::path(l.path).filename().string()},
          {"status", r.status},
          {"error", r.error},
          {"task", task_of(r, set)},
          {"model", c.model}, {"flow", c.flow}, {"device", c.device}, {"dtype", c.dtype},
          {"batch", c.batch}, {"seq_len", c.seq_len}, {"layers", c.layers},
          // Decode: latency, groups and operators are per generated token.
          {"phase", c.phase}, {"kv_cache", c.kv_cache}, {"gen_tokens", c.gen_tokens},
          // Depth-scaled: latency_ms is as measured, groups and ops are estimates for layers_total.
          {"extrapolation", {{"applied", x.applied}, {"layers_built", x.layers_built}, {"layers_total", x.layers_total},
                             {"factor", x.factor}, {"latency_ms", x.latency_ms}, {"depth_scale", b.depth_scale},
                             {"note", extrapolation_note(x)}}},
          {"stability", {{"verdict", r.stability.verdict}, {"reasons", r.stability.reasons},
                         {"median_ci_rel", r.stability.median_ci_rel}, {"other_load_cpus", r.stability.other_load_cpus}}},
          {"latency_ms", stats_json(r.latency_ms)},
          {"profiled_ms", stats_json(b.profiled_ms)},
          {"attributed_ms", b.attributed_ms},
          {"coverage", b.coverage},
          {"overhead", r.overhead},
          {"non_gemm_ms", non_gemm},
          {"non_gemm_share", total > 0 ? non_gemm / total : 0.0},
          {"other_thread_ms", b.other_thread_ms},
          {"groups", std::move(groups)},
          {"ops", std::move(ops)},
          {"context", context_json(r)}};
}

}  // namespace

json html_report_data(std::vector<LoadedResult> results, const std::string& source) {
  const ResultSet set = split_by_status(std::move(results));
  const auto palette = group_palette(set.all());
  json pal = json::array();
  for (const auto& g : palette) pal.push_back({{"name", g.name}, {"side", side_name(g.side)}, {"color", g.color}});

  json runs = json::array(), failed = json::array();
  std::map<const LoadedResult*, size_t> run_index;
  for (const LoadedResult* l : runs_in_report_order(set)) {
    run_index[l] = runs.size();
    runs.push_back(run_json(*l, set));
  }
  for (const auto& l : set.failed) failed.push_back(run_json(l, set));

  json matrices = json::array();
  for (const DeviceMatrix& m : breakdown_matrix(set, palette)) {
    json series = json::array();
    for (const MatrixSeries& s : m.series) {
      json cells = json::array();
      for (const MatrixCell& c : s.cells) {
        const auto it = c.result ? run_index.find(c.result) : run_index.end();
        cells.push_back({{"batch", c.batch}, {"state", cell_state_name(c.state)},
                         {"run", it == run_index.end() ? -1 : static_cast<int>(it->second)},
                         {"error", c.state == CellState::kFailed ? c.result->result.error : ""},
                         {"shares", c.shares}, {"gemm_share", c.gemm_share}, {"non_gemm_share", c.non_gemm_share},
                         {"extrapolated", c.extrapolated}});
      }
      series.push_back({{"label", s.label}, {"task", s.task}, {"cells", std::move(cells)}});
    }
    matrices.push_back({{"device", m.device}, {"batches", m.batches}, {"series", std::move(series)}});
  }

  const TextTable table_iv = top_groups_table(top_group_rows(set));
  return {{"title", "ngbench report"},
          {"source", source},
          {"palette", std::move(pal)},
          {"colors", {{"missing", kMissingColor}, {"failed", kFailedColor}, {"non_gemm", kNonGemmTotalColor}}},
          {"matrices", std::move(matrices)},
          {"runs", std::move(runs)},
          {"failed", std::move(failed)},
          {"table_iv", {{"header", table_iv.header}, {"rows", table_iv.rows}}},
          {"workload", workload_json(workload_report(set))},
          {"nongemm", nongemm_json(nongemm_report(set))},
          {"fusion_study", fusion_groups_json(fusion_groups(set))},
          {"quant", quant_html_json(set)},
          {"phase", phase_html_json(set)}};
}

std::string embed_json(const json& j) {
  const std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return out;
}

std::string html_report(std::vector<LoadedResult> results, const std::string& source, const std::string& plotly_js) {
  if (results.empty()) throw Error("no results to report");
  std::string js = plotly_js;
  // A literal "</script" would end the inline script early; "<\/" is the same in JS strings.
  for (size_t at = 0; (at = js.find("</script", at)) != std::string::npos; at += 3) js.replace(at, 2, "<\\/");
  std::string page;
  page.reserve(js.size() + (size_t{1} << 20));
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<title>ngbench report</title>\n<link rel=\"icon\" href=\"data:,\">\n";
  page += fmt::format("<style>\n{}\n</style>\n", kHtmlCss);
  page += "<!-- plotly.js (MIT license), inlined from PyPI's plotly package -->\n<script>\n" + js + "\n</script>\n";
  page += "</head>\n<body>\n<div id=\"app\"><noscript>This report needs JavaScript.</noscript></div>\n";
  page += "<script type=\"application/json\" id=\"ngbench-data\">" + embed_json(html_report_data(std::move(results), source)) +
          "</script>\n";
  page += fmt::format("<script>\n{}\n</script>\n<script>\n{}\n</script>\n</body>\n</html>\n", kHtmlPhaseScript,
                      kHtmlScript);
  return page;
}

void write_html_report(std::vector<LoadedResult> results, const std::string& source, const std::string& out_path) {
  const std::string plotly = read_plotly_js(find_plotly_js());
  const auto parent = std::filesystem::path(out_path).parent_path();
  if (!parent.empty()) ensure_writable_dir(parent.string());
  write_file_atomically(out_path, html_report(std::move(results), source, plotly));
}

}  // namespace ngbench::report
