// The defaults of Backend's optional methods: the checks, memory estimate and
// summary of a built-in model (models/configure.h). Flows that run other
// models (files) override them.
#include "backends/backend.h"

#include "core/error.h"
#include "models/configure.h"

namespace ngbench::backends {

RunConfig Backend::validate(const RunConfig& config) const { return models::resolve_config(config); }

int64_t Backend::estimate_bytes(const RunConfig& config) const { return models::estimate_bytes(config); }

void Backend::start_sequence() { throw Error("this flow cannot generate (--phase decode)"); }

ModelSummary Backend::describe_model(const RunConfig& config) const {
  return models::summary(models::find_model(config.model));
}

}  // namespace ngbench::backends
