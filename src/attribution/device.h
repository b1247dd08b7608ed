#pragma once
// Internal to attribution: the device basis of a run with device activity.
//
// Each kernel, memcpy and memset is charged to the unit (outermost operator or
// rule-named module) that launched it, through its launching op's record;
// memcpy and memset get rows of their own ("Memcpy", "Memset"); activity whose
// launcher is unknown goes to Unclassified, listed like any unclassified op.
// Host time is never added to device time: the groups become kernel time, the
// host groups are kept apart, and the iteration is reconciled as
// span = busy (union of activity intervals) + idle.
#include <string>
#include <unordered_map>

#include "attribution/units.h"
#include "core/run_result.h"

namespace ngbench::attribution::detail {

inline constexpr const char* kMemcpyGroup = "Memcpy";
inline constexpr const char* kMemsetGroup = "Memset";

// Rewrites `out` (a host breakdown of `trace`) onto the device basis.
// `row_of_key` maps a unit's key to its row in out.ops.
void apply_device_basis(const ProfiledTrace& trace, const taxonomy::Taxonomy& taxonomy, const Units& units,
                        const std::unordered_map<std::string, size_t>& row_of_key, Breakdown& out);

}  // namespace ngbench::attribution::detail
