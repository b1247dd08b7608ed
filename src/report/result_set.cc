#include "report/result_set.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "taxonomy/taxonomy.h"

namespace ngbench::report {

namespace {

// "<flow>@<version>" -> "<flow>".
std::string taxonomy_flow(const RunResult& r) {
  const std::string& t = r.context.taxonomy;
  const auto at = t.find('@');
  return at == std::string::npos ? t : t.substr(0, at);
}

bool has_builtin(const std::string& flow) {
  const auto flows = taxonomy::Taxonomy::builtin_flows();
  return std::find(flows.begin(), flows.end(), flow) != flows.end();
}

void add_taxonomy(std::vector<GroupStyle>& out, const std::string& flow) {
  const auto tax = taxonomy::Taxonomy::builtin(flow);
  for (const auto& g : tax.groups()) {
    if (palette_index(out, g.name) == out.size()) out.push_back({g.name, g.side, g.color});
  }
}

}  // namespace

std::vector<GroupStyle> group_palette(const std::vector<const RunResult*>& results) {
  std::vector<GroupStyle> out;
  std::set<std::string> flows_seen;
  for (const RunResult* r : results) {
    for (const std::string& flow : {taxonomy_flow(*r), r->config.flow}) {
      if (!flow.empty() && has_builtin(flow) && flows_seen.insert(flow).second) add_taxonomy(out, flow);
    }
  }
  // No result names a built-in taxonomy: the first built-in one gives the colors.
  const auto builtin = taxonomy::Taxonomy::builtin_flows();
  if (out.empty() && !builtin.empty()) add_taxonomy(out, builtin.front());
  // Unclassified last, whatever the order the taxonomies were merged in.
  const size_t u = palette_index(out, taxonomy::kUnclassified);
  if (u < out.size()) std::rotate(out.begin() + static_cast<std::ptrdiff_t>(u),
                                  out.begin() + static_cast<std::ptrdiff_t>(u) + 1, out.end());
  for (const RunResult* r : results) {
    for (const auto& g : r->breakdown.groups) {
      if (palette_index(out, g.name) == out.size()) {
        out.insert(out.end() - (u < out.size() ? 1 : 0), {g.name, g.side, "#7f7f7f"});
      }
    }
  }
  return out;
}

size_t palette_index(const std::vector<GroupStyle>& palette, const std::string& name) {
  for (size_t i = 0; i < palette.size(); ++i) {
    if (palette[i].name == name) return i;
  }
  return palette.size();
}

int task_rank(const std::string& task) {
  static const std::vector<std::string> order{"IC", "OD", "IS", "NLP"};
  const auto it = std::find(order.begin(), order.end(), task);
  return it == order.end() ? static_cast<int>(order.size()) : static_cast<int>(it - order.begin());
}

std::string quant_variant(const RunConfig& c) {
  if (c.quant == RunConfig().quant) return "";
  if (c.int8_outliers == RunConfig().int8_outliers) return c.quant;
  return c.quant + (c.int8_outliers == kInt8OutliersDetected ? std::string(" outliers-detected")
                                                             : fmt::format(" outliers{}", c.int8_outliers));
}

std::string phase_variant(const RunConfig& c) {
  if (c.phase == "decode") return fmt::format("decode g{}", c.gen_tokens);
  if (c.phase != RunConfig().phase) return c.phase;  // a phase this ngbench does not know: never mixed in
  return c.kv_cache == "off" ? "no cache" : "";
}

std::string config_label(const RunConfig& c) {
  const std::string q = quant_variant(c);
  const std::string p = phase_variant(c);
  return fmt::format("{} {} {} {} b{} s{}{}{}{}", c.model, c.flow, c.device, c.dtype, c.batch, c.seq_len,
                     c.layers > 0 ? fmt::format(" l{}", c.layers) : "", q.empty() ? "" : " q-" + q,
                     p.empty() ? "" : " " + p);
}

std::string extrapolation_note(const Extrapolation& x) {
  return x.applied ? fmt::format("extrapolated from {} of {} layers", x.layers_built, x.layers_total) : "";
}

std::string run_label(const RunResult& r) {
  const std::string note = extrapolation_note(r.extrapolation);
  return config_label(r.config) + (note.empty() ? "" : " (" + note + ")");
}

std::vector<std::string> depth_columns(int64_t layers, const Extrapolation& x) {
  if (!x.applied) return {std::to_string(layers), std::to_string(layers), "false"};
  return {std::to_string(x.layers_total), std::to_string(x.layers_built), "true"};
}

std::vector<const RunResult*> ResultSet::all() const {
  std::vector<const RunResult*> out = ok_results();
  for (const auto& l : failed) out.push_back(&l.result);
  return out;
}

std::vector<const RunResult*> ResultSet::ok_results() const {
  std::vector<const RunResult*> out;
  for (const auto& l : ok) out.push_back(&l.result);
  return out;
}

ResultSet split_by_status(std::vector<LoadedResult> loaded) {
  ResultSet set;
  for (auto& l : loaded) (l.result.status == "ok" ? set.ok : set.failed).push_back(std::move(l));
  return set;
}

std::string task_of(const RunResult& r, const ResultSet& set) {
  if (!r.model_info.task.empty()) return r.model_info.task;
  for (const auto& l : set.ok) {
    if (l.result.config.model == r.config.model && !l.result.model_info.task.empty()) return l.result.model_info.task;
  }
  return "";
}

std::vector<double> side_iter_ms(const Breakdown& b, Side side) {
  std::vector<double> out;
  for (const auto& g : b.groups) {
    if (g.side != side) continue;
    if (out.size() < g.iter_ms.size()) out.resize(g.iter_ms.size(), 0.0);
    for (size_t i = 0; i < g.iter_ms.size(); ++i) out[i] += g.iter_ms[i];
  }
  return out;
}

std::vector<double> total_iter_ms(const Breakdown& b) {
  std::vector<double> out;
  for (const auto& g : b.groups) {
    if (out.size() < g.iter_ms.size()) out.resize(g.iter_ms.size(), 0.0);
    for (size_t i = 0; i < g.iter_ms.size(); ++i) out[i] += g.iter_ms[i];
  }
  return out;
}

std::vector<double> iter_shares(const std::vector<double>& part, const std::vector<double>& total) {
  std::vector<double> out(std::min(part.size(), total.size()));
  for (size_t i = 0; i < out.size(); ++i) out[i] = total[i] > 0 ? part[i] / total[i] : 0.0;
  return out;
}

double group_share(const Breakdown& b, const std::string& group) {
  for (const auto& g : b.groups) {
    if (g.name == group) return g.share;
  }
  return 0.0;
}

const GroupTime* top_non_gemm_group(const Breakdown& b) {
  const GroupTime* best = nullptr;
  for (const auto& g : b.groups) {
    if (g.side == Side::kNonGemm && g.time_ms > 0 && (!best || g.time_ms > best->time_ms)) best = &g;
  }
  return best;
}

std::string inputs_text(const std::vector<ArgInfo>& inputs) {
  std::string s;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ArgInfo& a = inputs[i];
    if (i) s += ", ";
    switch (a.kind) {
      case ArgInfo::Kind::kTensor:
      case ArgInfo::Kind::kTensorList:
        s += a.kind == ArgInfo::Kind::kTensorList ? "list<" + a.dtype + ">" : a.dtype;
        s += fmt::format("[{}]", fmt::join(a.shape, ","));
        break;
      case ArgInfo::Kind::kScalar: s += "scalar"; break;
      case ArgInfo::Kind::kNone: s += "none"; break;
      case ArgInfo::Kind::kOther: s += "other"; break;
    }
  }
  return s;
}

}  // namespace ngbench::report
