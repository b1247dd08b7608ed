#include "report/compare.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "core/error.h"
#include "report/result_set.h"

namespace ngbench::report {

namespace {

// FNV-1a: a row's bootstrap seed from its table and name, so that a row's
// numbers do not depend on which other rows a comparison holds.
uint64_t seed_of(const std::string& key) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : key) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

// The rows of one table (totals, groups or operators) with their bootstraps,
// until Holm's adjustment within the table sets each row's level.
class Table {
 public:
  Table(std::string name, const CompareOptions& options)
      : name_(std::move(name)), alpha_(options.alpha), replicates_(options.replicates) {}

  // A row of the change from samples a to b; `key` tells rows of one name apart.
  ChangeRow& add(std::string name, const std::vector<double>& a, const std::vector<double>& b,
                 const std::string& key = "") {
    Pending p;
    p.row.name = std::move(name);
    p.time.emplace(a, b, seed_of(name_ + '\x1f' + p.row.name + '\x1f' + key + "\x1ftime"), alpha_, replicates_);
    p.row.testable = p.time->valid();
    rows_.push_back(std::move(p));
    return rows_.back().row;
  }

  // The last row's share of the attributed time, per iteration.
  void add_share(const std::vector<double>& a_part, const std::vector<double>& a_total,
                 const std::vector<double>& b_part, const std::vector<double>& b_total, const std::string& key = "") {
    Pending& p = rows_.back();
    p.row.has_share = true;
    p.share.emplace(iter_shares(a_part, a_total), iter_shares(b_part, b_total),
                    seed_of(name_ + '\x1f' + p.row.name + '\x1f' + key + "\x1fshare"), alpha_, replicates_);
  }

  // Holm within the table (rows that cannot be tested keep p = 1 and stay
  // out); every interval at the level its row is tested at.
  std::vector<ChangeRow> finish() {
    const auto time_levels = levels([](const Pending& p) -> const stats::MedianBootstrap* { return &*p.time; });
    const auto share_levels = levels([](const Pending& p) -> const stats::MedianBootstrap* {
      return p.share ? &*p.share : nullptr;
    });
    std::vector<ChangeRow> out;
    for (size_t i = 0; i < rows_.size(); ++i) {
      Pending& p = rows_[i];
      p.row.time = stats::median_change(*p.time, time_levels[i].level);
      p.row.p_holm = time_levels[i].p_holm;
      p.row.significant = p.row.testable && p.row.time.p < time_levels[i].level;
      if (p.share) {
        p.row.share = stats::median_change(*p.share, share_levels[i].level);
        p.row.share_p_holm = share_levels[i].p_holm;
        p.row.share_significant = p.share->valid() && p.row.share.p < share_levels[i].level;
      }
      out.push_back(std::move(p.row));
    }
    return out;
  }

 private:
  struct Pending {
    ChangeRow row;
    std::optional<stats::MedianBootstrap> time, share;
  };
  struct Level {
    double level;
    double p_holm;
  };
  template <typename Get>
  std::vector<Level> levels(Get get) const {
    std::vector<Level> out(rows_.size(), Level{alpha_, 1.0});
    std::vector<double> p;
    std::vector<size_t> index;
    for (size_t i = 0; i < rows_.size(); ++i) {
      const stats::MedianBootstrap* b = get(rows_[i]);
      if (!b || !b->valid()) continue;
      p.push_back(b->p_value());
      index.push_back(i);
    }
    const auto level = stats::holm_levels(p, alpha_), adjusted = stats::holm_adjust(p);
    for (size_t k = 0; k < index.size(); ++k) out[index[k]] = {level[k], adjusted[k]};
    return out;
  }

