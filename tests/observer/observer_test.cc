#include "observer/observer.h"

#include <ATen/ATen.h>
#include <ATen/record_function.h>
#include <c10/core/InferenceMode.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>

#include "attribution/attribute.h"
#include "core/error.h"
#include "models/module_scope.h"

namespace ngbench::observer {
namespace {

// A hand-built "MLP block" whose ops we know: linear (which nests addmm),
// a scoped tanh-GELU chain, and a top-level softmax.
at::Tensor block(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) {
  models::ModuleScope mlp("TestMLP");
  at::Tensor h = at::linear(x, w, b);
  {
    models::ModuleScope gelu("NewGELUActivation", {h});
    h = at::mul(h, 0.5);
    h = at::tanh(h);
  }
  return at::softmax(h, -1);
}

struct Fixture {
  at::Tensor x = at::randn({2, 8, 16});
  at::Tensor w = at::randn({32, 16});
  at::Tensor b = at::randn({32});
};

std::vector<const OpRecord*> top_level_ops(const ProfiledTrace& t) {
  std::vector<const OpRecord*> out;
  for (const auto& r : t.records) {
    if (r.thread != 0 || r.kind != RecordKind::kOp) continue;
    bool outermost = true;
    for (int32_t p = r.parent; p >= 0; p = t.records[static_cast<size_t>(p)].parent) {
      outermost = outermost && t.records[static_cast<size_t>(p)].kind == RecordKind::kScope;
    }
    if (outermost) out.push_back(&r);
  }
  return out;
}

TEST(Observer, RecordsOpsScopesNestingAndShapes) {
  c10::InferenceMode guard;
  Fixture f;
  block(f.x, f.w, f.b);  // warm
  Observer obs;
  obs.start();
  block(f.x, f.w, f.b);
  obs.stop();
  const auto t = obs.collect();

  const auto top = top_level_ops(t);
  std::vector<std::string> names;
  for (const auto* r : top) names.push_back(r->name);
  EXPECT_EQ(names, (std::vector<std::string>{"aten::linear", "aten::mul", "aten::tanh", "aten::softmax"}));

  // Scopes: TestMLP encloses everything; NewGELUActivation encloses mul and tanh.
  const auto& mul = *top[1];
  ASSERT_GE(mul.parent, 0);
  const auto& gelu = t.records[static_cast<size_t>(mul.parent)];
  EXPECT_EQ(gelu.name, "NewGELUActivation");
  EXPECT_EQ(gelu.kind, RecordKind::kScope);
  ASSERT_EQ(gelu.inputs.size(), 1u);
  EXPECT_EQ(gelu.inputs[0].shape, (std::vector<int64_t>{2, 8, 32}));
  EXPECT_EQ(t.records[static_cast<size_t>(gelu.parent)].name, "TestMLP");
  EXPECT_EQ(mul.depth, 2);

  // linear nests at least one op (addmm or matmul), each inside its span.
  const auto& linear = *top[0];
  int children = 0;
  for (const auto& r : t.records) {
    if (r.parent >= 0 && &t.records[static_cast<size_t>(r.parent)] == &linear) {
      ++children;
      EXPECT_GE(r.start_ns, linear.start_ns);
      EXPECT_LE(r.end_ns, linear.end_ns);
      EXPECT_EQ(r.depth, linear.depth + 1);
    }
  }
  EXPECT_GT(children, 0);

  // Shapes and dtypes of inputs; a scalar argument is recorded as a scalar.
  ASSERT_EQ(linear.inputs.size(), 3u);
  EXPECT_EQ(linear.inputs[0].shape, (std::vector<int64_t>{2, 8, 16}));
  EXPECT_EQ(linear.inputs[1].shape, (std::vector<int64_t>{32, 16}));
  EXPECT_EQ(linear.inputs[0].dtype, "float32");
  ASSERT_EQ(mul.inputs.size(), 2u);
  EXPECT_EQ(mul.inputs[1].kind, ArgInfo::Kind::kScalar);
  const auto& softmax = *top[3];
  EXPECT_EQ(softmax.inputs[1].kind, ArgInfo::Kind::kScalar);  // dim
}

TEST(Observer, SelfTimeNeverDoubleCounts) {
  c10::InferenceMode guard;
  Fixture f;
  Observer obs;
  obs.start();
  obs.begin_iteration();
  block(f.x, f.w, f.b);
  obs.end_iteration();
  obs.stop();
  const auto t = obs.collect();
  // Children lie within their parent and do not overlap each other.
  for (size_t i = 0; i < t.records.size(); ++i) {
    const auto& r = t.records[i];
    EXPECT_LE(r.start_ns, r.end_ns);
    if (r.parent < 0) continue;
    const auto& p = t.records[static_cast<size_t>(r.parent)];
    EXPECT_GE(r.start_ns, p.start_ns);
    EXPECT_LE(r.end_ns, p.end_ns);
  }
  const auto b = attribution::attribute(t, taxonomy::Taxonomy::builtin("eager"));
  double groups = 0;
  for (const auto& g : b.groups) groups += g.time_ms;
  EXPECT_NEAR(groups, b.attributed_ms, 1e-9);
  EXPECT_LE(b.attributed_ms, b.profiled_ms.median);
  EXPECT_GT(b.coverage, 0.5);
  // The GELU module is one Activation operator; the linear is one GEMM operator.
  int gelu_rows = 0;
  for (const auto& o : b.ops) {
    if (o.name == "NewGELUActivation") {
      ++gelu_rows;
      EXPECT_EQ(o.group, "Activation");
      EXPECT_EQ(o.scope, "TestMLP");
      EXPECT_DOUBLE_EQ(o.calls, 1);
    }
    EXPECT_NE(o.name, "aten::tanh");
    EXPECT_NE(o.name, "aten::addmm");
  }
  EXPECT_EQ(gelu_rows, 1);
}

TEST(Observer, WithoutShapesRecordsNoInputs) {
  c10::InferenceMode guard;
  Fixture f;
  ObserverOptions o;
  o.record_shapes = false;
  Observer obs(o);
  obs.start();
  block(f.x, f.w, f.b);
  obs.stop();
  const auto t = obs.collect();
  ASSERT_FALSE(t.records.empty());
  for (const auto& r : t.records) EXPECT_TRUE(r.inputs.empty()) << r.name;
}

TEST(Observer, StopsRecordingWhenStoppedAndOnlyOneRuns) {
  c10::InferenceMode guard;
  Fixture f;
  Observer a;
  a.start();
  Observer b;
  EXPECT_THROW(b.start(), Error);
  a.stop();
  const size_t n = a.collect().records.size();
  block(f.x, f.w, f.b);
  EXPECT_EQ(a.collect().records.size(), n);
  b.start();  // now it may
  b.stop();
}

// A named range that is not a dispatcher op (AOTInductor's kernel ranges: aoti_record_function_start) owns its
// name in libtorch 2.11's RecordFunction; the record keeps a copy after the range is gone.
TEST(Observer, NamedRangesKeepTheirNamesAfterTheRangeEnds) {
  Observer obs;
  obs.start();
  for (int i = 0; i < 2; ++i) {
    std::string name = "graph_0_cpp_fused_add_" + std::to_string(i);
    auto range = std::make_unique<at::RecordFunction>(at::RecordScope::FUNCTION);
    if (range->isActive()) range->before(name.c_str());
    range.reset();
    name.assign(name.size(), '#');  // what the range's name pointed at, if anything, is gone
  }
  obs.stop();
  const auto t = obs.collect();
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0].name, "graph_0_cpp_fused_add_0");
  EXPECT_EQ(t.records[1].name, "graph_0_cpp_fused_add_1");
}

TEST(Observer, ClearDropsRecordsAndIterations) {
  c10::InferenceMode guard;
  Fixture f;
  Observer obs;
  obs.start();
  obs.begin_iteration();
  block(f.x, f.w, f.b);
  obs.end_iteration();
  obs.clear();
  block(f.x, f.w, f.b);
  obs.stop();
  const auto t = obs.collect();
  EXPECT_TRUE(t.iterations.empty());
  EXPECT_FALSE(t.records.empty());
  EXPECT_EQ(top_level_ops(t).size(), 4u);  // only the pass after clear()
}

TEST(Observer, OpsOnOtherThreadsGetTheirOwnThreadNumber) {
  c10::InferenceMode guard;
  Observer obs;
  obs.start();
  at::add(at::ones({4}), 1);
  std::thread worker([] {
    c10::InferenceMode g;
    at::add(at::ones({4}), 1);
  });
  worker.join();
  obs.stop();
  const auto t = obs.collect();
  bool main = false, other = false;
  for (const auto& r : t.records) {
    main = main || r.thread == 0;
    other = other || r.thread != 0;
  }
  EXPECT_TRUE(main);
  EXPECT_TRUE(other);
}

}  // namespace
}  // namespace ngbench::observer
