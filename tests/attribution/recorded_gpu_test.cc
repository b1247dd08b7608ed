// Replays raw traces recorded on an H100 (scripts/gpu.sh; tiny GPT-2 and BERT,
// batch 2, sequence 16, float32, 3 profiled iterations) through the device
// attribution, so its logic is tested on real kernel streams without a GPU.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "attribution/attribute.h"
#include "report/raw_trace_json.h"

namespace ngbench::attribution {
namespace {

class RecordedGpu : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    trace_ = report::load_raw_trace(std::string(NGBENCH_SOURCE_DIR) + "/tests/attribution/data/" + GetParam());
    breakdown_ = attribute(trace_, taxonomy::Taxonomy::builtin("eager"));
  }
  ProfiledTrace trace_;
  Breakdown breakdown_;
};

TEST_P(RecordedGpu, AttributedKernelTimeEqualsBusyTimePerIteration) {
  const auto& b = breakdown_;
  ASSERT_EQ(b.basis, "device");
  ASSERT_EQ(b.iterations, 3);
  for (size_t k = 0; k < 3; ++k) {
    double attributed = 0;
    for (const auto& g : b.groups) attributed += g.iter_ms[k];
    EXPECT_NEAR(attributed, b.device.busy_iter_ms[k], 0.01 * b.device.busy_iter_ms[k]) << "iteration " << k;
  }
  EXPECT_NEAR(b.device.busy_ms + b.device.idle_ms, b.device.span_ms, 1e-9);
  EXPECT_GT(b.device.idle_ms, 0);  // tiny models leave the GPU waiting: launch-bound gaps
  EXPECT_DOUBLE_EQ(b.device.attributed_ms, b.device.activity_ms);  // every kernel has a launcher
}

TEST_P(RecordedGpu, KernelsOfNestedOpsGoToTheOutermostOperator) {
  // A kernel is launched by an inner op (aten::addmm inside aten::linear, ...);
  // its time must land on the outermost op, never on a nested one.
  std::map<int32_t, int> kernels_per_launcher;
  int nested_launches = 0;
  for (const auto& d : trace_.device) {
    ASSERT_GE(d.launched_by, 0);
    const auto& r = trace_.records[static_cast<size_t>(d.launched_by)];
    if (r.parent >= 0 && trace_.records[static_cast<size_t>(r.parent)].kind == RecordKind::kOp) ++nested_launches;
    ++kernels_per_launcher[d.launched_by];
  }
  EXPECT_GT(nested_launches, 0);
  // Every row holding kernel time is an outermost operator or a module scope.
  std::set<std::string> outermost;
  for (const auto& r : trace_.records) {
    bool top = true;
    for (int32_t p = r.parent; p >= 0; p = trace_.records[static_cast<size_t>(p)].parent) {
      top = top && trace_.records[static_cast<size_t>(p)].kind == RecordKind::kScope;
    }
    if (top || r.kind == RecordKind::kScope) outermost.insert(r.name);
  }
  for (const auto& o : breakdown_.ops) {
    if (o.device_ms > 0 && o.group != "Memcpy" && o.group != "Memset") {
      EXPECT_EQ(outermost.count(o.name), 1u) << o.name << " holds kernel time but is never outermost";
    }
  }
  // Some operators launch several kernels (multi-kernel ops).
  int multi = 0;
  for (const auto& [launcher, n] : kernels_per_launcher) multi += n > 1 ? 1 : 0;
  EXPECT_GT(multi + nested_launches, 0);
  // Kernel time is device time: the GEMM group holds kernel time, never host time.
  double gemm_kernel = 0, gemm_host = 0;
  for (const auto& g : breakdown_.groups) gemm_kernel += g.name == "GEMM" ? g.time_ms : 0;
  for (const auto& g : breakdown_.device.host_groups) gemm_host += g.name == "GEMM" ? g.time_ms : 0;
  EXPECT_GT(gemm_kernel, 0);
  EXPECT_NE(gemm_kernel, gemm_host);
}

INSTANTIATE_TEST_SUITE_P(H100, RecordedGpu, ::testing::Values("h100-gpt2-tiny.json", "h100-bert-tiny.json"));

}  // namespace
}  // namespace ngbench::attribution
