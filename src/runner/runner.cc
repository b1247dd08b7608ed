#include "runner/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "attribution/attribute.h"
#include "backends/backend.h"
#include "core/allocator.h"
#include "core/atomic_file.h"
#include "core/build_info.h"
#include "core/context.h"
#include "core/error.h"
#include "models/registry.h"
#include "report/raw_trace_json.h"
#include "report/result_files.h"
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

// --attention: a name HF knows, on a model that offers the choice; resolved
// to the model's default when not given, so that results say which ran.
std::string validate_attention(const RunConfig& c, const models::ModelEntry& model) {
  if (c.attention.empty()) return model.default_attention;
  if (c.attention != "eager" && c.attention != "sdpa") {
    throw Error(fmt::format("unknown attention implementation '{}'; valid: eager, sdpa", c.attention));
  }
  if (model.default_attention.empty()) {
    std::vector<std::string> offered;
    for (const auto& m : models::model_registry()) {
      if (!m.default_attention.empty() && !m.for_tests) offered.push_back(m.name);
    }
    throw Error(fmt::format("model {} has a single attention implementation; --attention applies to: {}", c.model,
                            fmt::join(offered, ", ")));
  }
  return c.attention;
}

// The checks of a built-in model on a flow that builds it: sequence length,
// --layers, --attention.
RunConfig validate_built_in(const RunConfig& config, const models::ModelEntry& model) {
  RunConfig c = config;
  if (model.takes_seq_len) {
    if (c.seq_len == 0) c.seq_len = model.default_seq_len;
    if (c.seq_len < 1 || (model.max_seq_len > 0 && c.seq_len > model.max_seq_len)) {
      throw Error(fmt::format("sequence length {} is impossible for {}; valid: 1 to {}", c.seq_len, c.model,
                              model.max_seq_len));
    }
  } else if (c.seq_len != 0) {
    throw Error(fmt::format("model {} takes no sequence length (got {}); omit --seq-len", c.model, c.seq_len));
  }
  if (c.layers < 0 || c.layers > model.layers || (c.layers > 0 && model.layer_scope.empty())) {
    throw Error(fmt::format("--layers {} is impossible for {}; valid: 0 (all){}", c.layers, c.model,
                            model.layer_scope.empty() ? "" : fmt::format(" or 1 to {}", model.layers)));
  }
  c.attention = validate_attention(c, model);
  return c;
}

}  // namespace

int64_t estimate_bytes(const RunConfig& c) {
  // An --onnx model is no built-in one.
  const models::ModelEntry* registered = c.onnx_file.empty() ? &models::find_model(c.model) : nullptr;
  const auto& backend = backends::find_backend(c.flow);
  if (backend.estimate_bytes) return backend.estimate_bytes(c, registered);
  const int64_t layers = c.layers > 0 ? c.layers : registered->layers;
  // The model's estimate is for float32; half-precision halves every tensor.
  return registered->estimate_bytes(c.batch, c.seq_len, layers) / 4 * dtype_bytes(c.dtype);
}

