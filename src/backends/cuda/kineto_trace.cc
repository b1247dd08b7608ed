// Map: enable Kineto -> (the profiled passes) -> disable -> split events into host ops,
// runtime calls and device activity -> rebuild nesting per thread -> link
// each device activity to the innermost op that launched it.
#include "backends/cuda/kineto_trace.h"

#include <torch/csrc/autograd/profiler_kineto.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/error.h"

namespace ngbench::backends::cuda {

namespace {

namespace tp = torch::profiler::impl;
namespace ap = torch::autograd::profiler;

// libkineto::ActivityType values (libkineto/include/ActivityType.h), which
// KinetoEvent::activityType() returns; libtorch does not ship that header.
enum KinetoActivity : uint8_t {
  kCpuOp = 0,
  kUserAnnotation = 1,
  kGpuUserAnnotation = 2,
  kGpuMemcpy = 3,
  kGpuMemset = 4,
  kConcurrentKernel = 5,
  kCudaRuntime = 7,
  kCudaDriver = 8,
};

struct HostEvent {
  const ap::KinetoEvent* e;
  uint64_t thread;
};

std::string dtype_name(const std::string& d) {
  static const std::map<std::string, std::string> names = {
      {"float", "float32"},     {"double", "float64"}, {"c10::Half", "float16"}, {"c10::BFloat16", "bfloat16"},
      {"long int", "int64"},    {"long", "int64"},     {"int", "int32"},         {"short int", "int16"},
      {"signed char", "int8"},  {"unsigned char", "uint8"}, {"bool", "bool"}};
  const auto it = names.find(d);
  return it == names.end() ? d : it->second;
}

std::vector<ArgInfo> inputs_of(const ap::KinetoEvent& e) {
  std::vector<ArgInfo> out;
  if (!e.hasShapes() || !e.hasTypes()) return out;
  const auto shapes = e.shapes();
  const auto types = e.dtypes();
  for (size_t i = 0; i < shapes.size() && i < types.size(); ++i) {
    ArgInfo a;
    const std::string& t = types[i];
    if (t == "Scalar") {
      a.kind = ArgInfo::Kind::kScalar;
    } else if (t.empty()) {
      a.kind = ArgInfo::Kind::kNone;
    } else if (t == "TensorList" || t == "GenericList" || t == "ScalarList") {
      a.kind = ArgInfo::Kind::kOther;
    } else {
      a.kind = ArgInfo::Kind::kTensor;
      a.shape = shapes[i];
      a.dtype = dtype_name(t);
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

void start_kineto(const KinetoOptions& options) {
  tp::ProfilerConfig config(tp::ProfilerState::KINETO, options.record_shapes);
  const std::set<tp::ActivityType> activities{tp::ActivityType::CPU, tp::ActivityType::CUDA};
  ap::prepareProfiler(config, activities);
  ap::enableProfiler(config, activities, {at::RecordScope::FUNCTION, at::RecordScope::USER_SCOPE});
}

ProfiledTrace stop_kineto() {
  const std::unique_ptr<ap::ProfilerResult> result = ap::disableProfiler();
  const auto& events = result->events();

  // Split the events.
  ProfiledTrace trace;
  std::vector<const ap::KinetoEvent*> host, runtime, device;
  int64_t main_tid = -1;
  for (const auto& e : events) {
    const auto a = e.activityType();
    if (a == kCpuOp || a == kUserAnnotation) {
      if (e.name() == kIterationScope) {
        trace.iterations.push_back({static_cast<int64_t>(e.startNs()), static_cast<int64_t>(e.endNs())});
        main_tid = static_cast<int64_t>(e.startThreadId());
      } else {
        host.push_back(&e);
      }
    } else if (a == kCudaRuntime || a == kCudaDriver) {
      runtime.push_back(&e);
    } else if (a == kGpuMemcpy || a == kGpuMemset || a == kConcurrentKernel) {
      device.push_back(&e);
    }
  }
  if (trace.iterations.empty()) throw Error("the Kineto trace holds no iteration; was the profiler already running?");
  std::sort(trace.iterations.begin(), trace.iterations.end(),
            [](const IterationSpan& a, const IterationSpan& b) { return a.start_ns < b.start_ns; });
  // What ran before the first iteration (the profiler's own warm-up pass) is
  // not part of the profiled phase.
  const auto first = static_cast<uint64_t>(trace.iterations.front().start_ns);
  host.erase(std::remove_if(host.begin(), host.end(), [&](const auto* e) { return e->endNs() < first; }), host.end());
  device.erase(std::remove_if(device.begin(), device.end(), [&](const auto* e) { return e->startNs() < first; }),
               device.end());

  // Thread numbers: the iterations' thread is 0, the others by first appearance.
  std::map<uint64_t, uint64_t> thread_no{{static_cast<uint64_t>(main_tid), 0}};
  for (const auto* e : host) thread_no.emplace(e->startThreadId(), thread_no.size());
  std::sort(host.begin(), host.end(), [&](const ap::KinetoEvent* a, const ap::KinetoEvent* b) {
    const auto ta = thread_no.at(a->startThreadId()), tb = thread_no.at(b->startThreadId());
    if (ta != tb) return ta < tb;
    if (a->startNs() != b->startNs()) return a->startNs() < b->startNs();
    return a->endNs() > b->endNs();  // the enclosing event first
  });

  // Rebuild nesting per thread with a stack of open events.
  std::unordered_map<uint64_t, int32_t> record_of_correlation;
  std::map<uint64_t, std::vector<int32_t>> by_thread;  // record indices in start order
  std::vector<int32_t> stack;
  uint64_t current_thread = ~0ull;
  for (const auto* e : host) {
    const uint64_t t = thread_no.at(e->startThreadId());
    if (t != current_thread) {
      stack.clear();
      current_thread = t;
    }
    const auto start = static_cast<int64_t>(e->startNs());
    const auto end = static_cast<int64_t>(e->endNs());
    while (!stack.empty() && trace.records[static_cast<size_t>(stack.back())].end_ns <= start) stack.pop_back();
    OpRecord r;
    r.name = e->name();
    r.kind = e->scope() == static_cast<uint8_t>(at::RecordScope::USER_SCOPE) ? RecordKind::kScope : RecordKind::kOp;
    r.start_ns = start;
    r.end_ns = std::max(start, end);
    r.parent = stack.empty() ? -1 : stack.back();
    r.depth = static_cast<int32_t>(stack.size());
    r.thread = t;
    r.inputs = inputs_of(*e);
    const auto index = static_cast<int32_t>(trace.records.size());
    record_of_correlation[e->correlationId()] = index;
    by_thread[t].push_back(index);
    trace.records.push_back(std::move(r));
    stack.push_back(index);
  }

  // The innermost record of a thread open at time t, or -1.
  auto innermost_at = [&](uint64_t thread, int64_t t) -> int32_t {
    const auto it = by_thread.find(thread);
    if (it == by_thread.end()) return -1;
    const auto& idx = it->second;
    auto pos = std::upper_bound(idx.begin(), idx.end(), t, [&](int64_t v, int32_t i) {
      return v < trace.records[static_cast<size_t>(i)].start_ns;
    });
    if (pos == idx.begin()) return -1;
    for (int32_t i = *(pos - 1); i >= 0; i = trace.records[static_cast<size_t>(i)].parent) {
      if (trace.records[static_cast<size_t>(i)].end_ns >= t) return i;
    }
    return -1;
  };

  std::unordered_map<uint64_t, const ap::KinetoEvent*> runtime_of_correlation;
  for (const auto* e : runtime) runtime_of_correlation[e->correlationId()] = e;
  for (const auto* e : device) {
    DeviceRecord d;
    d.name = e->name();
    d.kind = e->activityType() == kGpuMemcpy   ? DeviceRecord::Kind::kMemcpy
             : e->activityType() == kGpuMemset ? DeviceRecord::Kind::kMemset
                                               : DeviceRecord::Kind::kKernel;
    d.start_ns = static_cast<int64_t>(e->startNs());
    d.end_ns = std::max(d.start_ns, static_cast<int64_t>(e->endNs()));
    d.stream = e->deviceResourceId();
    // The op that was innermost when the launch happened: libtorch links it
    // (external correlation); otherwise find it from the runtime call's time.
    if (const auto it = record_of_correlation.find(e->linkedCorrelationId()); it != record_of_correlation.end()) {
      d.launched_by = it->second;
    } else if (const auto rt = runtime_of_correlation.find(e->correlationId());
               rt != runtime_of_correlation.end()) {
      const auto th = thread_no.find(rt->second->startThreadId());
      if (th != thread_no.end()) d.launched_by = innermost_at(th->second, static_cast<int64_t>(rt->second->startNs()));
    }
    trace.device.push_back(std::move(d));
  }
  std::sort(trace.device.begin(), trace.device.end(),
            [](const DeviceRecord& a, const DeviceRecord& b) { return a.start_ns < b.start_ns; });
  return trace;
}

}  // namespace ngbench::backends::cuda
