#include <gtest/gtest.h>

#include <sstream>

#include "fixtures.h"
#include "report/console_reporter.h"
#include "report/csv_reporter.h"

namespace ngbench::report {
namespace {

size_t count(const std::string& s, char c) { return static_cast<size_t>(std::count(s.begin(), s.end(), c)); }

TEST(CsvReporter, GroupsHaveOneRowPerGroup) {
  const auto r = testing::sample_result();
  const auto csv = CsvReporter::groups_csv(r);
  EXPECT_EQ(count(csv, '\n'), r.breakdown.groups.size() + 1);
  EXPECT_EQ(csv.rfind("model,flow,device,dtype,batch,seq_len,threads,layers,measured_layers,extrapolated,phase,"
                     "kv_cache,gen_tokens,group,side,time_ms,share\n", 0), 0u);
  EXPECT_NE(csv.find("gpt2-tiny,eager,cpu,float32,1,4,2,0,0,false,prefill,,,GEMM,gemm,"), std::string::npos);
}

TEST(CsvReporter, QuotesFieldsWithCommasAndQuotes) {
  const auto csv = CsvReporter::ops_csv(testing::sample_result());
  EXPECT_NE(csv.find("\"weird::op, \"\"quoted\"\"\""), std::string::npos);
  EXPECT_NE(csv.find("float32[1,4,8];float32[1,4,8];s"), std::string::npos);
}

TEST(ConsoleReporter, ShowsTheNonGemmTotalAndUnclassifiedOps) {
  std::ostringstream out;
  ConsoleReporter(out).report(testing::sample_result());
  const auto s = out.str();
  EXPECT_NE(s.find("non-GEMM total"), std::string::npos);
  EXPECT_NE(s.find("unclassified operators"), std::string::npos);
  EXPECT_NE(s.find("weird::op"), std::string::npos);
  EXPECT_NE(s.find("coverage"), std::string::npos);
}

TEST(ConsoleReporter, ShowsAFailedRunsError) {
  auto r = testing::sample_result();
  r.status = "failed";
  r.error = "boom";
  std::ostringstream out;
  ConsoleReporter(out).report(r);
  EXPECT_NE(out.str().find("FAILED: boom"), std::string::npos);
}

// A decode run: times per generated token, told apart from the prefill in every row and in the header.
RunResult decode_result() {
  auto r = testing::sample_result();
  r.config.phase = "decode";
  r.config.gen_tokens = 16;
  r.decode.present = true;
  r.decode.context = r.config.seq_len;
  r.decode.gen_tokens = 16;
  r.decode.tokens_per_s = 250;
  r.decode.early = {0, 7, 3.5, 0.25, "Memory"};
  r.decode.late = {8, 15, 4.5, 0.375, "Normalization"};
  return r;
}

TEST(CsvReporter, DecodeRowsCarryThePhaseAndTheTokens) {
  auto r = decode_result();
  EXPECT_NE(CsvReporter::groups_csv(r).find(",false,decode,,16,GEMM,gemm,"), std::string::npos);
  EXPECT_NE(CsvReporter::ops_csv(r).find(",false,decode,,16,"), std::string::npos);
  r = testing::sample_result();
  r.config.kv_cache = "off";
  EXPECT_NE(CsvReporter::groups_csv(r).find(",false,prefill,off,,GEMM,gemm,"), std::string::npos);
}

TEST(ConsoleReporter, DecodeHeaderSaysPerTokenAndPrintsTheHalves) {
  std::ostringstream out;
  ConsoleReporter(out).report(decode_result());
  const auto s = out.str();
  EXPECT_NE(s.find(" | decode: 4-token context, 16 tokens, per token"), std::string::npos) << s;
  EXPECT_NE(s.find("decode   250.0 tokens/s, 16 steps per sequence"), std::string::npos) << s;
  EXPECT_NE(s.find("early half (steps 0-7): median 3.500 ms, non-GEMM 25.00%, top Memory"), std::string::npos) << s;
  EXPECT_NE(s.find("late  half (steps 8-15): median 4.500 ms, non-GEMM 37.50%, top Normalization"), std::string::npos);
  std::ostringstream prefill;
  auto r = testing::sample_result();
  r.config.kv_cache = "off";
  ConsoleReporter(prefill).report(r);
  EXPECT_NE(prefill.str().find(" | prefill without the KV cache"), std::string::npos);
  EXPECT_EQ(prefill.str().find("decode"), std::string::npos);
}

}  // namespace
}  // namespace ngbench::report
