#include "attribution/device.h"

#include <algorithm>
#include <map>

namespace ngbench::attribution::detail {

namespace {

constexpr double kNsPerMs = 1e6;

double ms(int64_t ns) { return static_cast<double>(ns) / kNsPerMs; }

// Length of the union of intervals.
int64_t union_ns(std::vector<std::pair<int64_t, int64_t>> iv) {
  std::sort(iv.begin(), iv.end());
  int64_t total = 0, start = 0, end = -1;
  bool open = false;
  for (const auto& [s, e] : iv) {
    if (!open || s > end) {
      if (open) total += end - start;
      start = s;
      end = e;
      open = true;
    } else {
      end = std::max(end, e);
    }
  }
  if (open) total += end - start;
  return total;
}

}  // namespace

void apply_device_basis(const ProfiledTrace& trace, const taxonomy::Taxonomy& taxonomy, const Units& units,
                        const std::unordered_map<std::string, size_t>& row_of_key, Breakdown& out) {
  const auto& its = trace.iterations;
  const size_t n_iter = its.size();
  const double iters = static_cast<double>(n_iter);

  // Device groups: the taxonomy's, then Memcpy and Memset, then Unclassified.
  std::vector<std::pair<std::string, Side>> groups;
  for (size_t g = 0; g < taxonomy.unclassified(); ++g) groups.emplace_back(taxonomy.groups()[g].name, taxonomy.groups()[g].side);
  const size_t memcpy_g = groups.size();
  groups.emplace_back(kMemcpyGroup, Side::kNonGemm);
  const size_t memset_g = groups.size();
  groups.emplace_back(kMemsetGroup, Side::kNonGemm);
  const size_t unclassified_g = groups.size();
  groups.emplace_back(taxonomy::kUnclassified, Side::kNonGemm);

  std::vector<std::vector<double>> group_iter(groups.size(), std::vector<double>(n_iter, 0.0));
  std::vector<std::vector<double>> op_iter(out.ops.size(), std::vector<double>(n_iter, 0.0));
  std::vector<std::vector<std::pair<int64_t, int64_t>>> intervals(n_iter);
  std::map<std::pair<std::string, size_t>, OpStat> extra;  // memcpy, memset and unlaunched rows
  std::map<std::pair<std::string, size_t>, std::vector<double>> extra_iter;
  double kernels = 0, activity = 0, attributed_activity = 0, scaled_activity = 0;

  for (const DeviceRecord& d : trace.device) {
    const int64_t k = iteration_of(its, d.start_ns);
    if (k < 0) {
      ++out.records_outside_iterations;
      continue;
    }
    const double measured_ms = ms(d.duration_ns());
    intervals[static_cast<size_t>(k)].emplace_back(d.start_ns, d.end_ns);
    activity += measured_ms;
    kernels += d.kind == DeviceRecord::Kind::kKernel ? 1 : 0;
    const int32_t unit =
        d.launched_by >= 0 && static_cast<size_t>(d.launched_by) < units.unit_of_record.size()
            ? units.unit_of_record[static_cast<size_t>(d.launched_by)]
            : -1;
    if (unit >= 0) attributed_activity += measured_ms;
    // Depth scaling applies to the groups, not to the measured reconciliation.
    const double t = measured_ms * (unit >= 0 ? units.units[static_cast<size_t>(unit)].weight : 1.0);
    scaled_activity += t;
    if (d.kind == DeviceRecord::Kind::kKernel && unit >= 0) {
      const Unit& u = units.units[static_cast<size_t>(unit)];
      const size_t g = u.group == taxonomy.unclassified() ? unclassified_g : u.group;
      group_iter[g][static_cast<size_t>(k)] += t;
      const auto row = row_of_key.find(u.key);
      if (row != row_of_key.end()) op_iter[row->second][static_cast<size_t>(k)] += t;
      continue;
    }
    // Copies and sets get their own rows; activity with no known launcher is Unclassified.
    const size_t g = d.kind == DeviceRecord::Kind::kMemcpy   ? memcpy_g
                     : d.kind == DeviceRecord::Kind::kMemset ? memset_g
                                                             : unclassified_g;
    group_iter[g][static_cast<size_t>(k)] += t;
    const auto key = std::make_pair(d.name, g);
    OpStat& s = extra[key];
    if (s.name.empty()) {
      s.name = d.name;
      s.group = groups[g].first;
      s.side = Side::kNonGemm;
      s.scope = unit >= 0 ? trace.records[static_cast<size_t>(units.units[static_cast<size_t>(unit)].record)].name : "";
      extra_iter[key].assign(n_iter, 0.0);
    }
    s.calls += 1.0 / iters;
    extra_iter[key][static_cast<size_t>(k)] += t;
  }

  // Reconciliation per iteration: span = busy + idle.
  DeviceSummary& dev = out.device;
  dev.host_groups = std::move(out.groups);
  for (size_t k = 0; k < n_iter; ++k) {
    const double span = ms(its[k].end_ns - its[k].start_ns);
    const double busy = ms(union_ns(intervals[k]));
    dev.busy_iter_ms.push_back(busy);
    dev.span_ms += span / iters;
    dev.busy_ms += busy / iters;
  }
  dev.idle_ms = dev.span_ms - dev.busy_ms;
  dev.busy_fraction = dev.span_ms > 0 ? dev.busy_ms / dev.span_ms : 0;
  dev.activity_ms = activity / iters;
  dev.attributed_ms = attributed_activity / iters;
  dev.kernels = kernels / iters;

  // The groups and ops become device time.
  out.groups.clear();
  double total = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    GroupTime gt;
    gt.name = groups[g].first;
    gt.side = groups[g].second;
    gt.iter_ms = group_iter[g];
    for (double v : gt.iter_ms) gt.time_ms += v / iters;
    total += gt.time_ms;
    out.groups.push_back(std::move(gt));
  }
  out.attributed_ms = total;
  for (auto& g : out.groups) g.share = total > 0 ? g.time_ms / total : 0;
  for (size_t i = 0; i < out.ops.size(); ++i) {
    OpStat& s = out.ops[i];
    s.iter_ms = op_iter[i];
    s.device_ms = 0;
    for (double v : s.iter_ms) s.device_ms += v / iters;
    s.share = total > 0 ? s.device_ms / total : 0;
  }
  for (auto& [key, s] : extra) {
    s.iter_ms = extra_iter[key];
    for (double v : s.iter_ms) s.device_ms += v / iters;
    s.share = total > 0 ? s.device_ms / total : 0;
    out.ops.push_back(std::move(s));
  }
  out.basis = "device";
  out.depth_scale = activity > 0 ? scaled_activity / activity : 1;
}

}  // namespace ngbench::attribution::detail
