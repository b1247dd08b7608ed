// Map: enums and ArgInfo with their own conversions; then one type macro per
// struct (its members are its JSON fields, in this order; a reader fills a
// missing field with the struct's default, so fields can be added without a
// version bump); then the top level, which adds derived totals on writing
// and requires its sections on reading.
#include "report/result_json.h"

#include <fmt/format.h>

#include "core/error.h"
#include "report/result_json_v1.h"

namespace ngbench {

using nlohmann::json;

void to_json(json& j, Side s) { j = side_name(s); }
void from_json(const json& j, Side& s) { s = parse_side(j.get<std::string>()); }

void to_json(json& j, RecordKind k) { j = k == RecordKind::kScope ? "module" : "op"; }
void from_json(const json& j, RecordKind& k) {
  const auto s = j.get<std::string>();
  if (s != "op" && s != "module") throw Error("kind '" + s + "' is not op or module");
  k = s == "module" ? RecordKind::kScope : RecordKind::kOp;
}

// An input as [type, shape]: type is the dtype of a tensor, "list<dtype>" for
// a tensor list (shape [n]), or "scalar", "none", "other" (shape []).
void to_json(json& j, const ArgInfo& a) {
  std::string type;
  switch (a.kind) {
    case ArgInfo::Kind::kTensor:
      type = a.dtype;
      break;
    case ArgInfo::Kind::kTensorList:
      type = "list<" + a.dtype + ">";
      break;
    case ArgInfo::Kind::kScalar:
      type = "scalar";
      break;
    case ArgInfo::Kind::kNone:
      type = "none";
      break;
    case ArgInfo::Kind::kOther:
      type = "other";
      break;
  }
  j = json::array({type, a.shape});
}
void from_json(const json& j, ArgInfo& a) {
  if (!j.is_array() || j.size() != 2) throw Error("an input is not [type, shape]");
  const auto type = j[0].get<std::string>();
  a.shape = j[1].get<std::vector<int64_t>>();
  a.dtype.clear();
  if (type == "scalar") {
    a.kind = ArgInfo::Kind::kScalar;
  } else if (type == "none") {
    a.kind = ArgInfo::Kind::kNone;
  } else if (type == "other") {
    a.kind = ArgInfo::Kind::kOther;
  } else if (type.rfind("list<", 0) == 0 && type.size() > 6 && type.back() == '>') {
    a.kind = ArgInfo::Kind::kTensorList;
    a.dtype = type.substr(5, type.size() - 6);
  } else if (!type.empty()) {
    a.kind = ArgInfo::Kind::kTensor;
    a.dtype = type;
  } else {
    throw Error("an input has an empty type");
  }
}

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SampleStats, median, p90, p99, min, max, mean, stddev, samples)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(MachineContext, hostname, cpu_model, logical_cpus, memory_bytes, os)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Runtime, name, version)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RunContext, machine, runtime, threads, interop_threads, ngbench_version,
                                                git_commit, git_dirty, build_type, compiler, libtorch_version, taxonomy,
                                                allocator, timestamp, command_line)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RunConfig, model, model_file, flow, device, dtype, batch, seq_len,
                                                layers, attention, quant, int8_outliers, phase, kv_cache,
                                                gen_tokens, threads, allocator, warmup,
                                                warmup_max_s, iters,
                                                min_time_s, max_time_s, target_ci, strict, profile_iters, record_shapes,
                                                seed, taxonomy_file, raw_trace, images, text_file, score_threshold,
                                                out_dir, overwrite, backend_options)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ModelSummary, task, reference, parameters)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(GroupTime, name, side, time_ms, share, iter_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ShapeStat, inputs, calls, time_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OpStat, name, kind, group, side, scope, calls, total_ms, self_ms, share,
                                                iter_ms, device_ms, shapes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TraceEvent, name, kind, group, scope, inputs, start_us, dur_us)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DeviceSummary, span_ms, busy_ms, idle_ms, busy_fraction,
                                                busy_fraction_timed, activity_ms, attributed_ms, kernels, busy_iter_ms,
                                                host_groups)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Breakdown, iterations, profiled_ms, attributed_ms, coverage, groups,
                                                ops, trace, other_thread_records, other_thread_ms,
                                                records_outside_iterations, basis, depth_scale, dispatcher_ops, device)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EnergyResult, measured, method, joules, joules_per_inference,
                                                average_watts, iterations)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Extrapolation, applied, layers_built, layers_total, factor, layer_scope,
                                                latency_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(InputRecord, source, height, width, model_height, model_width, bytes,
                                                sha256)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(WarmupRecord, iterations, stable, seconds)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Stability, verdict, reasons, target_ci, median_ci_low_ms,
                                                median_ci_high_ms, median_ci_rel, robust_cv, bimodal, drift,
                                                other_load_cpus, logical_cpus, timed_blocks)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Warmup, timed, profiled)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(NodeTypeFate, type, group, original, kept, replaced, fused_with_gemm,
                                                fused_non_gemm, folded, removed)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FusedPattern, type, pattern, with_gemm, replacement, count)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FusionSummary, analyzed, method, original_nodes, optimized_nodes,
                                                original_gemm, original_non_gemm, kept_non_gemm, replaced_non_gemm,
                                                fused_with_gemm, fused_non_gemm, folded_non_gemm, removed_non_gemm,
                                                new_unmatched, by_type, patterns)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DecodeStep, step, context, median_ms, samples, attributed_ms,
                                                non_gemm_share)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DecodeHalf, first_step, last_step, median_ms, non_gemm_share,
                                                top_group)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DecodeResult, present, context, gen_tokens, sequences_timed,
                                                sequences_profiled, tokens_per_s, steps, early, late)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RunResult, schema_version, status, error, context, config, model_info,
                                                latency_ms, page_faults_per_iter, overhead, warmup, stability,
                                                breakdown, energy, extrapolation, fusion, decode, inputs,
                                                workload_counts)

}  // namespace ngbench

