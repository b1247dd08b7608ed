#include "attribution/units.h"

#include <algorithm>
#include <optional>

namespace ngbench::attribution::detail {

std::vector<std::string> scope_path(const std::vector<OpRecord>& recs, int32_t i) {
  std::vector<std::string> path;
  for (int32_t p = recs[static_cast<size_t>(i)].parent; p >= 0; p = recs[static_cast<size_t>(p)].parent) {
    if (recs[static_cast<size_t>(p)].kind == RecordKind::kScope) path.push_back(recs[static_cast<size_t>(p)].name);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

int64_t iteration_of(const std::vector<IterationSpan>& its, int64_t t) {
  auto it = std::upper_bound(its.begin(), its.end(), t,
                             [](int64_t v, const IterationSpan& s) { return v < s.start_ns; });
  if (it == its.begin()) return -1;
  --it;
  return t <= it->end_ns ? it - its.begin() : -1;
}

Units find_units(const ProfiledTrace& trace, const taxonomy::Taxonomy& taxonomy, const std::string& layer_scope,
                 double layer_factor) {
  const auto& recs = trace.records;
  Units out;
  out.unit_of_record.assign(recs.size(), -1);
  // Parents come before children, so one pass suffices.
  for (size_t i = 0; i < recs.size(); ++i) {
    const OpRecord& r = recs[i];
    if (r.thread != 0) {
      if (r.parent < 0) {
        ++out.other_thread_records;
        out.other_thread_ns += r.duration_ns();
      }
      continue;
    }
    const int32_t p = r.parent;
    if (p >= 0 && out.unit_of_record[static_cast<size_t>(p)] >= 0) {
      out.unit_of_record[i] = out.unit_of_record[static_cast<size_t>(p)];  // inside a unit: charged to it
      continue;
    }
    std::optional<size_t> group;
    if (r.kind == RecordKind::kScope) {
      group = taxonomy.scope_group(r.name);
      if (!group) continue;  // a transparent scope
    } else {
      group = taxonomy.op_group(r.name);
    }
    Unit u;
    u.record = static_cast<int32_t>(i);
    u.group = *group;
    u.iteration = iteration_of(trace.iterations, r.start_ns);
    const auto path = scope_path(recs, u.record);
    u.scope = path.empty() ? "" : path.back();
    if (!layer_scope.empty() && std::find(path.begin(), path.end(), layer_scope) != path.end()) {
      u.weight = layer_factor;
    }
    u.key = r.name + '\x1f' + u.scope + '\x1f' + taxonomy.groups()[u.group].name;
    out.unit_of_record[i] = static_cast<int32_t>(out.units.size());
    out.units.push_back(std::move(u));
  }
  return out;
}

}  // namespace ngbench::attribution::detail
