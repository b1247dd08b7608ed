#include "attribution/attribute.h"

#include <gtest/gtest.h>

#include <numeric>

namespace ngbench::attribution {
namespace {

// Builds a trace by hand: open()/close() nest like RecordFunction callbacks.
class TraceBuilder {
 public:
  explicit TraceBuilder(uint64_t thread = 0) : thread_(thread) {}
  TraceBuilder& open(const std::string& name, int64_t t, RecordKind kind = RecordKind::kOp,
                     std::vector<ArgInfo> inputs = {}) {
    OpRecord r;
    r.name = name;
    r.kind = kind;
    r.start_ns = t;
    r.thread = thread_;
    r.parent = stack_.empty() ? -1 : stack_.back();
    r.depth = static_cast<int32_t>(stack_.size());
    r.inputs = std::move(inputs);
    stack_.push_back(static_cast<int32_t>(trace.records.size()));
    trace.records.push_back(r);
    return *this;
  }
  TraceBuilder& scope(const std::string& name, int64_t t) { return open(name, t, RecordKind::kScope); }
  TraceBuilder& close(int64_t t) {
    trace.records[static_cast<size_t>(stack_.back())].end_ns = t;
    stack_.pop_back();
    return *this;
  }
  TraceBuilder& op(const std::string& name, int64_t t0, int64_t t1, std::vector<ArgInfo> inputs = {}) {
    return open(name, t0, RecordKind::kOp, std::move(inputs)).close(t1);
  }
  TraceBuilder& iteration(int64_t t0, int64_t t1) {
    trace.iterations.push_back({t0, t1});
    return *this;
  }
  ProfiledTrace trace;

