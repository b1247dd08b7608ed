#include "report/phase_comparison.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "core/result_name.h"
#include "report/result_json.h"
#include "report/result_set.h"

namespace ngbench::report {

namespace {

using nlohmann::json;

// A configuration's identity without what tells the phases apart (and, for series, the context).
std::string key_without_phase(const RunConfig& c, bool drop_context) {
  json id = json::parse(config_identity(c));
  for (const char* k : {"phase", "kv_cache", "gen_tokens"}) id.erase(k);
  if (drop_context) id.erase("seq_len");
  return id.dump();
}

// Every phase of one configuration at one context.
struct Bucket {
  RunConfig config;
  PhaseSide prefill, no_cache;
  std::map<int64_t, PhaseSide> decodes;  // by gen_tokens
};

// An ok result wins over a failed one; the first of two of a kind stays.
void keep(PhaseSide& side, const RunResult* r, const std::string& file) {
  if (side.result != nullptr && (side.ok() || r->status != "ok")) return;
  side.result = r;
  side.result_file = file;
}

void fill(PhaseSide& s) {
  if (!s.ok()) return;
  const RunResult& r = *s.result;
  const Breakdown& b = r.breakdown;
  s.extrapolated = r.extrapolation.applied;
  s.ms = s.extrapolated ? r.extrapolation.latency_ms : r.latency_ms.median;
  double total = 0;
  for (const auto& g : b.groups) total += g.time_ms;
  s.non_gemm_share = total > 0 ? non_gemm_ms(b) / total : 0;
  if (const GroupTime* top = top_non_gemm_group(b)) {
    s.top_group = top->name;
    s.top_group_share = total > 0 ? top->time_ms / total : 0;
  }
  if (r.config.phase != "decode") return;
  const DecodeResult& d = r.decode;
  // The run's own figure where it holds; a full-depth estimate from the estimated time per token.
  if (!s.extrapolated && d.present && d.tokens_per_s > 0) s.tokens_per_s = d.tokens_per_s;
  else if (s.ms > 0) s.tokens_per_s = 1000.0 * static_cast<double>(r.config.batch) / s.ms;
  if (!d.present) return;
  s.halves = true;
  s.early = d.early;
  s.late = d.late;
  if (s.extrapolated) {  // step times are as measured: scaled as extrapolation.latency_ms is
    s.early.median_ms *= b.depth_scale;
    s.late.median_ms *= b.depth_scale;
  }
}

PhaseRow make_row(const Bucket& b, const PhaseSide& prefill, const std::string& variant, int64_t gen_tokens,
                  const PhaseSide* decode) {
  PhaseRow row;
  row.config = b.config;
  row.config.phase = RunConfig().phase;
  row.config.kv_cache = variant.empty() ? (prefill.result ? prefill.result->config.kv_cache : "") : "off";
  row.config.gen_tokens = gen_tokens > 0 ? gen_tokens : RunConfig().gen_tokens;
  row.variant = variant;
  row.context = b.config.seq_len;
  row.gen_tokens = gen_tokens;
  row.prefill = prefill;
  if (decode != nullptr) row.decode = *decode;
  fill(row.prefill);
  fill(row.decode);
  row.label = config_label(row.config);
  for (const PhaseSide* s : {&row.prefill, &row.decode}) {
    if (s->extrapolated) {
      row.label += " (" + extrapolation_note(s->result->extrapolation) + ")";
      break;
    }
  }
  return row;
}

auto row_order(const PhaseRow& r) {
  const RunConfig& c = r.config;
  return std::make_tuple(c.model, c.flow, c.device, c.dtype, c.batch, c.layers, quant_variant(c), r.variant,
                         key_without_phase(c, true), c.seq_len, r.gen_tokens);
}

std::string pct(double fraction) { return fmt::format("{:.2f}", fraction * 100); }
std::string ms(double v) { return fmt::format("{:.4f}", v); }
std::string status_of(const PhaseSide& s) { return s.result == nullptr ? "missing" : s.result->status; }

// A Markdown cell: the value, "~" before an estimate; "failed" or "-" for a side without one.
std::string cell(const PhaseSide& s, const std::string& value) {
  if (s.result == nullptr) return "-";
  if (!s.ok()) return "failed";
  return (s.extrapolated ? "~" : "") + value;
}

}  // namespace

std::vector<PhaseRow> phase_comparisons(const std::vector<const RunResult*>& results,
                                        const std::vector<std::string>& files) {
  std::set<std::string> decoded;  // models with a decode result
  for (const RunResult* r : results) {
    if (r->config.phase == "decode") decoded.insert(r->config.model);
  }
  std::map<std::string, Bucket> buckets;
  for (size_t i = 0; i < results.size(); ++i) {
    const RunResult* r = results[i];
    if (decoded.count(r->config.model) == 0) continue;
    const std::string file = i < files.size() ? files[i] : "";
    auto [it, added] = buckets.try_emplace(key_without_phase(r->config, false));
    Bucket& b = it->second;
    if (added) b.config = r->config;
    if (r->config.phase == "decode") keep(b.decodes[r->config.gen_tokens], r, file);
    else if (r->config.phase != RunConfig().phase) continue;  // a phase this ngbench does not know
    else keep(r->config.kv_cache == "off" ? b.no_cache : b.prefill, r, file);
  }
  std::vector<PhaseRow> out;
  for (const auto& [key, b] : buckets) {
    for (const auto& [gen, d] : b.decodes) out.push_back(make_row(b, b.prefill, "", gen, &d));
    if (b.decodes.empty() && b.prefill.result != nullptr) out.push_back(make_row(b, b.prefill, "", 0, nullptr));
    if (b.no_cache.result != nullptr) out.push_back(make_row(b, b.no_cache, "no cache", 0, nullptr));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const PhaseRow& a, const PhaseRow& b) { return row_order(a) < row_order(b); });
  return out;
}