namespace ngbench::report {

namespace {

// Sections a result cannot lack: without them it is not a result.
constexpr const char* kRequired[] = {"schema_version", "status",     "context",  "config",
                                     "model_info",     "latency_ms", "breakdown"};
constexpr const char* kRequiredBreakdown[] = {"iterations", "groups", "ops"};

void require(const json& j, const char* const* keys, size_t n, const std::string& where) {
  for (size_t i = 0; i < n; ++i) {
    if (!j.contains(keys[i])) throw Error(fmt::format("{}'{}' is missing", where, keys[i]));
  }
}

}  // namespace

double gemm_ms(const Breakdown& b) {
  double t = 0;
  for (const auto& g : b.groups) t += g.side == Side::kGemm ? g.time_ms : 0;
  return t;
}

double non_gemm_ms(const Breakdown& b) {
  double t = 0;
  for (const auto& g : b.groups) t += g.side == Side::kNonGemm ? g.time_ms : 0;
  return t;
}

json fusion_json(const FusionSummary& fusion) {
  json j = fusion;
  // The rates, for readers of the file (derived; not read back).
  j["fusion_rate"] = fusion.fusion_rate();
  j["fusion_rate_with_gemm"] = fusion.fusion_rate_with_gemm();
  j["fusion_rate_non_gemm"] = fusion.fusion_rate_non_gemm();
  return j;
}

json to_json(const RunResult& r) {
  json j = r;
  j["fusion"] = fusion_json(r.fusion);
  // Derived totals, for readers of the file (not read back).
  const Breakdown& b = r.breakdown;
  json unclassified = json::array();
  for (const auto& o : b.ops) {
    if (o.group == "Unclassified") {
      unclassified.push_back({{"name", o.name}, {"scope", o.scope}, {"calls", o.calls}, {"total_ms", o.total_ms}});
    }
  }
  j["summary"] = {{"gemm_ms", gemm_ms(b)},
                  {"non_gemm_ms", non_gemm_ms(b)},
                  {"non_gemm_share", b.attributed_ms > 0 ? non_gemm_ms(b) / b.attributed_ms : 0.0},
                  {"unclassified", std::move(unclassified)}};
  return j;
}

RunResult result_from_json(const json& input, const std::string& source) {
  try {
    if (!input.is_object()) throw Error("not a JSON object");
    if (!input.contains("schema_version") || !input["schema_version"].is_number_integer()) {
      throw Error("'schema_version' is missing: not an ngbench result");
    }
    const int version = input["schema_version"].get<int>();
    if (version != kSchemaVersion && version != 1) {
      throw Error(
          fmt::format("schema_version {} is not supported (this ngbench reads 1 and {})", version, kSchemaVersion));
    }
    const json j = version == 1 ? migrate_v1(input) : input;
    require(j, kRequired, std::size(kRequired), "");
    require(j.at("breakdown"), kRequiredBreakdown, std::size(kRequiredBreakdown), "breakdown: ");
    RunResult r = j.get<RunResult>();
    r.schema_version = kSchemaVersion;  // as read into this version's structs
    return r;
  } catch (const Error& e) {
    throw Error(fmt::format("{}: {}", source, e.what()));
  } catch (const json::exception& e) {
    throw Error(fmt::format("{}: not an ngbench result: {}", source, e.what()));
  }
}

}  // namespace ngbench::report
