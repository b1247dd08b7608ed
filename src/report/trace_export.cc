#include "report/trace_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/result_set.h"

namespace ngbench::report {

namespace {

constexpr int kPid = 1;
constexpr int kTid = 1;

}  // namespace

const char* chrome_cname(const std::string& group) {
  // Chrome's trace viewer only draws its reserved color names; each group gets
  // the one closest to its taxonomy color.
  static const std::map<std::string, const char*> names{
      {"GEMM", "rail_response"},                      // blue
      {"Fused attention", "thread_state_runnable"},   // light blue
      {"Normalization", "thread_state_iowait"},       // orange
      {"Activation", "terrible"},                     // red
      {"Logit computation", "thread_state_uninterruptible"},  // mauve
      {"Element-wise arithmetic", "good"},            // green
      {"Memory", "thread_state_unknown"},             // tan
      {"Embedding", "cq_build_failed"},               // pink
      {"Pooling", "olive"},
      {"Interpolation", "rail_load"},                 // teal green
      {"RoI selection", "rail_idle"},                 // light orange
      {"Quantization", "cq_build_passed"},            // light green
      {"Other", "grey"},
      {"Unclassified", "black"},
  };
  const auto it = names.find(group);
  return it == names.end() ? "generic_work" : it->second;
}

nlohmann::json chrome_trace(const RunResult& r) {
  using nlohmann::json;
  const std::string label = config_label(r.config);
  if (r.status != "ok") throw Error(fmt::format("{}: the run failed ({}); it has no trace", label, r.error));
  const auto& trace = r.breakdown.trace;
  if (trace.empty()) throw Error(fmt::format("{}: the result holds no trace", label));

  std::map<std::string, std::string> side_of;
  for (const auto& g : r.breakdown.groups) side_of[g.name] = side_name(g.side);
  std::vector<size_t> order(trace.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return trace[a].start_us < trace[b].start_us; });

  json events = json::array();
  events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", kPid}, {"tid", kTid}, {"args", {{"name", label}}}});
  events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", kPid}, {"tid", kTid},
                    {"args", {{"name", "model thread: last profiled iteration"}}}});
  for (size_t i : order) {
    const TraceEvent& e = trace[i];
    json shapes = json::array(), types = json::array();
    for (const ArgInfo& a : e.inputs) {
      shapes.push_back(a.shape);
      types.push_back(a.kind == ArgInfo::Kind::kTensor       ? a.dtype
                      : a.kind == ArgInfo::Kind::kTensorList ? "list<" + a.dtype + ">"
                      : a.kind == ArgInfo::Kind::kScalar     ? "scalar"
                      : a.kind == ArgInfo::Kind::kNone       ? "none"
                                                             : "other");
    }
    std::string scope;
    for (const auto& s : e.scope) scope += (scope.empty() ? "" : " / ") + s;
    const auto side = side_of.find(e.group);
    events.push_back({{"name", e.name},
                      {"cat", e.group},
                      {"ph", "X"},
                      {"ts", std::max(0.0, e.start_us)},
                      {"dur", std::max(0.0, e.dur_us)},
                      {"pid", kPid},
                      {"tid", kTid},
                      {"cname", chrome_cname(e.group)},
                      {"args",
                       {{"group", e.group},
                        {"side", side == side_of.end() ? "" : side->second},
                        {"kind", e.kind == RecordKind::kScope ? "module" : "op"},
                        {"scope", scope},
                        {"input_shapes", std::move(shapes)},
                        {"input_types", std::move(types)},
                        {"inputs", inputs_text(e.inputs)}}}});
  }
  const RunConfig& c = r.config;
  return {{"traceEvents", std::move(events)},
          {"displayTimeUnit", "ms"},
          {"otherData",
           {{"generator", "ngbench trace"},
            {"model", c.model},
            {"flow", c.flow},
            {"device", c.device},
            {"dtype", c.dtype},
            {"batch", c.batch},
            {"seq_len", c.seq_len},
            {"taxonomy", r.context.taxonomy},
            {"ngbench_version", r.context.ngbench_version},
            {"git_commit", r.context.git_commit},
            {"attributed_ms", r.breakdown.attributed_ms}}}};
}

void write_chrome_trace(const RunResult& r, const std::string& path) {
  write_file_atomically(path, chrome_trace(r).dump() + "\n");
}

}  // namespace ngbench::report