 private:
  uint64_t thread_;
  std::vector<int32_t> stack_;
};

const taxonomy::Taxonomy& eager() {
  static const auto t = taxonomy::Taxonomy::builtin("eager");
  return t;
}

const GroupTime& group(const Breakdown& b, const std::string& name) {
  for (const auto& g : b.groups) {
    if (g.name == name) return g;
  }
  throw std::runtime_error("no group " + name);
}

const OpStat* find_op(const Breakdown& b, const std::string& name) {
  for (const auto& o : b.ops) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

constexpr int64_t kMs = 1000000;

// One GPT-2-like iteration, times in ms:
//   GPT2MLP [0,10]: linear [0,4] (t [0,1], addmm [1,4]); NewGELUActivation [4,8]
//   (mul [4,5], tanh [5,6], add [6,7]); dropout [8,9]; then my::op [9,10] at top level.
ProfiledTrace one_iteration() {
  TraceBuilder b;
  const ArgInfo x{ArgInfo::Kind::kTensor, {2, 8, 64}, "float32"};
  b.iteration(0, 10 * kMs);
  b.scope("GPT2MLP", 0);
  b.open("aten::linear", 0, RecordKind::kOp, {x}).op("aten::t", 0, 1 * kMs).op("aten::addmm", 1 * kMs, 4 * kMs).close(4 * kMs);
  b.scope("NewGELUActivation", 4 * kMs)
      .op("aten::mul", 4 * kMs, 5 * kMs)
      .op("aten::tanh", 5 * kMs, 6 * kMs)
      .op("aten::add", 6 * kMs, 7 * kMs)
      .close(8 * kMs);
  b.op("aten::dropout", 8 * kMs, 9 * kMs);
  b.close(9 * kMs);  // GPT2MLP
  b.op("my::op", 9 * kMs, 10 * kMs);
  return b.trace;
}

TEST(Attribute, ChargesNestedOpsToTheOutermostOpOnce) {
  const auto b = attribute(one_iteration(), eager());
  const OpStat* linear = find_op(b, "aten::linear");
  ASSERT_NE(linear, nullptr);
  EXPECT_DOUBLE_EQ(linear->total_ms, 4.0);
  EXPECT_DOUBLE_EQ(linear->self_ms, 0.0);  // all of it in t and addmm
  EXPECT_EQ(find_op(b, "aten::addmm"), nullptr);  // nested: inside linear, not a row
  EXPECT_EQ(find_op(b, "aten::t"), nullptr);
  EXPECT_DOUBLE_EQ(group(b, "GEMM").time_ms, 4.0);
  EXPECT_EQ(linear->scope, "GPT2MLP");
  ASSERT_EQ(linear->shapes.size(), 1u);
  EXPECT_EQ(linear->shapes[0].inputs[0].shape, (std::vector<int64_t>{2, 8, 64}));
}

TEST(Attribute, AScopeRuleMakesTheModuleOneOperator) {
  const auto b = attribute(one_iteration(), eager());
  const OpStat* gelu = find_op(b, "NewGELUActivation");
  ASSERT_NE(gelu, nullptr);
  EXPECT_EQ(gelu->kind, RecordKind::kScope);
  EXPECT_EQ(gelu->group, "Activation");
  EXPECT_DOUBLE_EQ(gelu->total_ms, 4.0);  // the module's span, gap [7,8] included
  EXPECT_DOUBLE_EQ(gelu->self_ms, 1.0);   // the gap: time in no op
  EXPECT_EQ(find_op(b, "aten::mul"), nullptr);
  EXPECT_EQ(find_op(b, "aten::tanh"), nullptr);
  EXPECT_DOUBLE_EQ(group(b, "Activation").time_ms, 4.0);
  EXPECT_DOUBLE_EQ(group(b, "Element-wise arithmetic").time_ms, 0.0);
}

TEST(Attribute, UnnamedScopesAreTransparentAndUnknownOpsUnclassified) {
  const auto b = attribute(one_iteration(), eager());
  EXPECT_EQ(find_op(b, "GPT2MLP"), nullptr);
  EXPECT_DOUBLE_EQ(group(b, "Other").time_ms, 1.0);  // dropout
  const OpStat* mine = find_op(b, "my::op");
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(mine->group, "Unclassified");
  EXPECT_EQ(mine->scope, "");
  EXPECT_DOUBLE_EQ(group(b, "Unclassified").time_ms, 1.0);
}

TEST(Attribute, GroupsAddUpToTheAttributedTimeAndCoverageIsExact) {
  const auto b = attribute(one_iteration(), eager());
  double sum = 0, ops = 0;
  for (const auto& g : b.groups) sum += g.time_ms;
  for (const auto& o : b.ops) ops += o.total_ms;
  EXPECT_DOUBLE_EQ(b.attributed_ms, 10.0);
  EXPECT_DOUBLE_EQ(sum, b.attributed_ms);
  EXPECT_DOUBLE_EQ(ops, b.attributed_ms);
  EXPECT_DOUBLE_EQ(b.coverage, 1.0);
  double shares = 0;
  for (const auto& g : b.groups) shares += g.share;
  EXPECT_NEAR(shares, 1.0, 1e-12);
}

TEST(Attribute, PerIterationMeansAndSamples) {
  TraceBuilder t;
  t.iteration(0, 10 * kMs).op("aten::addmm", 0, 4 * kMs).op("aten::softmax", 5 * kMs, 6 * kMs);
  t.iteration(20 * kMs, 40 * kMs).op("aten::addmm", 20 * kMs, 28 * kMs).op("aten::softmax", 30 * kMs, 33 * kMs);
  const auto b = attribute(t.trace, eager());
  EXPECT_EQ(b.iterations, 2);
  EXPECT_DOUBLE_EQ(group(b, "GEMM").time_ms, 6.0);
  EXPECT_EQ(group(b, "GEMM").iter_ms, (std::vector<double>{4.0, 8.0}));
  EXPECT_DOUBLE_EQ(find_op(b, "aten::softmax")->calls, 1.0);
  EXPECT_DOUBLE_EQ(b.attributed_ms, 8.0);
  EXPECT_DOUBLE_EQ(b.coverage, (0.5 + 0.55) / 2);
  EXPECT_DOUBLE_EQ(b.profiled_ms.median, 15.0);
  // The trace is the last iteration, timed from its start.
  ASSERT_EQ(b.trace.size(), 2u);
  EXPECT_DOUBLE_EQ(b.trace[0].start_us, 0.0);
  EXPECT_DOUBLE_EQ(b.trace[1].start_us, 10000.0);
  EXPECT_DOUBLE_EQ(b.trace[1].dur_us, 3000.0);
  EXPECT_EQ(b.trace[1].group, "Logit computation");
}

TEST(Attribute, OtherThreadsAndOutsideOpsAreCountedNotAttributed) {
  TraceBuilder main;
  main.iteration(0, 10 * kMs).op("aten::addmm", 0, 4 * kMs).op("aten::view", 11 * kMs, 12 * kMs);
  TraceBuilder worker(1);
  worker.op("aten::addmm", 1 * kMs, 3 * kMs);
  auto trace = main.trace;
  trace.records.push_back(worker.trace.records[0]);
  const auto b = attribute(trace, eager());
  EXPECT_DOUBLE_EQ(b.attributed_ms, 4.0);
  EXPECT_EQ(b.other_thread_records, 1);
  EXPECT_DOUBLE_EQ(b.other_thread_ms, 2.0);
  EXPECT_EQ(b.records_outside_iterations, 1);
}

TEST(Attribute, SplitsAnOpByInputSignature) {
  const ArgInfo a{ArgInfo::Kind::kTensor, {4, 4}, "float32"};
  const ArgInfo c{ArgInfo::Kind::kTensor, {8, 8}, "float32"};
  TraceBuilder t;
  t.iteration(0, 10 * kMs)
      .op("aten::add", 0, 1 * kMs, {a, a})
      .op("aten::add", 1 * kMs, 2 * kMs, {a, a})
      .op("aten::add", 2 * kMs, 5 * kMs, {c, c});
  const auto b = attribute(t.trace, eager());
  const OpStat* add = find_op(b, "aten::add");
  ASSERT_NE(add, nullptr);
  EXPECT_DOUBLE_EQ(add->calls, 3);
  ASSERT_EQ(add->shapes.size(), 2u);
  EXPECT_EQ(add->shapes[0].inputs[0].shape, (std::vector<int64_t>{8, 8}));  // most time first
  EXPECT_DOUBLE_EQ(add->shapes[0].time_ms, 3.0);
  EXPECT_DOUBLE_EQ(add->shapes[1].calls, 2.0);
}

}  // namespace
}  // namespace ngbench::attribution

namespace ngbench::attribution {
namespace {

DeviceRecord kernel(const std::string& name, int64_t t0, int64_t t1, int32_t launched_by,
                    DeviceRecord::Kind kind = DeviceRecord::Kind::kKernel) {
  DeviceRecord d;
  d.name = name;
  d.kind = kind;
  d.start_ns = t0;
  d.end_ns = t1;
  d.launched_by = launched_by;
  return d;
}

// A GPU iteration [0, 20] ms: linear (record 0) nests addmm (record 1), which
// launches a GEMM kernel; a scoped GELU module (record 2) whose mul (record 3)
// launches two kernels; a copy_ (record 4) launches a memcpy; one kernel has no
// known launcher. The device is idle between kernels.
ProfiledTrace gpu_iteration() {
  TraceBuilder b;
  b.iteration(0, 20 * kMs);
  b.open("aten::linear", 0).op("aten::addmm", 0, 1 * kMs).close(1 * kMs);
  b.scope("NewGELUActivation", 1 * kMs).op("aten::mul", 1 * kMs, 2 * kMs).close(2 * kMs);
  b.op("aten::copy_", 2 * kMs, 3 * kMs);
  ProfiledTrace t = b.trace;
  t.device = {kernel("sm90_gemm", 1 * kMs, 6 * kMs, 1),
              kernel("vectorized_mul", 6 * kMs, 8 * kMs, 3),
              kernel("vectorized_mul", 9 * kMs, 10 * kMs, 3),
              kernel("Memcpy DtoD", 10 * kMs, 11 * kMs, 4, DeviceRecord::Kind::kMemcpy),
              kernel("orphan", 12 * kMs, 13 * kMs, -1)};
  return t;
}

TEST(AttributeDevice, KernelTimeGoesToTheLaunchingOperatorNeverAddedToHostTime) {
  const auto b = attribute(gpu_iteration(), eager());
  EXPECT_EQ(b.basis, "device");
  EXPECT_DOUBLE_EQ(group(b, "GEMM").time_ms, 5.0);        // kernel time, not the 1 ms host time
  EXPECT_DOUBLE_EQ(group(b, "Activation").time_ms, 3.0);  // both kernels of the GELU module
  EXPECT_DOUBLE_EQ(group(b, "Memcpy").time_ms, 1.0);
  EXPECT_DOUBLE_EQ(group(b, "Memset").time_ms, 0.0);
  EXPECT_DOUBLE_EQ(group(b, "Unclassified").time_ms, 1.0);  // the orphan, listed
  EXPECT_DOUBLE_EQ(group(b, "Memory").time_ms, 0.0);        // copy_ launched only a memcpy
  const OpStat* linear = find_op(b, "aten::linear");
  ASSERT_NE(linear, nullptr);
  EXPECT_DOUBLE_EQ(linear->device_ms, 5.0);
  EXPECT_DOUBLE_EQ(linear->total_ms, 1.0);  // host time stays host time
  ASSERT_NE(find_op(b, "orphan"), nullptr);
  EXPECT_EQ(find_op(b, "orphan")->group, "Unclassified");
  // Host groups are kept apart.
  double host = 0;
  for (const auto& g : b.device.host_groups) host += g.time_ms;
  EXPECT_DOUBLE_EQ(host, 3.0);
}

TEST(AttributeDevice, ReconcilesSpanIntoBusyAndIdle) {
  const auto b = attribute(gpu_iteration(), eager());
  const auto& d = b.device;
  EXPECT_DOUBLE_EQ(d.span_ms, 20.0);
  EXPECT_DOUBLE_EQ(d.busy_ms, 10.0);  // [1,8] + [9,11] + [12,13]
  EXPECT_DOUBLE_EQ(d.idle_ms, 10.0);
  EXPECT_DOUBLE_EQ(d.busy_fraction, 0.5);
  EXPECT_DOUBLE_EQ(d.kernels, 4.0);
  EXPECT_DOUBLE_EQ(d.activity_ms, 10.0);
  EXPECT_DOUBLE_EQ(d.attributed_ms, 9.0);  // all but the orphan
  // The groups (device basis) sum to the busy time when nothing overlaps.
  double sum = 0, ops = 0;
  for (const auto& g : b.groups) sum += g.time_ms;
  for (const auto& o : b.ops) ops += o.device_ms;
  EXPECT_DOUBLE_EQ(sum, d.busy_ms);
  EXPECT_DOUBLE_EQ(b.attributed_ms, sum);
  EXPECT_DOUBLE_EQ(ops, sum);
}

TEST(AttributeDevice, OverlappingStreamsCountBusyTimeOnce) {
  ProfiledTrace t = gpu_iteration();
  t.device = {kernel("a", 1 * kMs, 5 * kMs, 1), kernel("b", 3 * kMs, 7 * kMs, 3)};
  const auto b = attribute(t, eager());
  EXPECT_DOUBLE_EQ(b.device.busy_ms, 6.0);
  EXPECT_DOUBLE_EQ(b.device.activity_ms, 8.0);
}

}  // namespace
}  // namespace ngbench::attribution

namespace ngbench::attribution {
namespace {

TEST(AttributeDepthScaling, ScalesOnlyTheOpsInsideRepeatedLayers) {
  // embedding [0,1], one GPT2Block holding addmm [1,3] and layer_norm [3,4], lm head addmm [4,6].
  TraceBuilder b;
  b.iteration(0, 6 * kMs).op("aten::embedding", 0, 1 * kMs);
  b.scope("GPT2Block", 1 * kMs).op("aten::addmm", 1 * kMs, 3 * kMs).op("aten::layer_norm", 3 * kMs, 4 * kMs);
  b.close(4 * kMs).op("aten::addmm", 4 * kMs, 6 * kMs);
  AttributionOptions o;
  o.layer_scope = "GPT2Block";
  o.layer_factor = 12;  // 1 of 12 layers built
  const auto r = attribute(b.trace, eager(), o);
  EXPECT_DOUBLE_EQ(group(r, "Embedding").time_ms, 1.0);       // once
  EXPECT_DOUBLE_EQ(group(r, "GEMM").time_ms, 12 * 2.0 + 2.0);  // layer addmm x12, head once
  EXPECT_DOUBLE_EQ(group(r, "Normalization").time_ms, 12.0);
  EXPECT_DOUBLE_EQ(r.attributed_ms, 1 + 26 + 12);
  EXPECT_DOUBLE_EQ(r.depth_scale, 39.0 / 6.0);
  EXPECT_DOUBLE_EQ(r.coverage, 1.0);  // coverage stays as measured
  double calls = 0;
  for (const auto& op : r.ops) calls += op.name == "aten::layer_norm" ? op.calls : 0;
  EXPECT_DOUBLE_EQ(calls, 12);
}

}  // namespace
}  // namespace ngbench::attribution
