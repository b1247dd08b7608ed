// Map: validate() checks the parts every flow shares (flow and device, the
// flow's own options, dtype, counts, allocator), then asks the backend to check
// the rest and the memory guard to agree; run_one() measures (measure.h),
// attributes and fills a RunResult; run_configs() hands results to reporters.
#include "runner/runner.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "attribution/attribute.h"
#include "backends/backend.h"
#include "core/allocator.h"
#include "core/atomic_file.h"
#include "core/build_info.h"
#include "core/context.h"
#include "core/error.h"
#include "core/result_name.h"
#include "core/stability.h"
#include "core/warning.h"
#include "models/registry.h"
#include "report/raw_trace_json.h"
#include "report/result_files.h"
#include "runner/decode_summary.h"
#include "runner/measure.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::runner {

namespace {

const std::vector<std::string> kDtypes = {"float32", "bfloat16", "float16"};

double gib(int64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0); }

taxonomy::Taxonomy load_taxonomy(const RunConfig& c, const backends::BackendEntry& backend) {
  return c.taxonomy_file.empty() ? taxonomy::Taxonomy::builtin(backend.taxonomy)
                                 : taxonomy::Taxonomy::load_file(c.taxonomy_file);
}

// A user's rule file must be written for the flow's operator names; moving an
// operator the built-in rules count as GEMM to the non-GEMM side changes the
// paper's split itself, so it is said, once per operator.
void check_user_taxonomy(const RunConfig& c, const backends::BackendEntry& backend) {
  if (c.taxonomy_file.empty()) return;
  const auto user = taxonomy::Taxonomy::load_file(c.taxonomy_file);
  if (user.flow() != backend.taxonomy) {
    throw Error(fmt::format("taxonomy file {} holds rules of flow '{}'; flow '{}' needs rules of flow '{}' (start "
                            "from taxonomy/{}.json)",
                            c.taxonomy_file, user.flow(), c.flow, backend.taxonomy, backend.taxonomy));
  }
  const auto builtin = taxonomy::Taxonomy::builtin(backend.taxonomy);
  for (const auto& rule : builtin.rules()) {
    if (rule.kind != taxonomy::Rule::Kind::kOp || builtin.groups()[rule.group].side != Side::kGemm) continue;
    for (const auto& op : rule.names) {
      const auto& g = user.groups()[user.op_group(op)];
      if (g.side != Side::kGemm) {
        warn_once(fmt::format("taxonomy file {} moves {} from GEMM ({}) to {} (non-GEMM side)", c.taxonomy_file, op,
                              builtin.groups()[rule.group].name, g.name));
      }
    }
  }
}

// More threads than this only measures the scheduler.
constexpr int kMaxThreadsPerCpu = 4;

// Every backend option given is one the configuration's flow declares; a model
// file runs only on a flow that takes one.
void check_backend_options(const RunConfig& c, const backends::BackendEntry& entry) {
  using Kind = backends::BackendOption::Kind;
  auto declares = [&](auto pred) { return std::any_of(entry.options.begin(), entry.options.end(), pred); };
  const auto all = backends::backend_options();
  for (const auto& option : c.backend_options) {
    const std::string& name = option.first;
    if (declares([&](const backends::BackendOption& o) { return o.name == name; })) continue;
    const auto owner = std::find_if(all.begin(), all.end(), [&](const auto& f) { return f.option.name == name; });
    if (owner == all.end()) throw Error(fmt::format("unknown option '{}' for flow '{}'", name, c.flow));
    throw Error(fmt::format("--{} applies to flow {}; this configuration runs flow '{}'", name, owner->flow, c.flow));
  }
  if (!c.model_file.empty() && !declares([](const backends::BackendOption& o) { return o.kind == Kind::kModelFile; })) {
    std::vector<std::string> takers;
    for (const auto& f : all) {
      if (f.option.kind == Kind::kModelFile) takers.push_back("--flow " + f.flow);
    }
    throw Error(fmt::format("model file '{}': flow '{}' runs built-in models (ngbench list models){}", c.model_file,
                            c.flow, takers.empty() ? "" : fmt::format("; use {}", fmt::join(takers, " or "))));
  }
}

