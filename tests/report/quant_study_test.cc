// The quantization study and Fig. 9 from results (report/quant_study.h,
// report/quant_figure.h): results that differ only in --quant form one
// comparison per sequence length with "none" first; speedup, slowdown and
// operators added are against it; comparisons of one configuration over
// sequence lengths form one figure; the study's summary file is not a result.
#include "report/quant_study.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/run_config.h"
#include "report/quant_figure.h"
#include "report/result_json.h"
#include "synthetic_results.h"

namespace ngbench::report {
namespace {

using testing::synth_model;
using testing::synth_result;
using testing::SynthOptions;

// gpt2-fixture at `seq` with --quant `quant`: GEMM scaled by `gemm_scale`, plus a Quantization group of
// `qdq_ms` made of `qdq_calls` operator calls per iteration.
RunResult run(const std::string& quant, int64_t seq, double gemm_scale = 1, double qdq_ms = 0, double qdq_calls = 0) {
  SynthOptions o;
  o.group_scale["GEMM"] = gemm_scale;
  RunResult r = synth_result(synth_model("gpt2-fixture"), o);
  r.config.seq_len = seq;
  r.config.quant = quant;
  if (qdq_ms > 0) {
    auto& groups = r.breakdown.groups;  // every group of the taxonomy is listed, the unused ones at 0
    auto g = std::find_if(groups.begin(), groups.end(), [](const GroupTime& x) { return x.name == "Quantization"; });
    if (g == groups.end()) {
      groups.push_back({"Quantization", Side::kNonGemm, 0, 0, {}});
      g = groups.end() - 1;
    }
    g->time_ms += qdq_ms;
    r.breakdown.attributed_ms += qdq_ms;
    OpStat op;
    op.name = "bitsandbytes::int8_vectorwise_quant";
    op.kind = RecordKind::kScope;
    op.group = "Quantization";
    op.calls = qdq_calls;
    op.total_ms = qdq_ms;
    r.breakdown.ops.push_back(op);
  }
  if (quant != "none") r.workload_counts["quant_linears"] = 8;
  return r;
}

double gemm_of(const RunResult& r) { return gemm_ms(r.breakdown); }

TEST(QuantStudy, ComparesEverySchemeWithTheUnquantizedRunPerSequenceLength) {
  const std::vector<RunResult> results = {run("int8-lt", 128, 0.5, 2.0, 232), run("none", 128), run("none", 64),
                                          run("int8-lt", 64, 0.5, 1.0, 232), run("int8-dynamic", 64, 0.7, 0.5, 64)};
  std::vector<const RunResult*> ptrs;
  for (const auto& r : results) ptrs.push_back(&r);
  const auto comparisons = quant_comparisons(ptrs);
  ASSERT_EQ(comparisons.size(), 2u);
  const QuantComparison& s64 = comparisons[0];
  EXPECT_EQ(s64.config.seq_len, 64);
  EXPECT_EQ(s64.config.quant, "none");
  ASSERT_EQ(s64.rows.size(), 3u);
  EXPECT_EQ(s64.rows[0].variant, "none");  // the baseline first, then the schemes in --quant's order
  EXPECT_EQ(s64.rows[1].variant, "int8-lt");
  EXPECT_EQ(s64.rows[2].variant, "int8-dynamic");
  ASSERT_NE(s64.baseline(), nullptr);
  const QuantRow& lt = s64.rows[1];
  EXPECT_NEAR(lt.gemm_speedup, gemm_of(results[2]) / gemm_of(results[3]), 1e-9);
  EXPECT_NEAR(lt.gemm_speedup, 2.0, 0.1);  // GEMM made twice as fast (with the fixture's noise)
  EXPECT_NEAR(lt.non_gemm_slowdown, lt.non_gemm_ms / s64.rows[0].non_gemm_ms, 1e-12);
  EXPECT_GT(lt.non_gemm_slowdown, 1.0);
  EXPECT_DOUBLE_EQ(lt.quantization_ms, 1.0);
  EXPECT_DOUBLE_EQ(lt.operators_added, 232);
  EXPECT_DOUBLE_EQ(lt.quant_linears, 8);
  EXPECT_GT(lt.non_gemm_share, s64.rows[0].non_gemm_share);
  EXPECT_EQ(comparisons[1].config.seq_len, 128);
  // One series: the same configuration over sequence lengths, in order.
  const auto series = quant_series(comparisons);
  ASSERT_EQ(series.size(), 1u);
  ASSERT_EQ(series[0].size(), 2u);
  EXPECT_EQ(series[0][0]->config.seq_len, 64);
}

TEST(QuantStudy, RunsOfAnotherConfigurationOrWithoutAQuantizedRunFormNoComparison) {
  RunResult other_threads = run("int8-lt", 64, 0.5, 1.0, 10);
  other_threads.config.threads = 2;
  const RunResult base = run("none", 64), lone_base = run("none", 128);
  const auto comparisons = quant_comparisons({&base, &other_threads, &lone_base});
  ASSERT_EQ(comparisons.size(), 1u);  // the int8-lt run alone (threads 2); s128 has no quantized run
  ASSERT_EQ(comparisons[0].rows.size(), 1u);
  EXPECT_EQ(comparisons[0].baseline(), nullptr);
  EXPECT_EQ(comparisons[0].rows[0].gemm_speedup, 0) << "nothing to compare against";
}

TEST(QuantStudy, OutlierVariantsAndFailedRunsAreRowsOfTheirOwn) {
  RunResult detected = run("int8-lt", 64, 0.5, 3.0, 300);
  detected.config.int8_outliers = kInt8OutliersDetected;
  RunResult failed = run("int8-weight", 64);
  failed.status = "failed";
  failed.error = "out of memory";
  const RunResult base = run("none", 64), lt = run("int8-lt", 64, 0.5, 1.0, 232);
  const auto comparisons = quant_comparisons({&failed, &detected, &base, &lt});
  ASSERT_EQ(comparisons.size(), 1u);
  const auto& rows = comparisons[0].rows;
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].variant, "int8-lt");
  EXPECT_EQ(rows[2].variant, "int8-lt outliers-detected");
  EXPECT_EQ(rows[3].variant, "int8-weight");
  EXPECT_FALSE(rows[3].ok());
  // The summary file names its kind and every row, and result readers pass it over.
  const nlohmann::json j = quant_study_json(comparisons[0], "ngbench quant");
  EXPECT_EQ(j["kind"], "ngbench-quant");
  ASSERT_EQ(j["rows"].size(), 4u);
  EXPECT_EQ(j["rows"][3]["status"], "failed");
  EXPECT_DOUBLE_EQ(j["rows"][1]["operators_added"].get<double>(), 232);
  const std::string csv = quant_study_csv(comparisons[0]);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);  // header and four rows
}