RunConfig validate(const RunConfig& config) {
  RunConfig c = config;
  const auto& backend = backends::find_backend(c.flow);
  if (!c.onnx_file.empty() && !backend.runs_files) {
    throw Error(fmt::format("--onnx runs an ONNX model file; flow '{}' runs built-in models: use --flow ort", c.flow));
  }
  // An --onnx model is no built-in one: its name is the file's stem.
  const models::ModelEntry* registered = c.onnx_file.empty() ? &models::find_model(c.model) : nullptr;
  if (std::find(backend.devices.begin(), backend.devices.end(), c.device) == backend.devices.end()) {
    throw Error(fmt::format("device '{}' is not supported by flow '{}' in this build; valid: {}", c.device, c.flow,
                            fmt::join(backend.devices, ", ")));
  }
  if (std::find(kDtypes.begin(), kDtypes.end(), c.dtype) == kDtypes.end()) {
    throw Error(fmt::format("unknown dtype '{}'; valid: {}", c.dtype, fmt::join(kDtypes, ", ")));
  }
  if (c.batch < 1) throw Error(fmt::format("batch size {} is invalid; it must be at least 1", c.batch));
  c = backend.runs_files ? backend.validate(c, registered) : validate_built_in(c, *registered);
  check_allocator_mode(c.allocator);
  if (c.threads < 0) throw Error(fmt::format("thread count {} is invalid; use 0 (all cores) or more", c.threads));
  if (c.warmup < 0) throw Error(fmt::format("warm-up count {} is invalid; it must be 0 or more", c.warmup));
  if (c.iters < 1) throw Error(fmt::format("iteration count {} is invalid; it must be at least 1", c.iters));
  if (c.profile_iters < 1) {
    throw Error(fmt::format("profiled iteration count {} is invalid; it must be at least 1", c.profile_iters));
  }
  if (!c.images.empty() && !std::filesystem::exists(c.images)) {
    throw Error(fmt::format("image path '{}' does not exist; give an image file or a directory of images",
                            c.images));
  }
  load_taxonomy(c, backend);  // a bad rule file fails here, before anything runs
  const int64_t need = estimate_bytes(c);
  const int64_t have = available_memory_bytes();
  if (have > 0 && need > have) {
    // Suggest the deepest depth-scaled build that fits, if any.
    std::string hint = "use a smaller batch or sequence length";
    if (!backend.runs_files && !registered->layer_scope.empty()) {
      RunConfig shallower = c;
      for (int64_t n = (c.layers > 0 ? c.layers : registered->layers) - 1; n >= 1; --n) {
        shallower.layers = n;
        if (estimate_bytes(shallower) <= have) {
          hint += fmt::format(", or profile {} of its {} layers with --layers {} (depth-scaled)", n,
                              registered->layers, n);
          break;
        }
      }
    }
    throw Error(fmt::format("{} at batch {}{}{} needs about {:.1f} GiB (weights and activations, {}) but {:.1f} GiB "
                            "is available; {}",
                            c.model, c.batch, c.seq_len > 0 ? fmt::format(", seq {}", c.seq_len) : "",
                            c.layers > 0 ? fmt::format(", {} layers", c.layers) : "", gib(need), c.dtype, gib(have),
                            hint));
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
  ctx.allocator = describe_allocator(config.allocator);
  try {
    apply_allocator(config.allocator);
    attribution::AttributionOptions ao;  // depth scaling for --layers
    const auto& entry = backends::find_backend(config.flow);
    if (!config.onnx_file.empty()) {
      r.model = entry.describe_file(config);
    } else {
      const auto& model = models::find_model(config.model);
      r.model = {model.task, model.reference, model.parameters};
      if (config.layers > 0 && config.layers < model.layers) {
        ao.layer_scope = model.layer_scope;
        ao.layer_factor = static_cast<double>(model.layers) / static_cast<double>(config.layers);
      }
    }
    const auto taxonomy = load_taxonomy(config, entry);
    ctx.taxonomy = taxonomy.flow() + "@" + taxonomy.version();
    auto backend = entry.create();
    backends::Measurement m = backend->measure(config);
    if (config.raw_trace) {
      const auto dir = std::filesystem::path(config.out_dir) / "raw";
      ensure_writable_dir(dir.string());
      write_file_atomically((dir / (report::result_stem(config) + ".json")).string(),
                            report::raw_trace_to_json(m.trace).dump() + "\n");
    }
    ctx.threads = m.threads;
    ctx.interop_threads = m.interop_threads;
    ctx.torch_version = m.runtime_version;
    r.config.threads = m.threads;
    r.latency_ms = summarize(m.timed_ms);
    r.page_faults_per_iter = m.page_faults_per_iter;
    r.breakdown = attribution::attribute(m.trace, taxonomy, ao);
    r.energy = m.energy;
    r.inputs = m.inputs;
    r.workload_counts = m.workload_counts;
    r.overhead = r.latency_ms.median > 0 ? r.breakdown.profiled_ms.median / r.latency_ms.median : 0;
    if (r.breakdown.basis == "device" && r.latency_ms.median > 0) {
      r.breakdown.device.busy_fraction_timed = std::min(1.0, r.breakdown.device.busy_ms / r.latency_ms.median);
    }
    if (!ao.layer_scope.empty()) {
      Extrapolation& x = r.extrapolation;
      x.applied = true;
      x.layers_built = config.layers;
      x.layers_total = static_cast<int64_t>(ao.layer_factor * static_cast<double>(config.layers) + 0.5);
      x.factor = ao.layer_factor;
      x.layer_scope = ao.layer_scope;
      x.latency_ms = r.latency_ms.median * r.breakdown.depth_scale;
    }
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
