#include "report/quant_study.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "core/result_name.h"
#include "report/result_json.h"
#include "report/result_set.h"

namespace ngbench::report {

namespace {

using nlohmann::json;

// The order of --quant's schemes (models/quant_scheme.h lists them; report/ does not link models).
int scheme_rank(const std::string& quant) {
  static const std::vector<std::string> order{"none", "int8-lt", "int8-dynamic", "int8-weight", "int8-fbgemm", "fp8"};
  const auto it = std::find(order.begin(), order.end(), quant);
  return static_cast<int>(it - order.begin());
}

// A configuration's identity without --quant, --int8-outliers (and, for series, the sequence length).
std::string key_without_quant(const RunConfig& c, bool drop_seq_len) {
  json id = json::parse(config_identity(c));
  id.erase("quant");
  id.erase("int8_outliers");
  if (drop_seq_len) id.erase("seq_len");
  return id.dump();
}

double sum_calls(const Breakdown& b) {
  double n = 0;
  for (const auto& o : b.ops) n += o.calls;
  return n;
}

double group_ms(const Breakdown& b, const std::string& name) {
  for (const auto& g : b.groups) {
    if (g.name == name) return g.time_ms;
  }
  return 0;
}

double count_of(const RunResult& r, const std::string& name, double fallback) {
  const auto it = r.workload_counts.find(name);
  return it == r.workload_counts.end() ? fallback : it->second;
}

void fill_row(QuantRow& row) {
  if (!row.ok()) return;
  const RunResult& r = *row.result;
  const Breakdown& b = r.breakdown;
  row.gemm_ms = gemm_ms(b);
  row.non_gemm_ms = non_gemm_ms(b);
  row.quantization_ms = group_ms(b, "Quantization");
  row.attributed_ms = b.attributed_ms;
  row.non_gemm_share = b.attributed_ms > 0 ? row.non_gemm_ms / b.attributed_ms : 0;
  row.operators = sum_calls(b);
  row.dispatcher_ops = b.dispatcher_ops;
  // Quantized Linears are all inside the repeated layers: scaled to the full depth as their times are.
  row.quant_linears = count_of(r, "quant_linears", 0) * (r.extrapolation.applied ? r.extrapolation.factor : 1.0);
  row.outlier_columns = count_of(r, "int8_outlier_columns_mean", -1);
}

void compare_to_baseline(QuantComparison& c) {
  const QuantRow* base = c.baseline();
  if (base == nullptr || !base->ok()) return;
  for (auto& row : c.rows) {
    if (!row.ok()) continue;
    row.gemm_speedup = row.gemm_ms > 0 ? base->gemm_ms / row.gemm_ms : 0;
    row.non_gemm_slowdown = base->non_gemm_ms > 0 ? row.non_gemm_ms / base->non_gemm_ms : 0;
    row.operators_added = row.operators - base->operators;
    row.dispatcher_ops_added = row.dispatcher_ops - base->dispatcher_ops;
  }
}

double per_linear(double added, double linears) { return linears > 0 ? added / linears : 0; }

// The end-to-end latency the row's times stand for: the full-depth estimate of a depth-scaled run.
double latency_ms(const RunResult& r) {
  return r.extrapolation.applied ? r.extrapolation.latency_ms : r.latency_ms.median;
}

json row_json(const QuantRow& row) {
  json j = {{"variant", row.variant}, {"result", row.result_file}};
  if (row.result == nullptr) {
    j["status"] = "missing";
    return j;
  }
  const RunResult& r = *row.result;
  j["status"] = r.status;
  j["error"] = r.error;
  j["quant"] = r.config.quant;
  j["int8_outliers"] = r.config.int8_outliers;
  if (!row.ok()) return j;
  json groups = json::object();
  for (const auto& g : r.breakdown.groups) groups[g.name] = g.time_ms;
  j.update({{"latency_ms_median", r.latency_ms.median},
            {"latency_ms_full_depth", latency_ms(r)},
            {"stability", r.stability.verdict},
            {"stability_reasons", r.stability.reasons},
            {"median_ci_rel", r.stability.median_ci_rel},
            {"other_load_cpus", r.stability.other_load_cpus},
            {"attributed_ms", row.attributed_ms},
            {"gemm_ms", row.gemm_ms},
            {"non_gemm_ms", row.non_gemm_ms},
            {"quantization_ms", row.quantization_ms},
            {"non_gemm_share", row.non_gemm_share},
            {"gemm_speedup", row.gemm_speedup},
            {"non_gemm_slowdown", row.non_gemm_slowdown},
            {"operators", row.operators},
            {"operators_added", row.operators_added},
            {"dispatcher_ops", row.dispatcher_ops},
            {"dispatcher_ops_added", row.dispatcher_ops_added},
            {"quant_linears", row.quant_linears},
            {"operators_added_per_linear", per_linear(row.operators_added, row.quant_linears)},
            {"dispatcher_ops_added_per_linear", per_linear(row.dispatcher_ops_added, row.quant_linears)},
            {"int8_outlier_columns_mean", row.outlier_columns},
            {"groups_ms", groups}});
  return j;
}

std::string ratio_text(double v) { return v > 0 ? fmt::format("{:.2f}x", v) : "n/a"; }

}  // namespace

const QuantRow* QuantComparison::baseline() const {
  for (const auto& r : rows) {
    if (r.variant == "none") return &r;
  }
  return nullptr;
}

std::vector<QuantComparison> quant_comparisons(const std::vector<const RunResult*>& results,
                                               const std::vector<std::string>& files) {
  // series key, seq_len -> comparison
  std::map<std::tuple<std::string, int64_t>, QuantComparison> groups;
  for (size_t i = 0; i < results.size(); ++i) {
    const RunResult* r = results[i];
    QuantComparison& c = groups[{key_without_quant(r->config, true), r->config.seq_len}];
    const std::string variant = quant_variant(r->config);
    QuantRow row;
    row.variant = variant.empty() ? "none" : variant;
    row.result = r;
    row.result_file = i < files.size() ? files[i] : "";
    // An ok result wins over a failed one of the same scheme.
    auto same = std::find_if(c.rows.begin(), c.rows.end(), [&](const QuantRow& x) { return x.variant == row.variant; });
    if (same != c.rows.end()) {
      if (!same->ok()) *same = row;
      continue;
    }
    if (c.rows.empty() || variant.empty()) {
      c.config = r->config;
      c.config.quant = RunConfig().quant;
      c.config.int8_outliers = RunConfig().int8_outliers;
    }
    c.rows.push_back(row);
  }
  std::vector<QuantComparison> out;
  for (auto& [key, c] : groups) {
    const bool quantized =
        std::any_of(c.rows.begin(), c.rows.end(), [](const QuantRow& r) { return r.variant != "none"; });
    if (!quantized) continue;
    std::sort(c.rows.begin(), c.rows.end(), [](const QuantRow& a, const QuantRow& b) {
      return std::make_tuple(scheme_rank(a.result->config.quant), a.variant) <
             std::make_tuple(scheme_rank(b.result->config.quant), b.variant);
    });
    for (auto& row : c.rows) fill_row(row);
    compare_to_baseline(c);
    c.label = config_label(c.config);
    for (const auto& row : c.rows) {
      const std::string note = row.ok() ? extrapolation_note(row.result->extrapolation) : "";
      if (!note.empty()) {
        c.label += " (" + note + ")";
        break;
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::vector<const QuantComparison*>> quant_series(const std::vector<QuantComparison>& comparisons) {
  std::vector<std::vector<const QuantComparison*>> out;
  std::map<std::string, size_t> index;
  for (const auto& c : comparisons) {
    const std::string key = key_without_quant(c.config, true);
    auto [it, added] = index.emplace(key, out.size());
    if (added) out.emplace_back();
    out[it->second].push_back(&c);
  }
  return out;
}

json quant_study_json(const QuantComparison& c, const std::string& command_line) {
  json rows = json::array();
  for (const auto& r : c.rows) rows.push_back(row_json(r));
  const RunConfig& k = c.config;
  // Not a result: its own kind and version, so that result readers pass it over.
  return {{"kind", "ngbench-quant"},
          {"quant_study_version", 1},
          {"label", c.label},
          {"model", k.model},
          {"flow", k.flow},
          {"device", k.device},
          {"dtype", k.dtype},
          {"batch", k.batch},
          {"seq_len", k.seq_len},
          {"layers", k.layers},
          {"threads", k.threads},
          {"command_line", command_line},
          {"note",
           "times per forward in ms; of a depth-scaled run (--layers) they are full-depth estimates, as are "
           "operators and quant_linears; gemm_speedup = none's GEMM / the scheme's, non_gemm_slowdown = the "
           "scheme's non-GEMM / none's"},
          {"rows", std::move(rows)}};
}

std::string quant_study_csv(const QuantComparison& c) {
  std::string out =
      "model,flow,device,dtype,batch,seq_len,threads," + std::string(kDepthHeader) +
      ",variant,status,latency_ms,gemm_ms,non_gemm_ms,quantization_ms,non_gemm_share,gemm_speedup,"
      "non_gemm_slowdown,operators,operators_added,dispatcher_ops,dispatcher_ops_added,quant_linears,stability\n";
  for (const auto& row : c.rows) {
    if (row.result == nullptr) continue;
    const RunResult& r = *row.result;
    const auto depth = depth_columns(r.config.layers, r.extrapolation);
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},", r.config.model, r.config.flow, r.config.device,
                       r.config.dtype, r.config.batch, r.config.seq_len, r.context.threads, depth[0], depth[1],
                       depth[2], row.variant, r.status);
    if (!row.ok()) {
      out += ",,,,,,,,,,,,\n";
      continue;
    }
    out += fmt::format("{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.1f},{:.1f},{:.1f},{:.1f},{:.1f},{}\n",
                       latency_ms(r), row.gemm_ms, row.non_gemm_ms, row.quantization_ms, row.non_gemm_share,
                       row.gemm_speedup, row.non_gemm_slowdown, row.operators, row.operators_added, row.dispatcher_ops,
                       row.dispatcher_ops_added, row.quant_linears, r.stability.verdict);
  }
  return out;
}

void print_quant_study(std::ostream& out, const std::vector<QuantComparison>& comparisons) {
  fmt::print(out, "\n== quantization study: per scheme against --quant none (times per forward, ms)\n");
  for (const auto& c : comparisons) {
    const bool est = std::any_of(c.rows.begin(), c.rows.end(),
                                 [](const QuantRow& r) { return r.ok() && r.result->extrapolation.applied; });
    fmt::print(out, "\n   {}{}\n", c.label, est ? "; times and counts are full-depth estimates (est.)" : "");
    fmt::print(out, "   {:<26} {:>11} {:>10} {:>11} {:>8} {:>9} {:>7} {:>9} {:>9} {:>8} {:>10}  {}\n", "scheme",
               est ? "latency est" : "latency", "GEMM", "non-GEMM", "QDQ", "non-GEMM%", "GEMM x", "non-GEMM x",
               "ops/fwd", "+ops", "+ops/Lin", "stability");
    for (const auto& row : c.rows) {
      if (!row.ok()) {
        fmt::print(out, "   {:<26} {}\n", row.variant,
                   row.result ? "failed: " + row.result->error : std::string("no result"));
        continue;
      }
      const RunResult& r = *row.result;
      fmt::print(
          out,
          "   {:<26} {:>11.2f} {:>10.2f} {:>11.2f} {:>8.2f} {:>8.1f}% {:>7} {:>9} {:>9.0f} {:>9.0f} {:>10.1f}  {}{}\n",
          row.variant, latency_ms(r), row.gemm_ms, row.non_gemm_ms, row.quantization_ms, row.non_gemm_share * 100,
          row.variant == "none" ? "" : ratio_text(row.gemm_speedup),
          row.variant == "none" ? "" : ratio_text(row.non_gemm_slowdown), row.operators, row.operators_added,
          per_linear(row.operators_added, row.quant_linears), r.stability.verdict,
          row.outlier_columns >= 0 ? fmt::format(" (outlier columns {:.1f}/Linear)", row.outlier_columns) : "");
    }
  }
  fmt::print(out,
             "\n   GEMM x: none's GEMM time / the scheme's (speedup); non-GEMM x: the scheme's non-GEMM time / none's "
             "(slowdown);\n   QDQ: the Quantization group; +ops: attributed operators added per forward (+ops/Lin: "
             "per quantized Linear).\n");
}

}  // namespace ngbench::report