// The checks every flow shares: numbers and names that mean the same everywhere.
void check_common(const RunConfig& c) {
  if (std::find(kDtypes.begin(), kDtypes.end(), c.dtype) == kDtypes.end()) {
    throw Error(fmt::format("unknown dtype '{}'; valid: {}", c.dtype, fmt::join(kDtypes, ", ")));
  }
  if (c.batch < 1) throw Error(fmt::format("batch size {} is invalid; it must be at least 1", c.batch));
  check_allocator_mode(c.allocator);
  const int cpus = std::max(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
  if (c.threads < 0 || c.threads > kMaxThreadsPerCpu * cpus) {
    throw Error(fmt::format("thread count {} is invalid; valid: 0 (one per logical CPU) to {} ({} x this machine's {} "
                            "logical CPUs: more threads only measure the scheduler)",
                            c.threads, kMaxThreadsPerCpu * cpus, kMaxThreadsPerCpu, cpus));
  }
  if (c.warmup < 0) throw Error(fmt::format("warm-up count {} is invalid; it must be 0 or more", c.warmup));
  if (!(c.warmup_max_s >= 0) || !std::isfinite(c.warmup_max_s)) {
    throw Error(fmt::format("warm-up time {} s is invalid; it must be 0 or more seconds", c.warmup_max_s));
  }
  if (c.iters < 1) throw Error(fmt::format("iteration count {} is invalid; it must be at least 1", c.iters));
  for (const auto& [flag, v] : {std::pair{"--min-time", c.min_time_s}, std::pair{"--max-time", c.max_time_s}}) {
    if (!(v >= 0) || !std::isfinite(v)) throw Error(fmt::format("{} {} is invalid; it must be 0 or more seconds", flag, v));
  }
  if (!(c.target_ci > 0 && c.target_ci < 1)) {
    throw Error(fmt::format("--target-ci {} is invalid; valid: a fraction between 0 and 1 (0.02 is 2%)", c.target_ci));
  }
  if (c.profile_iters < 1) {
    throw Error(fmt::format("profiled iteration count {} is invalid; it must be at least 1", c.profile_iters));
  }
}

// --phase, --kv-cache and --gen-tokens: a phase ngbench knows, on a flow that builds the models and so can
// generate; the model's side (a decoder, its positions) is checked by the backend (models/configure.h).
void check_phase(const RunConfig& c, const backends::BackendEntry& entry) {
  if (c.phase != "prefill" && c.phase != "decode") {
    throw Error(fmt::format("unknown phase '{}'; valid: prefill, decode", c.phase));
  }
  if (entry.generates) return;
  std::vector<std::string> flows;
  for (const auto& e : backends::backend_registry()) {
    if (e.generates) flows.push_back(e.flow + " (" + e.device + ")");
  }
  const std::string where = flows.empty() ? "none in this build" : fmt::format("{}", fmt::join(flows, ", "));
  if (c.phase == "decode") {
    throw Error(fmt::format("flow {} runs one forward pass of a compiled or exported model and cannot generate; "
                            "--phase decode runs on: {}", c.flow, where));
  }
  if (!c.kv_cache.empty()) {
    throw Error(fmt::format("flow {} runs the model as exported (without a KV cache); --kv-cache applies to: {}",
                            c.flow, where));
  }
  if (c.gen_tokens != RunConfig().gen_tokens) {
    throw Error(fmt::format("--gen-tokens applies to --phase decode, which runs on: {}", where));
  }
}

// The memory guard: refuses what would not fit and suggests the deepest
// depth-scaled build that does, when the flow accepts one.
void check_memory(const RunConfig& c, const backends::Backend& backend) {
  const int64_t need = backend.estimate_bytes(c);
  const int64_t have = available_memory_bytes();
  if (have <= 0 || need <= have) return;
  std::string hint = "use a smaller batch or sequence length";
  if (c.model_file.empty()) {
    const models::ModelEntry& model = models::find_model(c.model);
    RunConfig shallower = c;
    for (int64_t n = (c.layers > 0 ? c.layers : model.layers) - 1; n >= 1 && !model.layer_scope.empty(); --n) {
      shallower.layers = n;
      try {
        if (backend.estimate_bytes(backend.validate(shallower)) > have) continue;
      } catch (const Error&) {
        break;  // the flow does not build part of a model
      }
      hint += fmt::format(", or profile {} of its {} layers with --layers {} (depth-scaled)", n, model.layers, n);
      break;
    }
  }
  throw Error(fmt::format("{} at batch {}{}{} needs about {:.1f} GiB (weights and activations, {}) but {:.1f} GiB "
                          "is available; {}",
                          c.model, c.batch, c.seq_len > 0 ? fmt::format(", seq {}", c.seq_len) : "",
                          c.layers > 0 ? fmt::format(", {} layers", c.layers) : "", gib(need), c.dtype, gib(have),
                          hint));
}

// The first setting in which a file's identity and this run's differ (core/result_name.h).
std::string first_difference(const std::string& file, const std::string& run) {
  const auto jf = nlohmann::json::parse(file), jr = nlohmann::json::parse(run);
  for (const auto& [key, value] : jr.items()) {
    if (!jf.contains(key) || jf[key] != value) {
      return fmt::format("{} {} there, {} here", key, jf.contains(key) ? jf[key].dump() : "absent", value.dump());
    }
  }
  return "settings differ";
}

// A result file of the configuration's name that holds another configuration
// (a result of an older ngbench, whose names carried fewer settings) is never
// replaced unless --overwrite says so.
void check_existing_result(const RunConfig& c) {
  const auto path = std::filesystem::path(c.out_dir) / (result_stem(c) + ".json");
  std::error_code ec;
  if (c.overwrite || !std::filesystem::exists(path, ec)) return;
  std::string why;
  try {
    const RunResult old = report::load_result(path.string());
    const std::string a = config_identity(old.config), b = config_identity(c);
    if (a == b) return;  // a rerun of the same configuration replaces its result
    why = "holds a result of another configuration (" + first_difference(a, b) + ")";
  } catch (const Error&) {
    why = "exists and is not a readable result";
  }
  throw Error(fmt::format("{} {}; choose another --out, or replace it with --overwrite", path.string(), why));
}

RunContext make_context(const RunConfig& config, const std::string& command_line) {
  const BuildInfo& build = build_info();
  RunContext ctx;
  ctx.machine = probe_machine();
  ctx.ngbench_version = build.version;
  ctx.git_commit = build.git_commit;
  ctx.git_dirty = build.git_dirty;
  ctx.build_type = build.build_type;
  ctx.compiler = fmt::format("{} {}", "g++", __VERSION__);
  ctx.libtorch_version = build.torch_version;
  ctx.timestamp = utc_timestamp();
  ctx.command_line = command_line;
  ctx.allocator = describe_allocator(config.allocator);
  return ctx;
}

// Depth scaling of a built-in model built with --layers N of its L layers.
attribution::AttributionOptions attribution_options(const RunConfig& config) {
  attribution::AttributionOptions ao;
  if (config.layers <= 0) return ao;
  const auto& model = models::find_model(config.model);
  if (config.layers < model.layers) {
    ao.layer_scope = model.layer_scope;
    ao.layer_factor = static_cast<double>(model.layers) / static_cast<double>(config.layers);
  }
  return ao;
}

// The stability verdict (core/stability.h); under --strict an unstable result is a failed one.
void judge(RunResult& r, const Measured& m) {
  const int cpus = std::max(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
  r.stability = judge_stability(r, m.other_load_cpus, cpus, m.timed_blocks);
  if (r.config.strict && r.stability.verdict != "stable") {
    r.status = "failed";
    r.error = "unstable (--strict): " + fmt::format("{}", fmt::join(r.stability.reasons, "; "));
  }
}

void fill_result(RunResult& r, Measured m, const taxonomy::Taxonomy& taxonomy,
                 const attribution::AttributionOptions& ao) {
  r.context.runtime = m.runtime.runtime;
  r.context.threads = m.runtime.threads;
  r.context.interop_threads = m.runtime.interop_threads;
  r.latency_ms = summarize(m.timed_ms);
  r.warmup = m.warmup;
  r.page_faults_per_iter = m.page_faults_per_iter;
  r.breakdown = attribution::attribute(m.trace, taxonomy, ao);
  r.energy = std::move(m.energy);
  r.inputs = std::move(m.inputs);
  r.workload_counts = std::move(m.workload_counts);
  r.fusion = std::move(m.fusion);
  r.overhead = r.latency_ms.median > 0 ? r.breakdown.profiled_ms.median / r.latency_ms.median : 0;
  if (r.breakdown.basis == "device" && r.latency_ms.median > 0) {
    r.breakdown.device.busy_fraction_timed = std::min(1.0, r.breakdown.device.busy_ms / r.latency_ms.median);
  }
  if (!ao.layer_scope.empty()) {
    Extrapolation& x = r.extrapolation;
    x.applied = true;
    x.layers_built = r.config.layers;
    x.layers_total = static_cast<int64_t>(ao.layer_factor * static_cast<double>(r.config.layers) + 0.5);
    x.factor = ao.layer_factor;
    x.layer_scope = ao.layer_scope;
    x.latency_ms = r.latency_ms.median * r.breakdown.depth_scale;
  }
  if (r.config.phase == "decode") {
    r.decode = summarize_decode(m.timed_ms, m.timed_steps, m.profiled_steps, r.breakdown, r.config.seq_len,
                                r.config.gen_tokens, r.config.batch);
  }
  judge(r, m);
}

}  // namespace

int64_t estimate_bytes(const RunConfig& c) {
  return backends::find_backend(c.flow, c.device).create()->estimate_bytes(c);
}

RunConfig validate(const RunConfig& config) {
  RunConfig c = config;
  if (c.flow.empty()) c.flow = backends::default_flow();
  const auto& entry = backends::find_backend(c.flow, c.device);
  check_backend_options(c, entry);
  check_common(c);
  check_phase(c, entry);
  const auto backend = entry.create();
  c = backend->validate(c);
  load_taxonomy(c, entry);  // a bad rule file fails here, before anything runs
  check_user_taxonomy(c, entry);
  check_memory(c, *backend);
  return c;
}

RunResult run_one(const RunConfig& config, const std::string& command_line, MeasureListener* listener) {
  RunResult r;
  r.config = config;
  r.context = make_context(config, command_line);
  try {
    apply_allocator(config.allocator);
    const auto& entry = backends::find_backend(config.flow, config.device);
    const auto taxonomy = load_taxonomy(config, entry);
    r.context.taxonomy = taxonomy.flow() + "@" + taxonomy.version();
    auto backend = entry.create();
    r.model_info = backend->describe_model(config);
    Measured m = measure(*backend, config, taxonomy, listener);
    if (config.raw_trace) {
      const auto dir = std::filesystem::path(config.out_dir) / "raw";
      ensure_writable_dir(dir.string());
      write_file_atomically((dir / (report::result_stem(config) + ".json")).string(),
                            report::raw_trace_to_json(m.trace).dump() + "\n");
    }
    fill_result(r, std::move(m), taxonomy, attribution_options(config));
  } catch (const std::exception& e) {
    // One line: the first line of what libtorch or ngbench said.
    std::string msg = e.what();
    msg = msg.substr(0, msg.find('\n'));
    r.status = "failed";
    r.error = msg;
  }
  return r;
}

std::vector<RunConfig> validate_sweep(const SweepConfig& sweep) { return validate_configs(sweep.expand()); }

std::vector<RunConfig> validate_configs(const std::vector<RunConfig>& list) {
  std::vector<RunConfig> configs;
  std::map<std::string, size_t> seen;  // result stem -> index
  for (const auto& c : list) {
    configs.push_back(validate(c));
    const RunConfig& v = configs.back();
    const std::string stem = result_stem(v);
    if (!seen.emplace(stem, configs.size() - 1).second) {
      throw Error(fmt::format("the sweep lists {} batch {}{} twice (a repeated value in a list option?); each "
                              "configuration runs once",
                              v.model, v.batch, v.seq_len > 0 ? fmt::format(" seq {}", v.seq_len) : ""));
    }
    check_existing_result(v);
  }
  return configs;
}

std::vector<RunResult> run_configs(const std::vector<RunConfig>& configs,
                                   const std::vector<report::Reporter*>& reporters, const std::string& command_line,
                                   RunListener* listener) {
  std::vector<RunResult> results;
  for (size_t i = 0; i < configs.size(); ++i) {
    if (listener) listener->on_start(configs[i], static_cast<int>(i), static_cast<int>(configs.size()));
    results.push_back(run_one(configs[i], command_line, listener));
    if (listener) listener->on_done(results.back());
    for (auto* rep : reporters) rep->report(results.back());
  }
  for (auto* rep : reporters) rep->finalize();
  return results;
}

}  // namespace ngbench::runner
