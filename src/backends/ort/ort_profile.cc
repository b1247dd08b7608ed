#include "backends/ort/ort_profile.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/json_integer.h"

namespace ngbench::ort {

namespace {

using nlohmann::json;

constexpr int64_t kNsPerUs = 1000;
const std::string kKernelSuffix = "_kernel_time";

struct NodeEvent {
  int64_t ts_us = 0;
  int64_t dur_us = 0;
  uint64_t tid = 0;
  std::string node;
  std::string op;
  std::vector<ArgInfo> inputs;
};

[[noreturn]] void fail(const std::string& source, size_t index, const std::string& what) {
  throw Error(source + ": event " + std::to_string(index) + " of the ORT profile " + what);
}

// ts and dur are microseconds since the profile began; bounded so that ts + dur in nanoseconds fits an int64.
constexpr int64_t kMaxTimeUs = std::numeric_limits<int64_t>::max() / kNsPerUs / 2;

// A time field: a JSON integer (core/json_integer.h: never a float cast) in [0, kMaxTimeUs].
int64_t get_time(const json& e, const char* key, const std::string& source, size_t index) {
  const auto it = e.find(key);
  if (it == e.end()) fail(source, index, std::string("has no '") + key + "'");
  if (!it->is_number()) fail(source, index, std::string("has a non-numeric '") + key + "'");
  const auto v = json_integer<int64_t>(*it);
  if (!v || *v < 0 || *v > kMaxTimeUs) {
    fail(source, index, std::string("has a '") + key + "' that is not a whole number of microseconds in range");
  }
  return *v;
}

// A thread id: a JSON integer >= 0 (never a float cast).
uint64_t get_tid(const json& tid, const std::string& source, size_t index) {
  const auto v = json_integer<uint64_t>(tid);
  if (!v) fail(source, index, "has a 'tid' that is not a thread id");
  return *v;
}

// ORT's element type names -> ngbench's (torch-style) dtype names.
std::string dtype_name(const std::string& ort) {
  if (ort == "float") return "float32";
  if (ort == "double") return "float64";
  return ort;
}

// args.input_type_shape: [{"float": [1, 16, 64]}, {"int64": [2]}, ...]
std::vector<ArgInfo> read_inputs(const json& args, const std::string& source, size_t index) {
  std::vector<ArgInfo> out;
  const auto it = args.find("input_type_shape");
  if (it == args.end()) return out;
  if (!it->is_array()) fail(source, index, "has an input_type_shape that is not an array");
  for (const auto& entry : *it) {
    if (!entry.is_object() || entry.size() != 1) fail(source, index, "has a malformed input_type_shape entry");
    ArgInfo a;
    a.kind = ArgInfo::Kind::kTensor;
    a.dtype = dtype_name(entry.begin().key());
    const json& dims = entry.begin().value();
    if (!dims.is_array()) fail(source, index, "has an input_type_shape entry without dimensions");
    for (const auto& d : dims) {
      const auto dim = json_integer<int64_t>(d);
      if (!dim) fail(source, index, "has a dimension in input_type_shape that is not an integer in range");
      a.shape.push_back(*dim);
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

Profile parse_profile(const std::string& json_text, const std::string& source, const ProfileOptions& options) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error& e) {
    throw Error(source + ": malformed ORT profile JSON at byte " + std::to_string(e.byte) +
                " (truncated, or not an ORT profile)");
  } catch (const json::exception& e) {  // a number beyond double's range (out_of_range)
    throw Error(source + ": malformed ORT profile JSON: " + e.what());
  }
  if (!doc.is_array()) throw Error(source + ": not an ORT profile (expected a JSON array of events)");

  Profile p;
  std::vector<IterationSpan> runs;  // model_run spans in us
  uint64_t main_tid = 0;
  bool have_main = false;
  std::vector<NodeEvent> nodes;
  for (size_t i = 0; i < doc.size(); ++i) {
    const json& e = doc[i];
    if (!e.is_object()) fail(source, i, "is not an object");
    const auto cat = e.find("cat");
    const auto name = e.find("name");
    if (cat == e.end() || !cat->is_string()) fail(source, i, "has no 'cat'");
    if (name == e.end() || !name->is_string()) fail(source, i, "has no 'name'");
    const std::string& n = name->get_ref<const std::string&>();
    if (*cat == "Session" && n == "model_run") {
      const int64_t ts = get_time(e, "ts", source, i);
      runs.push_back({ts, ts + get_time(e, "dur", source, i)});
      if (!have_main && e.contains("tid") && e["tid"].is_number()) {
        main_tid = get_tid(e["tid"], source, i);
        have_main = true;
      }
      continue;
    }
    if (*cat != "Node" || n.size() <= kKernelSuffix.size() ||
        n.compare(n.size() - kKernelSuffix.size(), kKernelSuffix.size(), kKernelSuffix) != 0) {
      continue;
    }
    NodeEvent ev;
    ev.ts_us = get_time(e, "ts", source, i);
    ev.dur_us = get_time(e, "dur", source, i);
    if (e.contains("tid") && e["tid"].is_number()) ev.tid = get_tid(e["tid"], source, i);
    ev.node = n.substr(0, n.size() - kKernelSuffix.size());
    const auto args = e.find("args");
    if (args == e.end() || !args->is_object()) fail(source, i, "(" + n + ") has no 'args'");
    const auto op = args->find("op_name");
    if (op == args->end() || !op->is_string()) fail(source, i, "(" + n + ") has no 'args.op_name'");
    ev.op = op->get<std::string>();
    if (options.record_shapes) ev.inputs = read_inputs(*args, source, i);
    const auto provider = args->find("provider");
    ev.node += '\x1f' + (provider != args->end() && provider->is_string() ? provider->get<std::string>() : "");
    nodes.push_back(std::move(ev));
  }

  p.model_runs = static_cast<int>(runs.size());
  if (options.expected_runs >= 0 && p.model_runs != options.expected_runs) {
    throw Error(source + ": expected " + std::to_string(options.expected_runs) + " model_run events (warm-up and " +
                "profiled runs), found " + std::to_string(p.model_runs) + " (truncated profile?)");
  }
  if (options.profiled_runs < 1 || p.model_runs < options.profiled_runs) {
    throw Error(source + ": " + std::to_string(p.model_runs) + " model_run events, fewer than the " +
                std::to_string(options.profiled_runs) + " profiled runs (truncated profile?)");
  }
  std::sort(runs.begin(), runs.end(), [](const IterationSpan& a, const IterationSpan& b) {
    return a.start_ns < b.start_ns;
  });
  runs.erase(runs.begin(), runs.end() - options.profiled_runs);
  const int64_t first_us = runs.front().start_ns;
  for (const auto& r : runs) p.trace.iterations.push_back({r.start_ns * kNsPerUs, r.end_ns * kNsPerUs});

  // Thread numbers: the thread that ran the model (model_run's) is 0, others 1, 2, ... in order of appearance.
  std::unordered_map<uint64_t, uint64_t> thread_no;
  if (have_main) thread_no[main_tid] = 0;
  std::vector<NodeEvent> kept;
  for (auto& ev : nodes) {
    if (ev.ts_us < first_us) {
      ++p.dropped_events;
      continue;
    }
    if (!thread_no.count(ev.tid)) {
      const uint64_t next = thread_no.size();
      thread_no[ev.tid] = next;
    }
    kept.push_back(std::move(ev));
  }
  std::stable_sort(kept.begin(), kept.end(), [&](const NodeEvent& a, const NodeEvent& b) {
    const uint64_t ta = thread_no[a.tid], tb = thread_no[b.tid];
    return ta != tb ? ta < tb : a.ts_us < b.ts_us;
  });
  auto& recs = p.trace.records;
  recs.reserve(kept.size() * 2);
  for (auto& ev : kept) {
    const auto sep = ev.node.find('\x1f');
    const std::string provider = ev.node.substr(sep + 1);
    ++p.providers[provider.empty() ? "unknown" : provider];
    OpRecord scope;
    scope.name = ev.node.substr(0, sep);
    scope.kind = RecordKind::kScope;
    scope.start_ns = ev.ts_us * kNsPerUs;
    scope.end_ns = (ev.ts_us + ev.dur_us) * kNsPerUs;
    scope.thread = thread_no[ev.tid];
    OpRecord op = scope;
    op.name = std::move(ev.op);
    op.kind = RecordKind::kOp;
    op.parent = static_cast<int32_t>(recs.size());
    op.depth = 1;
    op.inputs = std::move(ev.inputs);
    recs.push_back(std::move(scope));
    recs.push_back(std::move(op));
    ++p.node_events;
  }
  return p;
}

Profile load_profile(const std::string& path, const ProfileOptions& options) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read ORT profile '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_profile(ss.str(), path, options);
}

}  // namespace ngbench::ort
