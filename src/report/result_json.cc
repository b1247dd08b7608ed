#include "report/result_json.h"

#include <fmt/format.h>

#include "core/error.h"

namespace ngbench::report {

namespace {

using nlohmann::json;

// Inputs as two parallel arrays: shapes (sizes; [n] for a tensor list, [] for
// non-tensors) and types (dtype; "list<dtype>", "scalar", "none" or "other").
std::string type_of(const ArgInfo& a) {
  switch (a.kind) {
    case ArgInfo::Kind::kTensor: return a.dtype;
    case ArgInfo::Kind::kTensorList: return "list<" + a.dtype + ">";
    case ArgInfo::Kind::kScalar: return "scalar";
    case ArgInfo::Kind::kNone: return "none";
    case ArgInfo::Kind::kOther: return "other";
  }
  return "other";
}

ArgInfo arg_from(const json& shape, const std::string& type) {
  ArgInfo a;
  a.shape = shape.get<std::vector<int64_t>>();
  if (type == "scalar") {
    a.kind = ArgInfo::Kind::kScalar;
  } else if (type == "none") {
    a.kind = ArgInfo::Kind::kNone;
  } else if (type == "other") {
    a.kind = ArgInfo::Kind::kOther;
  } else if (type.rfind("list<", 0) == 0 && type.size() > 6 && type.back() == '>') {
    a.kind = ArgInfo::Kind::kTensorList;
    a.dtype = type.substr(5, type.size() - 6);
  } else {
    a.kind = ArgInfo::Kind::kTensor;
    a.dtype = type;
  }
  return a;
}

void put_inputs(json& j, const std::vector<ArgInfo>& inputs) {
  json shapes = json::array(), types = json::array();
  for (const auto& a : inputs) {
    shapes.push_back(a.shape);
    types.push_back(type_of(a));
  }
  j["input_shapes"] = std::move(shapes);
  j["input_types"] = std::move(types);
}

std::vector<ArgInfo> get_inputs(const json& j) {
  std::vector<ArgInfo> out;
  const auto& shapes = j.at("input_shapes");
  const auto& types = j.at("input_types");
  if (shapes.size() != types.size()) throw Error("input_shapes and input_types differ in length");
  for (size_t i = 0; i < shapes.size(); ++i) out.push_back(arg_from(shapes[i], types[i].get<std::string>()));
  return out;
}

json stats_json(const SampleStats& s) {
  return {{"median", s.median}, {"p90", s.p90}, {"p99", s.p99}, {"min", s.min}, {"max", s.max},
          {"mean", s.mean},     {"stddev", s.stddev}, {"samples", s.samples}};
}

SampleStats stats_from(const json& j) {
  SampleStats s;
  s.median = j.at("median");
  s.p90 = j.at("p90");
  s.p99 = j.at("p99");
  s.min = j.at("min");
  s.max = j.at("max");
  s.mean = j.at("mean");
  s.stddev = j.at("stddev");
  s.samples = j.at("samples").get<std::vector<double>>();
  return s;
}

json groups_json(const std::vector<GroupTime>& groups) {
  json out = json::array();
  for (const auto& g : groups) {
    out.push_back({{"name", g.name}, {"side", side_name(g.side)}, {"time_ms", g.time_ms}, {"share", g.share},
                   {"iter_ms", g.iter_ms}});
  }
  return out;
}

std::vector<GroupTime> groups_from(const json& j) {
  std::vector<GroupTime> out;
  for (const auto& g : j) {
    out.push_back({g.at("name"), parse_side(g.at("side")), g.at("time_ms"), g.at("share"),
                   g.at("iter_ms").get<std::vector<double>>()});
  }
  return out;
}

const char* kind_name(RecordKind k) { return k == RecordKind::kScope ? "module" : "op"; }
RecordKind kind_from(const std::string& s) { return s == "module" ? RecordKind::kScope : RecordKind::kOp; }

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

json to_json(const RunResult& r) {
  const RunContext& c = r.context;
  const RunConfig& cfg = r.config;
  const Breakdown& b = r.breakdown;
  json j;
  j["schema_version"] = r.schema_version;
  j["status"] = r.status;
  j["error"] = r.error;
  j["context"] = {
      {"machine",
       {{"hostname", c.machine.hostname},
        {"cpu_model", c.machine.cpu_model},
        {"logical_cpus", c.machine.logical_cpus},
        {"memory_bytes", c.machine.memory_bytes},
        {"os", c.machine.os}}},
      {"threads", c.threads},
      {"interop_threads", c.interop_threads},
      {"ngbench_version", c.ngbench_version},
      {"git_commit", c.git_commit},
      {"git_dirty", c.git_dirty},
      {"build_type", c.build_type},
      {"compiler", c.compiler},
      {"torch_version", c.torch_version},
      {"taxonomy", c.taxonomy},
      {"allocator", c.allocator},
      {"timestamp", c.timestamp},
      {"command_line", c.command_line}};
  j["model"] = cfg.model;
  j["flow"] = cfg.flow;
  j["device"] = cfg.device;
  j["batch"] = cfg.batch;
  j["seq_len"] = cfg.seq_len;
  j["dtype"] = cfg.dtype;
  j["layers"] = cfg.layers;
  j["attention"] = cfg.attention;  // "eager" or "sdpa" as run; "" for models without the choice
  j["config"] = {{"threads", cfg.threads},           {"warmup", cfg.warmup},
                 {"images", cfg.images},             {"score_threshold", cfg.score_threshold},
                 {"iters", cfg.iters},               {"profile_iters", cfg.profile_iters},
                 {"record_shapes", cfg.record_shapes}, {"seed", cfg.seed},
                 {"taxonomy_file", cfg.taxonomy_file}};
  j["config"]["allocator"] = cfg.allocator;
  j["config"]["text_file"] = cfg.text_file;  // token ids from a file (--text); "" for random ids
  if (cfg.flow == "ort") {  // what decides an ort run (docs/onnxruntime.md)
    j["config"]["onnx_file"] = cfg.onnx_file;
    j["config"]["shapes"] = cfg.shapes;
    j["config"]["graph_opt"] = cfg.graph_opt;
  }
  j["model_info"] = {{"task", r.model.task}, {"reference", r.model.reference}, {"parameters", r.model.parameters}};
  j["latency_ms"] = stats_json(r.latency_ms);
  j["profiled_latency_ms"] = stats_json(b.profiled_ms);
  j["overhead"] = r.overhead;
  j["page_faults_per_iter"] = r.page_faults_per_iter;  // minor faults per timed iteration; -1: not measured
  j["coverage"] = b.coverage;
  j["profiled_iterations"] = b.iterations;
  j["attributed_ms"] = b.attributed_ms;
  j["gemm_ms"] = gemm_ms(b);
  j["non_gemm_ms"] = non_gemm_ms(b);
  j["non_gemm_share"] = b.attributed_ms > 0 ? non_gemm_ms(b) / b.attributed_ms : 0.0;
  j["basis"] = b.basis;
  j["groups"] = groups_json(b.groups);
  if (b.basis == "device") {
    const DeviceSummary& d = b.device;
    j["device_time"] = {{"span_ms", d.span_ms},           {"busy_ms", d.busy_ms},
                        {"idle_ms", d.idle_ms},           {"busy_fraction", d.busy_fraction},
                        {"busy_fraction_timed", d.busy_fraction_timed},
                        {"activity_ms", d.activity_ms},   {"attributed_ms", d.attributed_ms},
                        {"kernels", d.kernels},           {"busy_iter_ms", d.busy_iter_ms},
                        {"host_groups", groups_json(d.host_groups)}};
  }
  json ops = json::array(), unclassified = json::array();
  for (const auto& o : b.ops) {
    json shapes = json::array();
    for (const auto& s : o.shapes) {
      json sj = {{"calls", s.calls}, {"time_ms", s.time_ms}};
      put_inputs(sj, s.inputs);
      shapes.push_back(std::move(sj));
    }
    ops.push_back({{"name", o.name}, {"kind", kind_name(o.kind)}, {"group", o.group}, {"side", side_name(o.side)},
                   {"scope", o.scope}, {"calls", o.calls}, {"total_ms", o.total_ms}, {"self_ms", o.self_ms},
                   {"share", o.share}, {"iter_ms", o.iter_ms}, {"device_ms", o.device_ms},
                   {"input_shapes", std::move(shapes)}});
    if (o.group == "Unclassified") {
      unclassified.push_back({{"name", o.name}, {"scope", o.scope}, {"calls", o.calls}, {"total_ms", o.total_ms}});
    }
  }
  j["ops"] = std::move(ops);
  j["unclassified"] = std::move(unclassified);
  j["other_threads"] = {{"records", b.other_thread_records}, {"time_ms", b.other_thread_ms}};
  j["records_outside_iterations"] = b.records_outside_iterations;
  json trace = json::array();
  for (const auto& e : b.trace) {
    json ej = {{"name", e.name}, {"kind", kind_name(e.kind)}, {"group", e.group}, {"scope", e.scope},
               {"start_us", e.start_us}, {"dur_us", e.dur_us}};
    put_inputs(ej, e.inputs);
    trace.push_back(std::move(ej));
  }
  j["trace"] = std::move(trace);
  json inputs = json::array();
  for (const auto& in : r.inputs) {
    inputs.push_back({{"source", in.source}, {"height", in.height}, {"width", in.width},
                      {"model_height", in.model_height}, {"model_width", in.model_width}});
  }
  j["inputs"] = std::move(inputs);
  j["workload_counts"] = r.workload_counts;
  if (r.extrapolation.applied) {
    const Extrapolation& x = r.extrapolation;
    j["extrapolation"] = {{"layers_built", x.layers_built}, {"layers_total", x.layers_total}, {"factor", x.factor},
                          {"layer_scope", x.layer_scope}, {"latency_ms", x.latency_ms},
                          {"depth_scale", r.breakdown.depth_scale}};
  } else {
    j["extrapolation"] = nullptr;
  }
  if (r.energy.measured) {
    j["energy"] = {{"method", r.energy.method},
                   {"joules", r.energy.joules},
                   {"joules_per_inference", r.energy.joules_per_inference},
                   {"average_watts", r.energy.average_watts},
                   {"iterations", r.energy.iterations}};
  } else {
    j["energy"] = nullptr;
  }
  return j;
}

RunResult result_from_json(const json& j, const std::string& source) {
  try {
    if (!j.is_object()) throw Error("not a JSON object");
    RunResult r;
    r.schema_version = j.at("schema_version");
    if (r.schema_version != kSchemaVersion) {
      throw Error(fmt::format("schema_version {} is not supported (this ngbench reads {})", r.schema_version,
                              kSchemaVersion));
    }
    r.status = j.at("status");
    r.error = j.at("error");
    const json& c = j.at("context");
    const json& m = c.at("machine");
    r.context.machine = {m.at("hostname"), m.at("cpu_model"), m.at("logical_cpus"), m.at("memory_bytes"), m.at("os")};
    r.context.threads = c.at("threads");
    r.context.interop_threads = c.at("interop_threads");
    r.context.ngbench_version = c.at("ngbench_version");
    r.context.git_commit = c.at("git_commit");
    r.context.git_dirty = c.at("git_dirty");
    r.context.build_type = c.at("build_type");
    r.context.compiler = c.at("compiler");
    r.context.torch_version = c.at("torch_version");
    r.context.taxonomy = c.at("taxonomy");
    r.context.allocator = c.value("allocator", std::string());  // absent before the option existed
    r.context.timestamp = c.at("timestamp");
    r.context.command_line = c.at("command_line");
    r.config.model = j.at("model");
    r.config.flow = j.at("flow");
    r.config.device = j.at("device");
    r.config.batch = j.at("batch");
    r.config.seq_len = j.at("seq_len");
    r.config.dtype = j.at("dtype");
    r.config.layers = j.value("layers", int64_t{0});
    const json& cfg = j.at("config");
    r.config.threads = cfg.at("threads");
    r.config.warmup = cfg.at("warmup");
    r.config.iters = cfg.at("iters");
    r.config.profile_iters = cfg.at("profile_iters");
    r.config.record_shapes = cfg.at("record_shapes");
    r.config.seed = cfg.at("seed");
    r.config.taxonomy_file = cfg.at("taxonomy_file");
    r.config.onnx_file = cfg.value("onnx_file", std::string());
    r.config.shapes = cfg.value("shapes", std::vector<std::string>());
    r.config.graph_opt = cfg.value("graph_opt", RunConfig().graph_opt);
    r.config.images = cfg.value("images", std::string());
    r.config.text_file = cfg.value("text_file", std::string());
    r.config.allocator = cfg.value("allocator", std::string("system"));  // results before the option: glibc defaults
    r.config.attention = j.value("attention", std::string());
    r.config.score_threshold = cfg.value("score_threshold", -1.0);
    const json& mi = j.at("model_info");
    r.model = {mi.at("task"), mi.at("reference"), mi.at("parameters")};
    r.latency_ms = stats_from(j.at("latency_ms"));
    r.overhead = j.at("overhead");
    r.page_faults_per_iter = j.value("page_faults_per_iter", -1.0);
    Breakdown& b = r.breakdown;
    b.profiled_ms = stats_from(j.at("profiled_latency_ms"));
    b.coverage = j.at("coverage");
    b.iterations = j.at("profiled_iterations");
    b.attributed_ms = j.at("attributed_ms");
    b.groups = groups_from(j.at("groups"));
    b.basis = j.value("basis", std::string("host"));
    if (b.basis == "device") {
      const json& d = j.at("device_time");
      b.device.span_ms = d.at("span_ms");
      b.device.busy_ms = d.at("busy_ms");
      b.device.idle_ms = d.at("idle_ms");
      b.device.busy_fraction = d.at("busy_fraction");
      b.device.busy_fraction_timed = d.value("busy_fraction_timed", 0.0);
      b.device.activity_ms = d.at("activity_ms");
      b.device.attributed_ms = d.at("attributed_ms");
      b.device.kernels = d.at("kernels");
      b.device.busy_iter_ms = d.at("busy_iter_ms").get<std::vector<double>>();
      b.device.host_groups = groups_from(d.at("host_groups"));
    }
    for (const auto& o : j.at("ops")) {
      OpStat s;
      s.name = o.at("name");
      s.kind = kind_from(o.at("kind"));
      s.group = o.at("group");
      s.side = parse_side(o.at("side"));
      s.scope = o.at("scope");
      s.calls = o.at("calls");
      s.total_ms = o.at("total_ms");
      s.self_ms = o.at("self_ms");
      s.share = o.at("share");
      s.iter_ms = o.at("iter_ms").get<std::vector<double>>();
      s.device_ms = o.value("device_ms", 0.0);
      for (const auto& sj : o.at("input_shapes")) s.shapes.push_back({get_inputs(sj), sj.at("calls"), sj.at("time_ms")});
      b.ops.push_back(std::move(s));
    }
    b.other_thread_records = j.at("other_threads").at("records");
    b.other_thread_ms = j.at("other_threads").at("time_ms");
    b.records_outside_iterations = j.at("records_outside_iterations");
    for (const auto& e : j.at("trace")) {
      TraceEvent t;
      t.name = e.at("name");
      t.kind = kind_from(e.at("kind"));
      t.group = e.at("group");
      t.scope = e.at("scope").get<std::vector<std::string>>();
      t.inputs = get_inputs(e);
      t.start_us = e.at("start_us");
      t.dur_us = e.at("dur_us");
      b.trace.push_back(std::move(t));
    }
    for (const auto& in : j.value("inputs", json::array())) {
      r.inputs.push_back({in.at("source"), in.at("height"), in.at("width"), in.at("model_height"),
                          in.at("model_width")});
    }
    r.workload_counts = j.value("workload_counts", std::map<std::string, double>{});
    if (j.contains("extrapolation") && j.at("extrapolation").is_object()) {
      const json& x = j.at("extrapolation");
      r.extrapolation.applied = true;
      r.extrapolation.layers_built = x.at("layers_built");
      r.extrapolation.layers_total = x.at("layers_total");
      r.extrapolation.factor = x.at("factor");
      r.extrapolation.layer_scope = x.at("layer_scope");
      r.extrapolation.latency_ms = x.at("latency_ms");
      r.breakdown.depth_scale = x.at("depth_scale");
    }
    if (j.contains("energy") && j.at("energy").is_object()) {
      const json& e = j.at("energy");
      r.energy.measured = true;
      r.energy.method = e.at("method");
      r.energy.joules = e.at("joules");
      r.energy.joules_per_inference = e.at("joules_per_inference");
      r.energy.average_watts = e.at("average_watts");
      r.energy.iterations = e.at("iterations");
    }
    return r;
  } catch (const Error& e) {
    throw Error(fmt::format("{}: {}", source, e.what()));
  } catch (const json::exception& e) {
    throw Error(fmt::format("{}: not an ngbench result: {}", source, e.what()));
  }
}

}  // namespace ngbench::report
