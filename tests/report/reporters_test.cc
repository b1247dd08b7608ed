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
  EXPECT_EQ(csv.rfind("model,flow,device,dtype,batch,seq_len,threads,layers,measured_layers,extrapolated,group,side,time_ms,"
                     "share\n", 0), 0u);
  EXPECT_NE(csv.find("gpt2-tiny,eager,cpu,float32,1,4,2,0,0,false,GEMM,gemm,"), std::string::npos);
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

}  // namespace
}  // namespace ngbench::report