std::vector<std::vector<const PhaseRow*>> phase_series(const std::vector<PhaseRow>& rows) {
  std::vector<std::vector<const PhaseRow*>> out;
  std::map<std::string, size_t> index;
  for (const auto& r : rows) {
    auto [it, added] = index.emplace(key_without_phase(r.config, true) + '\x1f' + r.variant, out.size());
    if (added) out.emplace_back();
    out[it->second].push_back(&r);
  }
  return out;
}

std::string phase_series_label(const PhaseRow& row) {
  const RunConfig& k = row.config;
  const std::string q = quant_variant(k);
  std::string s = fmt::format("{} {} {} {} b{}{}{}{}", k.model, k.flow, k.device, k.dtype, k.batch,
                              k.layers > 0 ? fmt::format(" l{}", k.layers) : "", q.empty() ? "" : " q-" + q,
                              row.variant.empty() ? "" : " " + row.variant);
  const auto open = row.label.find(" (extrapolated");
  return open == std::string::npos ? s : s + row.label.substr(open);
}

TextTable phase_table(const std::vector<PhaseRow>& rows) {
  TextTable t;
  t.header = {"model", "flow", "device", "dtype", "batch", "context", "layers", "measured_layers", "extrapolated",
              "attention", "quant", "kv_cache", "gen_tokens", "prefill_status", "prefill_ms",
              "prefill_non_gemm_percent", "prefill_top_group", "prefill_top_group_percent", "decode_status",
              "decode_ms_per_token", "tokens_per_s", "decode_non_gemm_percent", "decode_top_group",
              "decode_top_group_percent", "early_ms", "early_non_gemm_percent", "early_top_group", "late_ms",
              "late_non_gemm_percent", "late_top_group", "prefill_result", "decode_result"};
  for (const std::string& h : t.header) {
    t.numeric.push_back(h == "batch" || h == "context" || h == "gen_tokens" || h == "tokens_per_s" ||
                        h.find("_ms") != std::string::npos || h.find("percent") != std::string::npos);
  }
  for (const PhaseRow& r : rows) {
    const RunConfig& c = r.config;
    const PhaseSide& scaled = r.decode.extrapolated ? r.decode : r.prefill;
    const auto depth = depth_columns(c.layers, scaled.extrapolated ? scaled.result->extrapolation : Extrapolation{});
    std::vector<std::string> row{c.model, c.flow, c.device, c.dtype, std::to_string(c.batch), std::to_string(r.context),
                                 depth[0], depth[1], depth[2], c.attention, c.quant,
                                 r.variant.empty() ? c.kv_cache : "off",
                                 r.gen_tokens > 0 ? std::to_string(r.gen_tokens) : ""};
    const PhaseSide& p = r.prefill;
    row.insert(row.end(), {status_of(p), p.ok() ? ms(p.ms) : "", p.ok() ? pct(p.non_gemm_share) : "", p.top_group,
                           p.ok() && !p.top_group.empty() ? pct(p.top_group_share) : ""});
    const PhaseSide& d = r.decode;
    row.insert(row.end(), {status_of(d), d.ok() ? ms(d.ms) : "", d.ok() ? fmt::format("{:.2f}", d.tokens_per_s) : "",
                           d.ok() ? pct(d.non_gemm_share) : "", d.top_group,
                           d.ok() && !d.top_group.empty() ? pct(d.top_group_share) : ""});
    for (const DecodeHalf* h : {&d.early, &d.late}) {
      row.insert(row.end(), {d.halves ? ms(h->median_ms) : "", d.halves ? pct(h->non_gemm_share) : "",
                             d.halves ? h->top_group : ""});
    }
    row.insert(row.end(), {p.result_file, d.result_file});
    t.add(std::move(row));
  }
  return t;
}

