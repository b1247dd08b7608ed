#include "runner/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "attribution/attribute.h"
#include "backends/backend.h"
#include "core/build_info.h"
#include "core/context.h"
#include "core/error.h"
#include "models/registry.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::runner {

namespace {

const std::vector<std::string> kDtypes = {"float32", "bfloat16", "float16"};

double gib(int64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0); }

int64_t dtype_bytes(const std::string& dtype) { return dtype == "float32" ? 4 : 2; }

taxonomy::Taxonomy load_taxonomy(const RunConfig& c, const backends::BackendEntry& backend) {
  return c.taxonomy_file.empty() ? taxonomy::Taxonomy::builtin(backend.taxonomy)
                                 : taxonomy::Taxonomy::load_file(c.taxonomy_file);
}

}  // namespace

int64_t estimate_bytes(const RunConfig& c) {
  const auto& model = models::find_model(c.model);
  // The model's estimate is for float32; half-precision halves every tensor.
  return model.estimate_bytes(c.batch, c.seq_len) / 4 * dtype_bytes(c.dtype);
}

RunConfig validate(const RunConfig& config) {
  RunConfig c = config;
  const auto& model = models::find_model(c.model);
  const auto& backend = backends::find_backend(c.flow);
  if (std::find(backend.devices.begin(), backend.devices.end(), c.device) == backend.devices.end()) {
    throw Error(fmt::format("device '{}' is not supported by flow '{}' in this build; valid: {}", c.device, c.flow,
                            fmt::join(backend.devices, ", ")));
  }
  if (std::find(kDtypes.begin(), kDtypes.end(), c.dtype) == kDtypes.end()) {
    throw Error(fmt::format("unknown dtype '{}'; valid: {}", c.dtype, fmt::join(kDtypes, ", ")));
  }
  if (c.batch < 1) throw Error(fmt::format("batch size {} is invalid; it must be at least 1", c.batch));
  if (model.takes_seq_len) {
    if (c.seq_len == 0) c.seq_len = model.default_seq_len;
    if (c.seq_len < 1 || (model.max_seq_len > 0 && c.seq_len > model.max_seq_len)) {
      throw Error(fmt::format("sequence length {} is impossible for {}; valid: 1 to {}", c.seq_len, c.model,
                              model.max_seq_len));
    }
  } else if (c.seq_len != 0) {
    throw Error(fmt::format("model {} takes no sequence length (got {}); omit --seq-len", c.model, c.seq_len));
  }
  if (c.threads < 0) throw Error(fmt::format("thread count {} is invalid; use 0 (all cores) or more", c.threads));
  if (c.warmup < 0) throw Error(fmt::format("warm-up count {} is invalid; it must be 0 or more", c.warmup));
  if (c.iters < 1) throw Error(fmt::format("iteration count {} is invalid; it must be at least 1", c.iters));
  if (c.profile_iters < 1) {
    throw Error(fmt::format("profiled iteration count {} is invalid; it must be at least 1", c.profile_iters));
  }
  load_taxonomy(c, backend);  // a bad rule file fails here, before anything runs
  const int64_t need = estimate_bytes(c);
  const int64_t have = available_memory_bytes();
  if (have > 0 && need > have) {
    throw Error(fmt::format(
        "{} at batch {}{} needs about {:.1f} GiB (weights and activations, {}) but {:.1f} GiB is available; "
        "use a smaller batch or sequence length",
        c.model, c.batch, model.takes_seq_len ? fmt::format(", seq {}", c.seq_len) : "", gib(need), c.dtype,
        gib(have)));
  }
  return c;
}

RunResult run_one(const RunConfig& config, const std::string& command_line) {
  RunResult r;
  r.config = config;
  const BuildInfo& build = build_info();
  RunContext& ctx = r.context;
  ctx.machine = probe_machine();
  ctx.ngbench_version = build.version;
  ctx.git_commit = build.git_commit;
  ctx.git_dirty = build.git_dirty;
  ctx.build_type = build.build_type;
  ctx.compiler = fmt::format("{} {}", "g++", __VERSION__);
  ctx.torch_version = build.torch_version;
  ctx.timestamp = utc_timestamp();
  ctx.command_line = command_line;
  try {
    const auto& model = models::find_model(config.model);
    r.model = {model.task, model.reference, model.parameters};
    const auto& entry = backends::find_backend(config.flow);
    const auto taxonomy = load_taxonomy(config, entry);
    ctx.taxonomy = taxonomy.flow() + "@" + taxonomy.version();
    auto backend = entry.create();
    backends::Measurement m = backend->measure(config);
    ctx.threads = m.threads;
    ctx.interop_threads = m.interop_threads;
    ctx.torch_version = m.runtime_version;
    r.config.threads = m.threads;
    r.latency_ms = summarize(m.timed_ms);
    r.breakdown = attribution::attribute(m.trace, taxonomy);
    r.overhead = r.latency_ms.median > 0 ? r.breakdown.profiled_ms.median / r.latency_ms.median : 0;
  } catch (const std::exception& e) {
    // One line: the first line of what libtorch or ngbench said.
    std::string msg = e.what();
    msg = msg.substr(0, msg.find('\n'));
    r.status = "failed";
    r.error = msg;
  }
  return r;
}

std::vector<RunConfig> validate_sweep(const SweepConfig& sweep) {
  std::vector<RunConfig> configs;
  for (const auto& c : sweep.expand()) configs.push_back(validate(c));
  return configs;
}

std::vector<RunResult> run_configs(const std::vector<RunConfig>& configs,
                                   const std::vector<report::Reporter*>& reporters, const std::string& command_line) {
  std::vector<RunResult> results;
  for (const auto& c : configs) {
    results.push_back(run_one(c, command_line));
    for (auto* rep : reporters) rep->report(results.back());
  }
  for (auto* rep : reporters) rep->finalize();
  return results;
}

}  // namespace ngbench::runner
