#include "attribution/attribute.h"

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>

#include "core/error.h"

namespace ngbench::attribution {

namespace {

constexpr double kNsPerMs = 1e6;

struct Unit {
  int32_t record;
  size_t group;
  size_t iteration;
};

// Scope names enclosing record i (excluding i itself), outermost first.
std::vector<std::string> scope_path(const std::vector<OpRecord>& recs, int32_t i) {
  std::vector<std::string> path;
  for (int32_t p = recs[static_cast<size_t>(i)].parent; p >= 0; p = recs[static_cast<size_t>(p)].parent) {
    if (recs[static_cast<size_t>(p)].kind == RecordKind::kScope) path.push_back(recs[static_cast<size_t>(p)].name);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

// Index of the iteration whose span holds t, or -1.
int64_t iteration_of(const std::vector<IterationSpan>& its, int64_t t) {
  auto it = std::upper_bound(its.begin(), its.end(), t,
                             [](int64_t v, const IterationSpan& s) { return v < s.start_ns; });
  if (it == its.begin()) return -1;
  --it;
  return t <= it->end_ns ? it - its.begin() : -1;
}

}  // namespace

Breakdown attribute(const ProfiledTrace& trace, const taxonomy::Taxonomy& taxonomy) {
  const auto& recs = trace.records;
  const auto& its = trace.iterations;
  NGBENCH_CHECK(!its.empty(), "attribution needs at least one profiled iteration");
  for (const auto& s : its) NGBENCH_CHECK(s.end_ns >= s.start_ns, "unclosed iteration span");
  const size_t n_iter = its.size();
  const double iters = static_cast<double>(n_iter);

  // Self time: inclusive minus the inclusive time of direct children.
  std::vector<int64_t> child_ns(recs.size(), 0);
  for (const auto& r : recs) {
    if (r.parent >= 0) child_ns[static_cast<size_t>(r.parent)] += r.duration_ns();
  }

  // Find units, in record order (parents come before children).
  Breakdown out;
  out.iterations = static_cast<int>(n_iter);
  std::vector<int32_t> unit_of(recs.size(), -1);
  std::vector<Unit> units;
  int64_t other_ns = 0;
  for (size_t i = 0; i < recs.size(); ++i) {
    const OpRecord& r = recs[i];
    if (r.thread != 0) {
      if (r.parent < 0) {
        ++out.other_thread_records;
        other_ns += r.duration_ns();
      }
      continue;
    }
    const int32_t p = r.parent;
    if (p >= 0 && unit_of[static_cast<size_t>(p)] >= 0) {
      unit_of[i] = unit_of[static_cast<size_t>(p)];  // inside a unit: charged to it
      continue;
    }
    std::optional<size_t> group;
    if (r.kind == RecordKind::kScope) {
      group = taxonomy.scope_group(r.name);
      if (!group) continue;  // transparent scope
    } else {
      group = taxonomy.op_group(r.name);
    }
    unit_of[i] = static_cast<int32_t>(i);
    const int64_t k = iteration_of(its, r.start_ns);
    if (k < 0) {
      ++out.records_outside_iterations;
      continue;
    }
    units.push_back({static_cast<int32_t>(i), *group, static_cast<size_t>(k)});
  }
  out.other_thread_ms = static_cast<double>(other_ns) / kNsPerMs / iters;

  // Per-iteration sums.
  const auto& groups = taxonomy.groups();
  std::vector<std::vector<double>> group_iter(groups.size(), std::vector<double>(n_iter, 0.0));
  std::vector<double> attributed(n_iter, 0.0);
  struct OpAcc {
    OpStat stat;
    std::map<std::string, ShapeStat> shapes;
  };
  std::unordered_map<std::string, OpAcc> ops;
  for (const Unit& u : units) {
    const OpRecord& r = recs[static_cast<size_t>(u.record)];
    const double ms = static_cast<double>(r.duration_ns()) / kNsPerMs;
    group_iter[u.group][u.iteration] += ms;
    attributed[u.iteration] += ms;
    const auto path = scope_path(recs, u.record);
    const std::string scope = path.empty() ? "" : path.back();
    OpAcc& acc = ops[r.name + '\x1f' + scope + '\x1f' + groups[u.group].name];
    if (acc.stat.name.empty()) {
      acc.stat.iter_ms.assign(n_iter, 0.0);
      acc.stat.name = r.name;
      acc.stat.kind = r.kind;
      acc.stat.group = groups[u.group].name;
      acc.stat.side = groups[u.group].side;
      acc.stat.scope = scope;
    }
    acc.stat.calls += 1;
    acc.stat.total_ms += ms;
    acc.stat.iter_ms[u.iteration] += ms;
    acc.stat.self_ms += static_cast<double>(r.duration_ns() - child_ns[static_cast<size_t>(u.record)]) / kNsPerMs;
    ShapeStat& sh = acc.shapes[signature(r.inputs)];
    if (sh.calls == 0) sh.inputs = r.inputs;
    sh.calls += 1;
    sh.time_ms += ms;
  }

  // Means per iteration, coverage.
  std::vector<double> span_ms(n_iter);
  double coverage = 0;
  for (size_t k = 0; k < n_iter; ++k) {
    span_ms[k] = static_cast<double>(its[k].end_ns - its[k].start_ns) / kNsPerMs;
    coverage += span_ms[k] > 0 ? attributed[k] / span_ms[k] : 0;
  }
  out.coverage = coverage / iters;
  out.profiled_ms = summarize(span_ms);
  double attributed_sum = 0;
  for (double a : attributed) attributed_sum += a;
  out.attributed_ms = attributed_sum / iters;

  for (size_t g = 0; g < groups.size(); ++g) {
    GroupTime gt;
    gt.name = groups[g].name;
    gt.side = groups[g].side;
    gt.iter_ms = group_iter[g];
    for (double v : gt.iter_ms) gt.time_ms += v;
    gt.time_ms /= iters;
    gt.share = out.attributed_ms > 0 ? gt.time_ms / out.attributed_ms : 0;
    out.groups.push_back(std::move(gt));
  }

  for (auto& [key, acc] : ops) {
    OpStat s = std::move(acc.stat);
    s.calls /= iters;
    s.total_ms /= iters;
    s.self_ms /= iters;
    s.share = out.attributed_ms > 0 ? s.total_ms / out.attributed_ms : 0;
    for (auto& [sig, sh] : acc.shapes) {
      sh.calls /= iters;
      sh.time_ms /= iters;
      s.shapes.push_back(std::move(sh));
    }
    std::sort(s.shapes.begin(), s.shapes.end(),
              [](const ShapeStat& a, const ShapeStat& b) { return a.time_ms > b.time_ms; });
    out.ops.push_back(std::move(s));
  }
  std::sort(out.ops.begin(), out.ops.end(), [](const OpStat& a, const OpStat& b) {
    return a.total_ms != b.total_ms ? a.total_ms > b.total_ms : a.name < b.name;
  });

  // Trace of the last iteration.
  const size_t last = n_iter - 1;
  for (const Unit& u : units) {
    if (u.iteration != last) continue;
    const OpRecord& r = recs[static_cast<size_t>(u.record)];
    TraceEvent e;
    e.name = r.name;
    e.kind = r.kind;
    e.group = groups[u.group].name;
    e.scope = scope_path(recs, u.record);
    e.inputs = r.inputs;
    e.start_us = static_cast<double>(r.start_ns - its[last].start_ns) / 1e3;
    e.dur_us = static_cast<double>(r.duration_ns()) / 1e3;
    out.trace.push_back(std::move(e));
  }
  return out;
}

}  // namespace ngbench::attribution
