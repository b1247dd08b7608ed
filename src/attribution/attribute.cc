// Map: find_units (units.cc) -> host sums per iteration -> ops table -> trace;
// then, when the trace has device activity, the device basis (device.cc).
#include "attribution/attribute.h"

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>

#include "attribution/device.h"
#include "attribution/units.h"
#include "core/error.h"

namespace ngbench::attribution {

namespace {

constexpr double kNsPerMs = 1e6;

struct OpAcc {
  OpStat stat;
  std::map<std::string, ShapeStat> shapes;
};

double ms(int64_t ns) { return static_cast<double>(ns) / kNsPerMs; }

}  // namespace

Breakdown attribute(const ProfiledTrace& trace, const taxonomy::Taxonomy& taxonomy,
                    const AttributionOptions& options) {
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

  const detail::Units found = detail::find_units(trace, taxonomy, options.layer_scope, options.layer_factor);
  Breakdown out;
  out.iterations = static_cast<int>(n_iter);
  out.other_thread_records = found.other_thread_records;
  out.other_thread_ms = ms(found.other_thread_ns) / iters;

  const auto& groups = taxonomy.groups();
  std::vector<std::vector<double>> group_iter(groups.size(), std::vector<double>(n_iter, 0.0));
  std::vector<double> attributed(n_iter, 0.0);  // depth-scaled
  std::vector<double> measured(n_iter, 0.0);    // as run, for coverage
  std::unordered_map<std::string, OpAcc> ops;
  for (const auto& u : found.units) {
    if (u.iteration < 0) {
      ++out.records_outside_iterations;
      continue;
    }
    const auto k = static_cast<size_t>(u.iteration);
    const OpRecord& r = recs[static_cast<size_t>(u.record)];
    const double t = ms(r.duration_ns()) * u.weight;
    group_iter[u.group][k] += t;
    attributed[k] += t;
    measured[k] += ms(r.duration_ns());
    OpAcc& acc = ops[u.key];
    if (acc.stat.name.empty()) {
      acc.stat.iter_ms.assign(n_iter, 0.0);
      acc.stat.name = r.name;
      acc.stat.kind = r.kind;
      acc.stat.group = groups[u.group].name;
      acc.stat.side = groups[u.group].side;
      acc.stat.scope = u.scope;
    }
    acc.stat.calls += u.weight;
    acc.stat.total_ms += t;
    acc.stat.iter_ms[k] += t;
    acc.stat.self_ms += ms(r.duration_ns() - child_ns[static_cast<size_t>(u.record)]) * u.weight;
    ShapeStat& sh = acc.shapes[signature(r.inputs)];
    if (sh.calls == 0) sh.inputs = r.inputs;
    sh.calls += u.weight;
    sh.time_ms += t;
  }

  // Every op record inside a unit of an iteration (the unit itself and what it nests), weighted as its unit.
  double op_calls = 0;
  for (size_t i = 0; i < recs.size(); ++i) {
    const int32_t u = found.unit_of_record[i];
    if (u < 0 || recs[i].kind != RecordKind::kOp) continue;
    const detail::Unit& unit = found.units[static_cast<size_t>(u)];
    if (unit.iteration >= 0) op_calls += unit.weight;
  }
  out.dispatcher_ops = op_calls / iters;

  // Means per iteration, coverage.
  std::vector<double> span_ms(n_iter);
  double coverage = 0;
  for (size_t k = 0; k < n_iter; ++k) {
    span_ms[k] = ms(its[k].end_ns - its[k].start_ns);
    coverage += span_ms[k] > 0 ? measured[k] / span_ms[k] : 0;
  }
  out.coverage = coverage / iters;
  out.profiled_ms = summarize(span_ms);
  double attributed_sum = 0, measured_sum = 0;
  for (size_t k = 0; k < n_iter; ++k) {
    attributed_sum += attributed[k];
    measured_sum += measured[k];
  }
  out.attributed_ms = attributed_sum / iters;
  out.depth_scale = measured_sum > 0 ? attributed_sum / measured_sum : 1;

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

  std::unordered_map<std::string, size_t> row_of_key;
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
    row_of_key[key] = out.ops.size();
    out.ops.push_back(std::move(s));
  }

  // Trace of the last iteration.
  const size_t last = n_iter - 1;
  for (const auto& u : found.units) {
    if (u.iteration != static_cast<int64_t>(last)) continue;
    const OpRecord& r = recs[static_cast<size_t>(u.record)];
    TraceEvent e;
    e.name = r.name;
    e.kind = r.kind;
    e.group = groups[u.group].name;
    e.scope = detail::scope_path(recs, u.record);
    e.inputs = r.inputs;
    e.start_us = static_cast<double>(r.start_ns - its[last].start_ns) / 1e3;
    e.dur_us = static_cast<double>(r.duration_ns()) / 1e3;
    out.trace.push_back(std::move(e));
  }

  if (!trace.device.empty()) detail::apply_device_basis(trace, taxonomy, found, row_of_key, out);

  std::sort(out.ops.begin(), out.ops.end(), [](const OpStat& a, const OpStat& b) {
    return a.share != b.share ? a.share > b.share : a.name < b.name;
  });
  return out;
}

}  // namespace ngbench::attribution
