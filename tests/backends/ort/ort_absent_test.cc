// A build without ONNX Runtime: --flow ort fails with one line that says how to get it.
#include <gtest/gtest.h>

#include "process.h"

namespace ngbench::testing {
namespace {

TEST(OrtAbsent, FlowOrtSaysHowToGetIt) {
  const auto o = run_ngbench("run --flow ort --model gpt2-tiny --out /tmp/ngbench-ort-absent");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("flow 'ort' (ONNX Runtime) is not in this build"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("scripts/setup.sh"), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << "one line: " << o.err;
}

}  // namespace
}  // namespace ngbench::testing