TEST(QuantFigure, OneFigurePerConfigurationBarsRelativeToTheUnquantizedRun) {
  std::vector<LoadedResult> loaded = {{"a.json", run("none", 64)},
                                      {"b.json", run("int8-lt", 64, 0.5, 1.0, 232)},
                                      {"c.json", run("none", 128)},
                                      {"d.json", run("int8-lt", 128, 0.5, 2.0, 232)}};
  const ResultSet set = split_by_status(std::move(loaded));
  std::vector<const RunResult*> ptrs;
  for (const auto& l : set.ok) ptrs.push_back(&l.result);
  const auto palette = group_palette(ptrs);
  const std::vector<DeviceMatrix> matrices;
  const auto figures = quant_figures({set, palette, matrices});
  ASSERT_EQ(figures.size(), 1u);
  const StackedFigure& f = figures[0];
  ASSERT_EQ(f.bars.size(), 4u);  // two lengths x (none, int8-lt)
  ASSERT_EQ(f.clusters.size(), 2u);
  double none_total = 0;
  for (double v : f.bars[0].values) none_total += v;
  EXPECT_NEAR(none_total, 100, 1e-9) << "the unquantized run is 100%";
  EXPECT_EQ(f.bars[0].xtic, "none");
  EXPECT_EQ(f.bars[1].xtic, "lt");  // short enough to sit under its bar
  EXPECT_GT(f.bars[1].values[1], 0) << "the Quantization segment";
  EXPECT_GE(f.y_max, 100);
  // No quantized run: no figure.
  std::vector<LoadedResult> plain = {{"a.json", run("none", 64)}};
  const ResultSet plain_set = split_by_status(std::move(plain));
  EXPECT_TRUE(quant_figures({plain_set, palette, matrices}).empty());
  EXPECT_TRUE(quant_html_json(plain_set).empty());
  EXPECT_EQ(quant_html_json(set).size(), 1u);
}

}  // namespace
}  // namespace ngbench::report
