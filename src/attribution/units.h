#pragma once
// Internal to attribution: the units found in a trace (see attribute.h).
#include <cstdint>
#include <string>
#include <vector>

#include "core/op_record.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::attribution::detail {

struct Unit {
  int32_t record;     // index of the op or module record that is the unit
  size_t group;       // taxonomy group
  int64_t iteration;  // profiled iteration holding its start; -1: none
  std::string scope;  // innermost enclosing module scope, "" at top level
  std::string key;    // ops-table row: name, scope and group
  double weight = 1;  // depth-scaling factor: L / N inside a repeated layer, else 1
};

struct Units {
  std::vector<Unit> units;
  std::vector<int32_t> unit_of_record;  // record -> index into units; -1: not in a unit
  int64_t other_thread_records = 0;
  int64_t other_thread_ns = 0;
};

// Finds the units of the model's thread (thread 0), in record order; units
// inside a scope named `layer_scope` get weight `layer_factor`.
Units find_units(const ProfiledTrace& trace, const taxonomy::Taxonomy& taxonomy, const std::string& layer_scope = "",
                 double layer_factor = 1.0);

// Scope names enclosing record i (excluding i itself), outermost first.
std::vector<std::string> scope_path(const std::vector<OpRecord>& recs, int32_t i);

// Index of the iteration whose span holds t, or -1.
int64_t iteration_of(const std::vector<IterationSpan>& its, int64_t t);

}  // namespace ngbench::attribution::detail
