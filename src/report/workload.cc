#include "report/workload.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace ngbench::report {

namespace {

std::string dtypes_of(const std::vector<ArgInfo>& inputs) {
  std::vector<std::string> out;
  for (const auto& a : inputs) {
    if ((a.kind == ArgInfo::Kind::kTensor || a.kind == ArgInfo::Kind::kTensorList) &&
        std::find(out.begin(), out.end(), a.dtype) == out.end()) {
      out.push_back(a.dtype);
    }
  }
  std::string s;
  for (const auto& d : out) s += (s.empty() ? "" : " ") + d;
  return s;
}

WorkloadRun workload_run(const LoadedResult& l, const ResultSet& set) {
  const RunResult& r = l.result;
  WorkloadRun run{run_label(r), r.config, task_of(r, set), r.extrapolation, {}};
  std::map<std::string, size_t> index;  // op name -> ops[]
  std::vector<std::map<std::string, size_t>> shape_index;
  for (const OpStat& o : r.breakdown.ops) {
    auto [it, fresh] = index.emplace(o.name, run.ops.size());
    if (fresh) {
      run.ops.push_back({o.name, o.group, side_name(o.side)});
      shape_index.emplace_back();
    }
    WorkloadOp& op = run.ops[it->second];
    if (op.group.find(o.group) == std::string::npos) op.group += " / " + o.group;
    op.calls += o.calls;
    op.time_ms += op_time_ms(o, r.breakdown);
    op.share += o.share;
    for (const ShapeStat& s : o.shapes) {
      const std::string text = inputs_text(s.inputs);
      auto [sit, new_shape] = shape_index[it->second].emplace(text, op.shapes.size());
      if (new_shape) op.shapes.push_back({text, dtypes_of(s.inputs)});
      op.shapes[sit->second].calls += s.calls;
      op.shapes[sit->second].time_ms += s.time_ms;
    }
  }
  for (auto& op : run.ops) {
    std::stable_sort(op.shapes.begin(), op.shapes.end(), [](auto& a, auto& b) { return a.time_ms > b.time_ms; });
  }
  std::stable_sort(run.ops.begin(), run.ops.end(), [](auto& a, auto& b) { return a.time_ms > b.time_ms; });
  return run;
}

std::string ms(double v) { return fmt::format("{:.4f}", v); }
std::string num(double v) { return fmt::format("{:g}", v); }

}  // namespace

std::vector<const LoadedResult*> runs_in_report_order(const ResultSet& set) {
  std::vector<const LoadedResult*> out;
  for (const auto& l : set.ok) out.push_back(&l);
  auto key = [&](const LoadedResult* l) {
    const RunConfig& c = l->result.config;
    const std::string task = task_of(l->result, set);
    return std::make_tuple(task_rank(task), task, c.model, c.flow, c.device, c.dtype, c.seq_len, c.layers,
                           phase_variant(c), c.batch);
  };
  std::stable_sort(out.begin(), out.end(), [&](auto* a, auto* b) { return key(a) < key(b); });
  return out;
}

WorkloadReport workload_report(const ResultSet& set) {
  WorkloadReport w;
  // A decode run's trace (one generated token) is its own, beside the prefill's.
  std::set<std::tuple<std::string, std::string, std::string, std::string, int64_t, int64_t, std::string>> traced;
  for (const LoadedResult* l : runs_in_report_order(set)) {
    w.runs.push_back(workload_run(*l, set));
    const RunConfig& c = l->result.config;
    // Runs are sorted with the batch last: the first of a model configuration is its smallest batch.
    if (!traced.insert({c.model, c.flow, c.device, c.dtype, c.seq_len, c.layers, phase_variant(c)}).second) {
      continue;
    }
    NonGemmTrace t{run_label(l->result), c, task_of(l->result, set), l->result.extrapolation,
                   l->result.breakdown.trace.size(), {}};
    for (const TraceEvent& e : l->result.breakdown.trace) {
      const auto& groups = l->result.breakdown.groups;
      const auto g = std::find_if(groups.begin(), groups.end(), [&](const GroupTime& gt) { return gt.name == e.group; });
      if (g != groups.end() && g->side == Side::kGemm) continue;
      t.steps.push_back({e.name, e.group, e.scope.empty() ? "" : e.scope.back(), inputs_text(e.inputs), e.start_us,
                         e.dur_us});
    }
    w.traces.push_back(std::move(t));
  }
  return w;
}

