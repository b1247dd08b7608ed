// Prefill vs decode from results (report/phase_comparison.h, report/phase_figure.h):
// results that differ only in phase, kv_cache and gen_tokens form one row per
// context; a result without its partner keeps its row; depth-scaled numbers
// are full-depth estimates and say so; the other multi-run reports keep decode
// apart from prefill.
#include "report/phase_comparison.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "report/breakdown_matrix.h"
#include "report/compare.h"
#include "report/figures.h"
#include "report/phase_figure.h"
#include "report/result_json.h"
#include "report/top_groups.h"
#include "report/workload.h"
#include "synthetic_decode.h"

namespace ngbench::report {
namespace {

using testing::synth_decode;
using testing::synth_model;
using testing::synth_prefill;
using testing::synth_result;
using testing::SynthOptions;

// gpt2-fixture prefill at `context` tokens (per forward).
RunResult prefill(int64_t context, const char* kv_cache = "on", int layers = 0) {
  SynthOptions o;
  o.layers = layers;
  return synth_prefill(synth_model("gpt2-fixture"), o, context, kv_cache);
}

// gpt2-fixture decode (synthetic_decode.h): a step a tenth of a forward, with more Memory time.
RunResult decode(int64_t context, int64_t gen = 32, int layers = 0) {
  SynthOptions o;
  o.layers = layers;
  return synth_decode(synth_model("gpt2-fixture"), o, context, gen);
}

std::vector<const RunResult*> ptrs(const std::vector<RunResult>& v) {
  std::vector<const RunResult*> out;
  for (const auto& r : v) out.push_back(&r);
  return out;
}

double share_of(const RunResult& r) {
  double total = 0;
  for (const auto& g : r.breakdown.groups) total += g.time_ms;
  return non_gemm_ms(r.breakdown) / total;
}

TEST(PhaseComparison, PairsPrefillAndDecodeOfOneConfigurationAndContext) {
  const std::vector<RunResult> results = {decode(128), prefill(64), prefill(128), decode(64)};
  const auto rows = phase_comparisons(ptrs(results));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].context, 64);  // contexts in order, never paired across
  EXPECT_EQ(rows[1].context, 128);
  const PhaseRow& r = rows[1];
  EXPECT_EQ(r.prefill.result, &results[2]);
  EXPECT_EQ(r.decode.result, &results[0]);
  EXPECT_EQ(r.gen_tokens, 32);
  EXPECT_EQ(r.config.phase, "prefill");
  EXPECT_EQ(r.label, "gpt2-fixture eager cpu float32 b1 s128");
  EXPECT_DOUBLE_EQ(r.prefill.ms, results[2].latency_ms.median);
  EXPECT_DOUBLE_EQ(r.decode.ms, results[0].latency_ms.median);
  EXPECT_DOUBLE_EQ(r.decode.tokens_per_s, results[0].decode.tokens_per_s);
  EXPECT_NEAR(r.prefill.non_gemm_share, share_of(results[2]), 1e-12);
  EXPECT_NEAR(r.decode.non_gemm_share, share_of(results[0]), 1e-12);
  EXPECT_GT(r.decode.non_gemm_share, r.prefill.non_gemm_share);
  EXPECT_EQ(r.decode.top_group, top_non_gemm_group(results[0].breakdown)->name);
  EXPECT_FALSE(r.prefill.top_group.empty());
  ASSERT_TRUE(r.decode.halves);
  EXPECT_DOUBLE_EQ(r.decode.early.non_gemm_share, 0.30);
  EXPECT_DOUBLE_EQ(r.decode.late.non_gemm_share, 0.40);
  EXPECT_FALSE(r.extrapolated());
  // One series: the same configuration over contexts.
  const auto series = phase_series(rows);
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].size(), 2u);
  EXPECT_EQ(phase_series_label(rows[0]), "gpt2-fixture eager cpu float32 b1");
}

