#pragma once
// Attribution: turns the records of a profiled phase into a breakdown by
// operator and group, counting every nanosecond at most once.
//
// The unit of attribution is an outermost operator (an op with no enclosing op)
// or a module that a scope rule of the taxonomy makes one operator. A unit's
// time is its inclusive time, so ops nested inside it (aten::linear ->
// aten::addmm) are charged to it and never counted again. Module scopes that no
// rule names are transparent: the ops inside them are units of their own, and
// the scopes only label them. Units are attributed to the profiled iteration
// whose span holds their start; only the model's thread (0) is attributed, since
// time on other threads overlaps it (their ops are counted and reported apart).
#include "core/op_record.h"
#include "core/run_result.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::attribution {

// Depth scaling: a model built with N of its L repeated layers is characterized
// by scaling the time of every unit inside a layer (a scope named `layer_scope`)
// by L / N; units outside the layers (embeddings, head) count once. Coverage,
// the trace and the device reconciliation stay as measured.
struct AttributionOptions {
  std::string layer_scope;    // empty: no scaling
  double layer_factor = 1.0;  // L / N
};

// Requires trace.iterations to be non-empty and each span closed.
Breakdown attribute(const ProfiledTrace& trace, const taxonomy::Taxonomy& taxonomy,
                    const AttributionOptions& options = {});

}  // namespace ngbench::attribution