  std::string name_;
  double alpha_;
  int replicates_;
  std::vector<Pending> rows_;
};

struct OpSeries {
  std::string name, scope, group;
  std::vector<double> iter_ms;
};

// Operators by name and scope; per-iteration times summed over groups.
std::map<std::string, OpSeries> op_series(const Breakdown& b) {
  std::map<std::string, OpSeries> out;
  for (const OpStat& o : b.ops) {
    OpSeries& s = out[o.name + '\x1f' + o.scope];
    if (s.name.empty()) {
      s = {o.name, o.scope, o.group, {}};
    } else if (s.group.find(o.group) == std::string::npos) {
      s.group += " / " + o.group;
    }
    if (s.iter_ms.size() < o.iter_ms.size()) s.iter_ms.resize(o.iter_ms.size(), 0.0);
    for (size_t i = 0; i < o.iter_ms.size(); ++i) s.iter_ms[i] += o.iter_ms[i];
  }
  return out;
}

// A decode result (per generated token) pairs only with a decode result of as many tokens, a prefill without
// the KV cache only with another: phase_variant is part of the key.
std::string key_of(const RunConfig& c, bool with_flow) {
  return fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}{}", c.model, c.batch, c.seq_len, c.layers, c.device, c.dtype,
                     phase_variant(c), with_flow ? "\x1f" + c.flow : "");
}

}  // namespace