TEST(PhaseComparison, AResultWithoutItsPartnerKeepsItsRow) {
  RunResult other_batch = decode(64);
  other_batch.config.batch = 8;  // pairs with no prefill of batch 8
  RunResult failed = decode(256);
  failed.status = "failed";
  failed.error = "out of memory";
  const std::vector<RunResult> results = {prefill(128), other_batch, failed, prefill(256)};
  const auto rows = phase_comparisons(ptrs(results));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].context, 128);
  EXPECT_TRUE(rows[0].prefill.ok());
  EXPECT_EQ(rows[0].decode.result, nullptr);
  EXPECT_EQ(rows[0].gen_tokens, 0);
  EXPECT_EQ(rows[1].context, 256);
  EXPECT_TRUE(rows[1].prefill.ok());
  EXPECT_FALSE(rows[1].decode.ok());
  ASSERT_NE(rows[1].decode.result, nullptr);
  EXPECT_EQ(rows[2].config.batch, 8);
  EXPECT_EQ(rows[2].prefill.result, nullptr);
  EXPECT_TRUE(rows[2].decode.ok());
  const std::string md = phase_markdown(rows);
  EXPECT_NE(md.find("| failed |"), std::string::npos) << md;
  EXPECT_NE(md.find("## Failed runs"), std::string::npos);
  EXPECT_NE(md.find("decode g32"), std::string::npos);  // the failed run's label
  EXPECT_NE(md.find("out of memory"), std::string::npos);
  const std::string csv = phase_table(rows).csv();
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);  // header and three rows
  EXPECT_NE(csv.find(",missing,"), std::string::npos);
  EXPECT_NE(csv.find(",failed,"), std::string::npos);
}

TEST(PhaseComparison, ModelsWithoutADecodeResultAndCachelessPrefillsStayApart) {
  RunResult vit = synth_result(synth_model("vit-fixture"), {});
  const std::vector<RunResult> results = {vit, prefill(64), prefill(64, "off"), decode(64)};
  const auto rows = phase_comparisons(ptrs(results));
  ASSERT_EQ(rows.size(), 2u);  // no row for vit-fixture, which has no decode result
  EXPECT_EQ(rows[0].variant, "");
  EXPECT_EQ(rows[0].prefill.result, &results[1]);
  EXPECT_EQ(rows[1].variant, "no cache");
  EXPECT_EQ(rows[1].prefill.result, &results[2]);
  EXPECT_EQ(rows[1].decode.result, nullptr);
  EXPECT_EQ(rows[1].label, "gpt2-fixture eager cpu float32 b1 s64 no cache");
  EXPECT_EQ(phase_series(rows).size(), 2u);
  EXPECT_EQ(phase_comparisons({&vit}).size(), 0u);
  EXPECT_NE(phase_markdown({}).find("No decode results"), std::string::npos);
}

TEST(PhaseComparison, DepthScaledNumbersAreFullDepthEstimatesAndLabelled) {
  const std::vector<RunResult> results = {prefill(64, "on", 1), decode(64, 32, 1)};
  ASSERT_TRUE(results[1].extrapolation.applied);
  const auto rows = phase_comparisons(ptrs(results));
  ASSERT_EQ(rows.size(), 1u);
  const PhaseRow& r = rows[0];
  EXPECT_TRUE(r.extrapolated());
  EXPECT_NE(r.label.find("(extrapolated from 1 of "), std::string::npos) << r.label;
  EXPECT_NE(phase_series_label(r).find("(extrapolated from 1 of "), std::string::npos);
  EXPECT_DOUBLE_EQ(r.prefill.ms, results[0].extrapolation.latency_ms);
  EXPECT_DOUBLE_EQ(r.decode.ms, results[1].extrapolation.latency_ms);
  EXPECT_GT(r.decode.ms, results[1].latency_ms.median);
  EXPECT_NEAR(r.decode.tokens_per_s, 1000.0 / r.decode.ms, 1e-9);
  const double scale = results[1].breakdown.depth_scale;
  EXPECT_DOUBLE_EQ(r.decode.early.median_ms, results[1].decode.early.median_ms * scale);
  EXPECT_DOUBLE_EQ(r.decode.early.non_gemm_share, 0.30);  // the result's, already depth-scaled
  const std::string md = phase_markdown(rows);
  EXPECT_NE(md.find("| ~"), std::string::npos) << md;
  EXPECT_NE(md.find("~30.00 -> ~40.00"), std::string::npos) << md;
  const std::string csv = phase_table(rows).csv();
  EXPECT_NE(csv.find(",true,"), std::string::npos) << csv;  // the depth columns: extrapolated
}

ResultSet set_of(std::vector<RunResult> results) {
  std::vector<LoadedResult> loaded;
  for (auto& r : results) {
    std::string path = r.config.model + ".json";
    loaded.push_back({std::move(path), std::move(r)});
  }
  return split_by_status(std::move(loaded));
}