std::string phase_markdown(const std::vector<PhaseRow>& rows) {
  std::string md = "# Prefill vs decode\n\n";
  if (rows.empty()) {
    return md + "No decode results among these: nothing to compare (`ngbench run --phase prefill,decode`).\n";
  }
  md +=
      "Prefill: one forward over the context, ms per forward. Decode: ms per generated token (median over every "
      "step; one forward of one token over the KV cache plus the greedy step around it). non-GEMM %: share of the "
      "attributed operator time; top group: the largest non-GEMM group (its share). Early -> late: the decode's "
      "non-GEMM share over the first and the second half of the generated tokens. `~`: a full-depth estimate of a "
      "depth-scaled run (--layers; the row says \"extrapolated\"). `-`: no result of that phase; `failed`: the run failed (below).\n\n";
  TextTable t;
  t.header = {"configuration", "context", "prefill ms", "prefill non-GEMM %", "prefill top group", "tokens",
              "decode ms/token", "tokens/s", "decode non-GEMM %", "decode top group", "early -> late non-GEMM %"};
  t.numeric = {false, true, true, true, false, true, true, true, true, false, true};
  auto top = [](const PhaseSide& s) {
    if (!s.ok()) return std::string();
    if (s.top_group.empty()) return std::string("none");
    return fmt::format("{} {}{}%", s.top_group, s.extrapolated ? "~" : "", pct(s.top_group_share));
  };
  for (const auto& series : phase_series(rows)) {
    for (const PhaseRow* r : series) {
      const PhaseSide &p = r->prefill, &d = r->decode;
      const std::string mark = d.extrapolated ? "~" : "";  // the halves' shares are the depth-scaled breakdown's
      t.add({phase_series_label(*r), std::to_string(r->context), cell(p, fmt::format("{:.3f}", p.ms)),
             cell(p, pct(p.non_gemm_share)), p.ok() ? top(p) : cell(p, ""),
             r->gen_tokens > 0 ? std::to_string(r->gen_tokens) : "-", cell(d, fmt::format("{:.3f}", d.ms)),
             cell(d, fmt::format("{:.1f}", d.tokens_per_s)), cell(d, pct(d.non_gemm_share)),
             d.ok() ? top(d) : cell(d, ""),
             d.halves ? fmt::format("{}{} -> {}{}", mark, pct(d.early.non_gemm_share), mark, pct(d.late.non_gemm_share))
                      : (d.ok() ? "n/a" : cell(d, ""))});
    }
  }
  md += t.markdown();
  std::string failed;
  for (const PhaseRow& r : rows) {
    for (const PhaseSide* s : {&r.prefill, &r.decode}) {
      if (s->result == nullptr || s->ok()) continue;
      failed += fmt::format("- {}: {}\n", run_label(*s->result), s->result->error);
    }
  }
  if (!failed.empty()) md += "\n## Failed runs\n\n" + failed;
  return md;
}

}  // namespace ngbench::report