const ChangeRow* ComparedPair::total(const std::string& name) const {
  for (const auto& r : totals) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

// What else decides a measurement, beyond config_label: a difference here may
// explain a change as much as the one the user meant to compare.
std::vector<std::string> setting_differences(const RunResult& a, const RunResult& b) {
  std::vector<std::string> out;
  auto note = [&out](const char* what, const auto& va, const auto& vb) {
    if (va != vb) out.push_back(fmt::format("{}: {} vs {}", what, va, vb));
  };
  note("threads", a.context.threads, b.context.threads);
  note("allocator", a.config.allocator, b.config.allocator);
  note("attention", a.config.attention.empty() ? "-" : a.config.attention,
       b.config.attention.empty() ? "-" : b.config.attention);
  note("layers", a.config.layers, b.config.layers);
  // A decode result's times are per generated token, a prefill's per forward over the sequence.
  note("phase", phase_variant(a.config).empty() ? "prefill" : phase_variant(a.config),
       phase_variant(b.config).empty() ? "prefill" : phase_variant(b.config));
  note("taxonomy", a.context.taxonomy, b.context.taxonomy);
  note("runtime", a.context.runtime.name + " " + a.context.runtime.version,
       b.context.runtime.name + " " + b.context.runtime.version);
  note("machine", a.context.machine.cpu_model, b.context.machine.cpu_model);
  return out;
}

ComparedPair compare_runs(const LoadedResult& la, const LoadedResult& lb, const CompareOptions& options) {
  const Breakdown& a = la.result.breakdown;
  const Breakdown& b = lb.result.breakdown;
  ComparedPair pair{run_label(la.result), run_label(lb.result), la.path, lb.path};
  pair.differences = setting_differences(la.result, lb.result);
  for (const auto& [side, r] : {std::pair{"A", &la.result}, std::pair{"B", &lb.result}}) {
    const Extrapolation& x = r->extrapolation;
    if (!x.applied) continue;
    pair.notes.push_back(fmt::format("{} is {}: its end-to-end latency is as measured with {} layers, its attributed, "
                                     "group and operator times are depth-scaled estimates for {} layers",
                                     side, extrapolation_note(x), x.layers_built, x.layers_total));
  }
  for (const auto& [side, r] : {std::pair{"A", &la.result}, std::pair{"B", &lb.result}}) {
    if (r->config.phase != "decode") continue;
    pair.notes.push_back(fmt::format("{} is a decode run ({} tokens generated over a {}-token context): its times are "
                                     "per generated token", side, r->config.gen_tokens, r->config.seq_len));
  }

  const auto ta = total_iter_ms(a), tb = total_iter_ms(b);
  Table totals("totals", options);
  totals.add(kLatencyRow, la.result.latency_ms.samples, lb.result.latency_ms.samples);
  totals.add(kAttributedRow, ta, tb);
  for (const Side side : {Side::kGemm, Side::kNonGemm}) {
    const auto sa = side_iter_ms(a, side), sb = side_iter_ms(b, side);
    totals.add(side == Side::kGemm ? kGemmRow : kNonGemmRow, sa, sb);
    totals.add_share(sa, ta, sb, tb);
  }
  pair.totals = totals.finish();

  // Groups: the union, in A's order then B's new ones; a group absent from a
  // run took no time there.
  std::vector<std::string> names;
  for (const auto* bd : {&a, &b}) {
    for (const auto& g : bd->groups) {
      if (std::find(names.begin(), names.end(), g.name) == names.end()) names.push_back(g.name);
    }
  }
  auto series = [](const Breakdown& bd, const std::string& name, size_t n) {
    for (const auto& g : bd.groups) {
      if (g.name == name) return g.iter_ms;
    }
    return std::vector<double>(n, 0.0);
  };
  Table groups("groups", options);
  for (const auto& name : names) {
    const auto ga = series(a, name, ta.size()), gb = series(b, name, tb.size());
    const bool any = std::any_of(ga.begin(), ga.end(), [](double v) { return v > 0; }) ||
                     std::any_of(gb.begin(), gb.end(), [](double v) { return v > 0; });
    if (!any) continue;
    groups.add(name, ga, gb);
    groups.add_share(ga, ta, gb, tb);
  }
  pair.groups = groups.finish();

  const auto oa = op_series(a), ob = op_series(b);
  std::set<std::string> keys;
  for (const auto& [k, s] : oa) keys.insert(k);
  for (const auto& [k, s] : ob) keys.insert(k);
  Table ops("ops", options);
  for (const auto& k : keys) {
    const auto ia = oa.find(k), ib = ob.find(k);
    const OpSeries& any = ia != oa.end() ? ia->second : ib->second;
    const auto va = ia != oa.end() ? ia->second.iter_ms : std::vector<double>(ta.size(), 0.0);
    const auto vb = ib != ob.end() ? ib->second.iter_ms : std::vector<double>(tb.size(), 0.0);
    ChangeRow& row = ops.add(any.name, va, vb, any.scope);
    row.scope = any.scope;
    row.group = ia != oa.end() && ib != ob.end() && ia->second.group != ib->second.group
                    ? ia->second.group + " -> " + ib->second.group
                    : any.group;
    row.presence = ia == oa.end() ? "only_b" : ib == ob.end() ? "only_a" : "both";
    ops.add_share(va, ta, vb, tb, any.scope);
  }
  pair.ops = ops.finish();
  std::stable_sort(pair.ops.begin(), pair.ops.end(), [](const ChangeRow& x, const ChangeRow& y) {
    return std::fabs(x.time.diff) > std::fabs(y.time.diff);
  });
  return pair;
}

Comparison compare_results(const std::vector<LoadedResult>& a, const std::vector<LoadedResult>& b,
                           const CompareOptions& options) {
  Comparison c;
  c.alpha = options.alpha;
  std::vector<const LoadedResult*> ra, rb;
  for (const auto* side : {&a, &b}) {
    for (const auto& l : *side) {
      if (l.result.status == "ok") (side == &a ? ra : rb).push_back(&l);
      else c.failed.push_back(fmt::format("{} ({}): {}", run_label(l.result), l.path, l.result.error));
    }
  }
  if (a.size() == 1 && b.size() == 1 && ra.size() == 1 && rb.size() == 1) {
    c.pairs.push_back(compare_runs(*ra[0], *rb[0], options));
    return c;
  }
  // Exact configurations first (flow included), then what is left by
  // configuration without the flow, where that is unambiguous on both sides.
  std::vector<bool> used_a(ra.size()), used_b(rb.size());
  std::vector<std::pair<size_t, size_t>> matches;
  for (const bool with_flow : {true, false}) {
    std::map<std::string, std::vector<size_t>> ka, kb;
    for (size_t i = 0; i < ra.size(); ++i) {
      if (!used_a[i]) ka[key_of(ra[i]->result.config, with_flow)].push_back(i);
    }
    for (size_t j = 0; j < rb.size(); ++j) {
      if (!used_b[j]) kb[key_of(rb[j]->result.config, with_flow)].push_back(j);
    }
    for (const auto& [k, is] : ka) {
      const auto it = kb.find(k);
      if (it == kb.end() || (!with_flow && (is.size() != 1 || it->second.size() != 1))) continue;
      const size_t i = is.front(), j = it->second.front();
      used_a[i] = used_b[j] = true;
      matches.emplace_back(i, j);
    }
  }
  std::sort(matches.begin(), matches.end());
  for (const auto& [i, j] : matches) c.pairs.push_back(compare_runs(*ra[i], *rb[j], options));
  for (size_t i = 0; i < ra.size(); ++i) {
    if (!used_a[i]) c.only_in_a.push_back(run_label(ra[i]->result));
  }
  for (size_t j = 0; j < rb.size(); ++j) {
    if (!used_b[j]) c.only_in_b.push_back(run_label(rb[j]->result));
  }
  return c;
}

}  // namespace ngbench::report
