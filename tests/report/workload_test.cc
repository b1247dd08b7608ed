#include "report/workload.h"

#include <gtest/gtest.h>

#include "report/nongemm_report.h"
#include "report_test_util.h"

namespace ngbench::report {
namespace {

using testing::fixture_dir;

const ResultSet& fixture_set() {
  static const ResultSet set = split_by_status(load_results(fixture_dir("results")));
  return set;
}

const WorkloadRun& run_of(const WorkloadReport& w, const std::string& model, int64_t batch) {
  for (const auto& r : w.runs) {
    if (r.config.model == model && r.config.batch == batch) return r;
  }
  throw std::runtime_error("no run " + model);
}

TEST(Workload, OperatorTypesWithTheirShapesAndTime) {
  const WorkloadReport w = workload_report(fixture_set());
  EXPECT_EQ(w.runs.size(), 12u);  // ok runs only
  EXPECT_EQ(w.runs.front().task, "IC");
  EXPECT_EQ(w.runs.back().task, "NLP");
  const WorkloadRun& gpt2 = run_of(w, "gpt2-fixture", 8);
  const auto addmm = std::find_if(gpt2.ops.begin(), gpt2.ops.end(), [](auto& o) { return o.name == "aten::addmm"; });
  ASSERT_NE(addmm, gpt2.ops.end());
  EXPECT_EQ(addmm->group, "GEMM");
  EXPECT_DOUBLE_EQ(addmm->calls, 12);  // 4 per layer, 3 layers
  ASSERT_EQ(addmm->shapes.size(), 4u);
  double shape_ms = 0;
  for (const auto& s : addmm->shapes) {
    EXPECT_DOUBLE_EQ(s.calls, 3);
    EXPECT_EQ(s.dtypes, "float32");
    shape_ms += s.time_ms;
  }
  EXPECT_NEAR(shape_ms, addmm->time_ms, 1e-9);
  // By time: the 3072-wide projections first; batch 8 in the shapes.
  EXPECT_NE(addmm->shapes.front().inputs.find("float32[256,"), std::string::npos) << addmm->shapes.front().inputs;
  // Ops are sorted by time.
  for (size_t i = 1; i < gpt2.ops.size(); ++i) EXPECT_GE(gpt2.ops[i - 1].time_ms, gpt2.ops[i].time_ms);
}

TEST(Workload, NonGemmTracePerModelInExecutionOrder) {
  const WorkloadReport w = workload_report(fixture_set());
  EXPECT_EQ(w.traces.size(), 7u);  // one per model configuration
  const auto t = std::find_if(w.traces.begin(), w.traces.end(), [](auto& x) { return x.config.model == "gpt2-fixture"; });
  ASSERT_NE(t, w.traces.end());
  EXPECT_EQ(t->config.batch, 1);  // the smallest batch
  ASSERT_GE(t->steps.size(), 6u);
  const std::vector<std::string> first{"aten::embedding", "aten::embedding", "aten::add", "aten::layer_norm",
                                       "aten::split", "aten::view"};
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(t->steps[i].name, first[i]) << i;
  for (const auto& s : t->steps) EXPECT_NE(s.group, "GEMM");
  for (size_t i = 1; i < t->steps.size(); ++i) EXPECT_GE(t->steps[i].start_us, t->steps[i - 1].start_us);
  EXPECT_GT(t->all_ops, t->steps.size());

  const std::string md = workload_markdown(w);
  EXPECT_NE(md.find("# Workload report"), std::string::npos);
  EXPECT_NE(md.find("| aten::addmm | GEMM | 12 |"), std::string::npos);
  EXPECT_NE(md.find("# Non-GEMM operator traces"), std::string::npos);
  const std::string csv = workload_table(w).csv();
  EXPECT_EQ(csv.rfind("task,model,flow,device,dtype,batch,seq_len,layers,measured_layers,extrapolated,operator,group,"
                      "side,", 0),
            0u);
  EXPECT_NE(csv.find("NLP,gpt2-fixture,eager,cpu,float32,8,32,0,0,false,aten::addmm,GEMM,gemm,12,"), std::string::npos);
  EXPECT_NE(csv.find("\"float32[2304], float32[256,768], float32[768,2304]\""), std::string::npos);
  const std::string trace_csv = nongemm_trace_table(w).csv();
  EXPECT_NE(trace_csv.find("NLP,gpt2-fixture,eager,cpu,float32,1,32,0,0,false,0,aten::embedding,Embedding,,"),
            std::string::npos);
}

TEST(NonGemmReport, VariantsWithinAGroup) {
  const NonGemmReport r = nongemm_report(fixture_set());
  const auto detr = std::find_if(r.runs.begin(), r.runs.end(), [](auto& x) { return x.config.model == "detr-fixture"; });
  ASSERT_NE(detr, r.runs.end());
  const auto norm = std::find_if(detr->groups.begin(), detr->groups.end(), [](auto& g) { return g.group == "Normalization"; });
  ASSERT_NE(norm, detr->groups.end());
  ASSERT_EQ(norm->variants.size(), 3u);  // the frozen batch norm module, aten::batch_norm, aten::layer_norm
  std::vector<std::string> names;
  double share = 0, ms = 0;
  for (const auto& v : norm->variants) {
    names.push_back(v.name);
    share += v.share_of_group;
    ms += v.time_ms;
  }
  EXPECT_EQ(norm->variants.front().name, "DetrFrozenBatchNorm2d");
  EXPECT_EQ(norm->variants.front().kind, "module");
  EXPECT_NE(std::find(names.begin(), names.end(), "aten::batch_norm"), names.end());
  EXPECT_NEAR(share, 1.0, 1e-9);
  EXPECT_NEAR(ms, norm->time_ms, 1e-9);
  EXPECT_DOUBLE_EQ(norm->variants.front().calls, 3);  // stem + 2 layers
  for (const auto& g : detr->groups) EXPECT_NE(g.group, "GEMM");

  const std::string md = nongemm_markdown(r);
  EXPECT_NE(md.find("| detr-fixture eager cpu float32 b1 s0 | Normalization | 3 |"), std::string::npos);
  EXPECT_NE(md.find("DetrFrozenBatchNorm2d, aten::batch_norm"), std::string::npos);
  const std::string csv = nongemm_table(r).csv();
  EXPECT_NE(csv.find("OD,detr-fixture,eager,cpu,float32,1,0,0,0,false,Normalization,"), std::string::npos);
  EXPECT_NE(csv.find(",3,DetrFrozenBatchNorm2d,module,"), std::string::npos);
}

TEST(TextTable, CsvQuotingAndMarkdownEscaping) {
  TextTable t;
  t.header = {"a", "b"};
  t.numeric = {false, true};
  t.add({"x, \"y\"", "1"}).add({"p|q", "2"});
  EXPECT_EQ(t.csv(), "a,b\n\"x, \"\"y\"\"\",1\np|q,2\n");
  EXPECT_EQ(t.markdown(), "| a | b |\n| --- | ---: |\n| x, \"y\" | 1 |\n| p\\|q | 2 |\n");
}

}  // namespace
}  // namespace ngbench::report
