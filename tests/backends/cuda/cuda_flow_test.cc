// The CUDA flow on a real GPU: kernels are attributed to operators, the
// attributed kernel time reconciles with the device busy time, energy is read.
#include <ATen/Context.h>
#include <gtest/gtest.h>

#include <cmath>

#include "attribution/attribute.h"
#include "backends/backend.h"
#include "runner/measure.h"
#include "runner/runner.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::backends {
namespace {

RunConfig tiny(const std::string& model) {
  RunConfig c;
  c.model = model;
  c.device = "cuda";
  c.batch = 2;
  c.seq_len = 16;
  c.warmup = 2;
  c.iters = 5;
  c.profile_iters = 3;
  return c;
}

class CudaFlow : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (!at::hasCUDA()) GTEST_SKIP() << "no CUDA GPU";
  }
};

TEST_P(CudaFlow, KernelTimeReconcilesWithDeviceBusyTime) {
  const RunConfig c = runner::validate(tiny(GetParam()));
  auto backend = find_backend(c.flow, c.device).create();
  const auto taxonomy = taxonomy::Taxonomy::builtin("eager");
  const auto m = runner::measure(*backend, c, taxonomy);
  ASSERT_EQ(m.trace.iterations.size(), 3u);
  ASSERT_FALSE(m.trace.device.empty());
  const auto b = attribution::attribute(m.trace, taxonomy);
  EXPECT_EQ(b.basis, "device");
  EXPECT_GT(b.device.kernels, 5);
  // Every kernel is linked to the operator that launched it.
  EXPECT_NEAR(b.device.attributed_ms, b.device.activity_ms, 0.01 * b.device.activity_ms);
  // Per iteration: attributed kernel time = kernel busy time within 1% (one stream).
  for (size_t k = 0; k < 3; ++k) {
    double attributed = 0;
    for (const auto& g : b.groups) attributed += g.iter_ms[k];
    EXPECT_NEAR(attributed, b.device.busy_iter_ms[k], 0.01 * b.device.busy_iter_ms[k]) << "iteration " << k;
  }
  EXPECT_NEAR(b.device.busy_ms + b.device.idle_ms, b.device.span_ms, 1e-9);
  EXPECT_GT(b.device.busy_ms, 0);
  // GEMM kernels are found, and launched by GEMM operators.
  double gemm = 0;
  for (const auto& g : b.groups) gemm += g.side == Side::kGemm ? g.time_ms : 0;
  EXPECT_GT(gemm, 0);
  EXPECT_EQ(m.timed_ms.size(), 5u);
  EXPECT_TRUE(m.energy.measured);  // the runner's energy bracket around the device's counter
  EXPECT_GT(m.energy.joules_per_inference, 0);
}

INSTANTIATE_TEST_SUITE_P(TinyModels, CudaFlow, ::testing::Values("gpt2-tiny", "bert-tiny"));

}  // namespace
}  // namespace ngbench::backends