std::string workload_markdown(const WorkloadReport& w) {
  std::string md =
      "# Workload report\n\n"
      "Per run: every operator type (outermost operators, and modules a scope rule makes one operator), its calls\n"
      "and time per profiled iteration, and each distinct input signature (shapes and dtypes) with its time.\n";
  for (const WorkloadRun& run : w.runs) {
    md += fmt::format("\n## {}{}\n\n", run.label, run.task.empty() ? "" : " (" + run.task + ")");
    if (run.extrapolation.applied) {
      md += fmt::format("Times are depth-scaled estimates for {} layers ({}).\n\n", run.extrapolation.layers_total,
                        extrapolation_note(run.extrapolation));
    }
    TextTable ops;
    ops.header = {"operator", "group", "calls/iter", "ms/iter", "share %", "signatures"};
    ops.numeric = {false, false, true, true, true, true};
    TextTable shapes;
    shapes.header = {"operator", "inputs", "dtypes", "calls/iter", "ms/iter", "us/call"};
    shapes.numeric = {false, false, false, true, true, true};
    for (const WorkloadOp& op : run.ops) {
      ops.add({op.name, op.group, num(op.calls), ms(op.time_ms), fmt::format("{:.2f}", op.share * 100),
               std::to_string(op.shapes.size())});
      for (const WorkloadShape& s : op.shapes) {
        shapes.add({op.name, s.inputs.empty() ? "(not recorded)" : s.inputs, s.dtypes, num(s.calls), ms(s.time_ms),
                    s.calls > 0 ? fmt::format("{:.2f}", s.time_ms * 1000 / s.calls) : "n/a"});
      }
    }
    md += ops.markdown() + "\n### Input signatures\n\n" + shapes.markdown();
  }
  md += "\n# Non-GEMM operator traces\n\n"
        "Per model configuration (its smallest batch): the non-GEMM operators of the last profiled iteration,\n"
        "in execution order. Start and duration in microseconds from the start of the iteration.\n";
  for (const NonGemmTrace& t : w.traces) {
    md += fmt::format("\n## {}\n\n{} non-GEMM of {} operators.{}\n\n", t.label, t.steps.size(), t.all_ops,
                      t.extrapolation.applied ? fmt::format(" As measured with {} of {} layers (not scaled).",
                                                            t.extrapolation.layers_built, t.extrapolation.layers_total)
                                              : "");
    TextTable tt;
    tt.header = {"#", "operator", "group", "scope", "start us", "dur us", "inputs"};
    tt.numeric = {true, false, false, false, true, true, false};
    for (size_t i = 0; i < t.steps.size(); ++i) {
      const TraceStep& s = t.steps[i];
      tt.add({std::to_string(i + 1), s.name, s.group, s.scope.empty() ? "-" : s.scope, fmt::format("{:.1f}", s.start_us),
              fmt::format("{:.1f}", s.dur_us), s.inputs});
    }
    md += tt.markdown();
  }
  return md;
}

TextTable workload_table(const WorkloadReport& w) {
  TextTable t;
  t.header = {"task", "model", "flow", "device", "dtype", "batch", "seq_len", "layers", "measured_layers",
              "extrapolated", "operator", "group", "side", "op_calls", "op_time_ms", "inputs", "input_dtypes", "calls",
              "time_ms"};
  for (const WorkloadRun& run : w.runs) {
    const RunConfig& c = run.config;
    const auto depth = depth_columns(c.layers, run.extrapolation);
    for (const WorkloadOp& op : run.ops) {
      for (const WorkloadShape& s : op.shapes) {
        t.add({run.task, c.model, c.flow, c.device, c.dtype, std::to_string(c.batch), std::to_string(c.seq_len),
               depth[0], depth[1], depth[2], op.name, op.group, op.side, num(op.calls),
               fmt::format("{:.6f}", op.time_ms), s.inputs, s.dtypes, num(s.calls), fmt::format("{:.6f}", s.time_ms)});
      }
    }
  }
  return t;
}

TextTable nongemm_trace_table(const WorkloadReport& w) {
  TextTable t;
  t.header = {"task", "model", "flow", "device", "dtype", "batch", "seq_len", "layers", "measured_layers",
              "extrapolated", "index", "operator", "group", "scope", "start_us", "dur_us", "inputs"};
  for (const NonGemmTrace& tr : w.traces) {
    const RunConfig& c = tr.config;
    const auto depth = depth_columns(c.layers, tr.extrapolation);
    for (size_t i = 0; i < tr.steps.size(); ++i) {
      const TraceStep& s = tr.steps[i];
      t.add({tr.task, c.model, c.flow, c.device, c.dtype, std::to_string(c.batch), std::to_string(c.seq_len),
             depth[0], depth[1], depth[2], std::to_string(i), s.name, s.group, s.scope, fmt::format("{:.3f}", s.start_us),
             fmt::format("{:.3f}", s.dur_us), s.inputs});
    }
  }
  return t;
}

nlohmann::json workload_json(const WorkloadReport& w) {
  using nlohmann::json;
  json runs = json::array();
  for (const WorkloadRun& run : w.runs) {
    json ops = json::array();
    for (const WorkloadOp& op : run.ops) {
      json shapes = json::array();
      for (const auto& s : op.shapes) {
        shapes.push_back({{"inputs", s.inputs}, {"dtypes", s.dtypes}, {"calls", s.calls}, {"time_ms", s.time_ms}});
      }
      ops.push_back({{"name", op.name}, {"group", op.group}, {"side", op.side}, {"calls", op.calls},
                     {"time_ms", op.time_ms}, {"share", op.share}, {"shapes", std::move(shapes)}});
    }
    runs.push_back({{"label", run.label}, {"task", run.task}, {"extrapolation", extrapolation_note(run.extrapolation)},
                    {"ops", std::move(ops)}});
  }
  json traces = json::array();
  for (const NonGemmTrace& t : w.traces) {
    json steps = json::array();
    for (const auto& s : t.steps) {
      steps.push_back({{"name", s.name}, {"group", s.group}, {"scope", s.scope}, {"inputs", s.inputs},
                       {"start_us", s.start_us}, {"dur_us", s.dur_us}});
    }
    traces.push_back({{"label", t.label}, {"task", t.task}, {"extrapolation", extrapolation_note(t.extrapolation)},
                      {"all_ops", t.all_ops}, {"steps", std::move(steps)}});
  }
  return {{"runs", std::move(runs)}, {"traces", std::move(traces)}};
}

}  // namespace ngbench::report