TEST(PhaseFigure, OneClusterPerContextWithPrefillAndDecodeBars) {
  RunResult unstable = decode(128);
  unstable.stability.verdict = "unstable";
  const ResultSet set = set_of({prefill(64), decode(64), prefill(128), unstable, decode(256)});
  const auto palette = group_palette(set.all());
  const std::vector<DeviceMatrix> matrices;
  const auto kinds = figure_kinds();
  const auto kind =
      std::find_if(kinds.begin(), kinds.end(), [](const FigureKind& k) { return k.name == std::string("phase"); });
  ASSERT_NE(kind, kinds.end());
  const auto figures = kind->build({set, palette, matrices});
  ASSERT_EQ(figures.size(), 1u);
  const StackedFigure& f = figures[0];
  EXPECT_EQ(f.stem, "phase_gpt2-fixture_eager_cpu_float32_b1");
  ASSERT_EQ(f.bars.size(), 6u);
  ASSERT_EQ(f.clusters.size(), 3u);
  EXPECT_EQ(f.clusters[0].text, "s64 g32");
  EXPECT_EQ(f.bars[0].xtic, "prefill");
  EXPECT_EQ(f.bars[1].xtic, "decode");
  EXPECT_NEAR(f.bars[0].values[0] + f.bars[0].values[1], 100, 1e-9);
  EXPECT_NE(f.bars[3].note.find(" !"), std::string::npos);
  EXPECT_EQ(f.bars[4].state, CellState::kMissing);  // s256: no prefill
  const auto html = phase_html_json(set);
  ASSERT_EQ(html.size(), 1u);
  ASSERT_EQ(html[0]["rows"].size(), 3u);
  EXPECT_EQ(html[0]["rows"][2]["prefill"]["state"], "missing");
  EXPECT_EQ(html[0]["rows"][0]["decode"]["early"]["non_gemm_share"], 0.30);
}

TEST(PhaseLabels, OtherReportsNeverMixDecodeWithPrefill) {
  const ResultSet set = set_of({prefill(64), decode(64), prefill(64, "off")});
  const auto matrices = breakdown_matrix(set, group_palette(set.all()));
  ASSERT_EQ(matrices.size(), 1u);
  std::vector<std::string> labels;
  for (const auto& s : matrices[0].series) labels.push_back(s.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"gpt2-fixture", "gpt2-fixture decode g32", "gpt2-fixture no cache"}));
  EXPECT_EQ(config_label(decode(64).config), "gpt2-fixture eager cpu float32 b1 s64 decode g32");
  const auto rows = top_group_rows(set);
  EXPECT_EQ(top_group_averages(rows).size(), 3u);
}

TEST(PhaseLabels, WorkloadTracesAndCompareKeepThePhasesApart) {
  const ResultSet set = set_of({prefill(64), decode(64), prefill(64, "off")});
  const auto w = workload_report(set);
  ASSERT_EQ(w.traces.size(), 3u);  // one per phase variant, not one per model configuration
  EXPECT_NE(w.traces[1].label.find("decode g32"), std::string::npos);
  // Directories compare phase by phase; a decode run finds no prefill partner.
  auto loaded = [](std::vector<RunResult> v) {
    std::vector<LoadedResult> out;
    for (auto& r : v) out.push_back({"x.json", std::move(r)});
    return out;
  };
  CompareOptions fast;
  fast.replicates = 50;
  const auto c = compare_results(loaded({prefill(64), decode(64)}), loaded({decode(64), prefill(128)}), fast);
  ASSERT_EQ(c.pairs.size(), 1u);
  EXPECT_NE(c.pairs[0].label_a.find("decode g32"), std::string::npos);
  EXPECT_NE(c.pairs[0].label_b.find("decode g32"), std::string::npos);
  ASSERT_EQ(c.only_in_a.size(), 1u);
  // Two files compared directly say that one is per token.
  const auto d = compare_results(loaded({prefill(64)}), loaded({decode(64)}), fast);
  ASSERT_EQ(d.pairs.size(), 1u);
  const auto& diff = d.pairs[0].differences;
  EXPECT_NE(std::find(diff.begin(), diff.end(), "phase: prefill vs decode g32"), diff.end());
  ASSERT_FALSE(d.pairs[0].notes.empty());
  EXPECT_NE(d.pairs[0].notes.back().find("B is a decode run (32 tokens generated over a 64-token context)"),
            std::string::npos);
}

}  // namespace
}  // namespace ngbench::report
