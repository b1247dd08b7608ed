// What changed from version 1 to 2:
//  - context.torch_version (the runtime, "onnxruntime X" for files of flow
//    ort) became context.runtime {name, version}; libtorch_version was added;
//  - model, flow, device, batch, seq_len, dtype, layers and attention moved
//    from the top level into config; v1's config also held the options of the
//    ONNX Runtime flow (onnx_file, shapes, graph_opt), which became model_file
//    and config.backend_options ("shape", "graph-opt");
//  - the breakdown's fields moved from the top level into "breakdown"
//    (profiled_latency_ms -> profiled_ms, profiled_iterations -> iterations,
//    device_time -> device, other_threads -> other_thread_records / _ms,
//    extrapolation.depth_scale -> depth_scale);
//  - operator inputs: parallel input_shapes / input_types arrays became one
//    [type, shape] pair per input; ops[].input_shapes became ops[].shapes;
//  - energy and extrapolation: null became an object with measured / applied
//    false; results before --allocator ran under glibc's defaults ("system").
#include "report/result_json_v1.h"

#include <string>

#include "core/error.h"

namespace ngbench::report {

namespace {

using nlohmann::json;

// [[type, shape], ...] from v1's parallel arrays on `o`.
json inputs_of(const json& o) {
  const json& shapes = o.at("input_shapes");
  const json& types = o.at("input_types");
  if (!shapes.is_array() || !types.is_array() || shapes.size() != types.size()) {
    throw Error("input_shapes and input_types differ in length");
  }
  json out = json::array();
  for (size_t i = 0; i < shapes.size(); ++i) out.push_back(json::array({types[i], shapes[i]}));
  return out;
}

json migrate_context(const json& c) {
  json out = c;
  out.erase("torch_version");
  const std::string runtime = c.at("torch_version").get<std::string>();
  const std::string ort = "onnxruntime ";
  if (runtime.rfind(ort, 0) == 0) {
    out["runtime"] = {{"name", "onnxruntime"}, {"version", runtime.substr(ort.size())}};
    out["libtorch_version"] = "";
  } else {
    out["runtime"] = {{"name", "libtorch"}, {"version", runtime}};
    out["libtorch_version"] = runtime;
  }
  return out;
}

json migrate_config(const json& v1) {
  json cfg = v1.at("config");
  for (const char* key : {"model", "flow", "device", "batch", "seq_len", "dtype", "layers", "attention"}) {
    if (v1.contains(key)) cfg[key] = v1[key];
  }
  if (!cfg.contains("allocator")) cfg["allocator"] = "system";  // results before the option: glibc's defaults
  json options = json::object();
  if (cfg.contains("onnx_file")) {
    cfg["model_file"] = cfg["onnx_file"];
    cfg.erase("onnx_file");
  }
  if (cfg.contains("shapes")) {
    if (!cfg["shapes"].empty()) options["shape"] = cfg["shapes"];
    cfg.erase("shapes");
  }
  if (cfg.contains("graph_opt")) {
    options["graph-opt"] = json::array({cfg["graph_opt"]});
    cfg.erase("graph_opt");
  }
  cfg["backend_options"] = options;
  return cfg;
}

json migrate_ops(const json& ops) {
  json out = json::array();
  for (const auto& o : ops) {
    json op = o;
    json shapes = json::array();
    for (const auto& s : o.at("input_shapes")) {
      shapes.push_back({{"calls", s.at("calls")}, {"time_ms", s.at("time_ms")}, {"inputs", inputs_of(s)}});
    }
    op.erase("input_shapes");
    op["shapes"] = std::move(shapes);
    out.push_back(std::move(op));
  }
  return out;
}

json migrate_breakdown(const json& v1) {
  json b;
  b["iterations"] = v1.at("profiled_iterations");
  b["profiled_ms"] = v1.at("profiled_latency_ms");
  b["attributed_ms"] = v1.at("attributed_ms");
  b["coverage"] = v1.at("coverage");
  b["groups"] = v1.at("groups");
  b["ops"] = migrate_ops(v1.at("ops"));
  json trace = json::array();
  for (const auto& e : v1.at("trace")) {
    json t = e;
    t["inputs"] = inputs_of(e);
    t.erase("input_shapes");
    t.erase("input_types");
    trace.push_back(std::move(t));
  }
  b["trace"] = std::move(trace);
  b["other_thread_records"] = v1.at("other_threads").at("records");
  b["other_thread_ms"] = v1.at("other_threads").at("time_ms");
  b["records_outside_iterations"] = v1.at("records_outside_iterations");
  b["basis"] = v1.value("basis", std::string("host"));
  if (v1.contains("device_time")) b["device"] = v1["device_time"];
  const json& x = v1.value("extrapolation", json());
  b["depth_scale"] = x.is_object() ? x.at("depth_scale") : json(1.0);
  return b;
}

}  // namespace

json migrate_v1(const json& v1) {
  json j;
  j["schema_version"] = 2;
  j["status"] = v1.at("status");
  j["error"] = v1.at("error");
  j["context"] = migrate_context(v1.at("context"));
  j["config"] = migrate_config(v1);
  j["model_info"] = v1.at("model_info");
  j["latency_ms"] = v1.at("latency_ms");
  j["overhead"] = v1.at("overhead");
  j["page_faults_per_iter"] = v1.value("page_faults_per_iter", -1.0);
  j["breakdown"] = migrate_breakdown(v1);
  const json& energy = v1.value("energy", json());
  if (energy.is_object()) {
    j["energy"] = energy;
    j["energy"]["measured"] = true;
  }
  const json& x = v1.value("extrapolation", json());
  if (x.is_object()) {
    j["extrapolation"] = x;
    j["extrapolation"].erase("depth_scale");
    j["extrapolation"]["applied"] = true;
  }
  if (v1.contains("inputs")) j["inputs"] = v1["inputs"];
  if (v1.contains("workload_counts")) j["workload_counts"] = v1["workload_counts"];
  return j;
}

}  // namespace ngbench::report
