#include "report/compare.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "core/error.h"
#include "report/console_reporter.h"
#include "report_test_util.h"
#include "synthetic_results.h"

namespace ngbench::report {
namespace {

using testing::fixture_dir;

const ChangeRow& group_row(const ComparedPair& p, const std::string& name) {
  for (const auto& r : p.groups) {
    if (r.name == name) return r;
  }
  throw Error("no group row " + name);
}

size_t significant_rows(const ComparedPair& p) {
  size_t n = 0;
  for (const auto* rows : {&p.totals, &p.groups, &p.ops}) {
    for (const auto& r : *rows) n += (r.significant ? 1 : 0) + (r.share_significant ? 1 : 0);
  }
  return n;
}

// fixtures/compare: gpt2-fixture, a repeat with another seed, and a run whose
// Activation group (GPT-2's GELU module) is 30% faster.
TEST(Compare, DetectsAThirtyPercentFasterGroup) {
  const auto c = compare_results(load_results(fixture_dir("compare") + "/base.json"),
                                 load_results(fixture_dir("compare") + "/activation_faster.json"), {});
  ASSERT_EQ(c.pairs.size(), 1u);
  const ComparedPair& p = c.pairs[0];
  const ChangeRow& act = group_row(p, "Activation");
  EXPECT_TRUE(act.significant);
  EXPECT_LT(act.p_holm, 1e-6);
  ASSERT_TRUE(act.time.valid && act.time.has_ratio);
  EXPECT_LT(act.time.ratio_lo - 1, -0.30 + 0.02);  // the CI holds -30% (within the noise of the fixture)
  EXPECT_GT(act.time.ratio_hi - 1, -0.30 - 0.02);
  EXPECT_NEAR(act.time.ratio - 1, -0.30, 0.02);
  EXPECT_TRUE(act.share_significant);
  EXPECT_LT(act.share.diff, 0);
  // GEMM did not change.
  EXPECT_FALSE(group_row(p, "GEMM").significant);
  // The non-GEMM total fell, with its interval.
  const ChangeRow* ng = p.total(kNonGemmRow);
  ASSERT_NE(ng, nullptr);
  EXPECT_TRUE(ng->significant);
  EXPECT_LT(ng->time.ratio_hi, 1);
  const auto& gelu = *std::find_if(p.ops.begin(), p.ops.end(), [](auto& r) { return r.name == "NewGELUActivation"; });
  EXPECT_TRUE(gelu.significant);
  EXPECT_EQ(gelu.scope, "GPT2Block");
  EXPECT_EQ(p.ops.front().name, "NewGELUActivation");  // the largest change comes first

  const std::string text = comparison_text(c, 10);
  EXPECT_NE(text.find("non-GEMM side: "), std::string::npos);
  EXPECT_NE(text.find("% CI"), std::string::npos);
  EXPECT_NE(text.find("(medians)"), std::string::npos);
  EXPECT_NE(text.find(": significant"), std::string::npos);
  const auto j = comparison_json(c);
  EXPECT_EQ(j["pairs"][0]["totals"][3]["name"], kNonGemmRow);
  EXPECT_TRUE(j["pairs"][0]["totals"][3]["significant"].get<bool>());
  EXPECT_EQ(j["pairs"][0]["totals"][3]["relative_change"]["ci"].size(), 2u);
  EXPECT_NO_THROW(nlohmann::json::parse(j.dump()));
}

// Each of the six tables (totals, groups, operators; times and shares) errs
// with probability about alpha on a repeat: one chance flag is possible, more
// is not plausible (FalsePositiveRateIsNearAlpha measures the rate).
TEST(Compare, RepeatsOfOneConfigurationAreRarelyFlagged) {
  const auto c = compare_results(load_results(fixture_dir("compare") + "/base.json"),
                                 load_results(fixture_dir("compare") + "/repeat.json"), {});
  ASSERT_EQ(c.pairs.size(), 1u);
  EXPECT_LE(significant_rows(c.pairs[0]), 1u) << comparison_text(c, 40);
  for (const auto& r : c.pairs[0].groups) EXPECT_FALSE(r.significant) << r.name;
  for (const auto& r : c.pairs[0].ops) EXPECT_FALSE(r.significant) << r.name;
  EXPECT_TRUE(c.pairs[0].differences.empty());
  EXPECT_EQ(comparison_text(c, 5).find("settings differ"), std::string::npos);
  EXPECT_NE(comparison_text(c, 5).find("non-GEMM side: "), std::string::npos);
}

TEST(Compare, FalsePositiveRateIsNearAlpha) {
  // Forty repeats against one baseline: the non-GEMM total is flagged in about
  // 5% of them (allow up to 15%); with a 30% faster group, in all of them.
  const auto& model = testing::synth_model("bert-fixture");
  testing::SynthOptions o;
  o.seed = 1000;
  const LoadedResult base{"base", testing::synth_result(model, o)};
  int flagged = 0, detected = 0;
  for (int i = 1; i <= 40; ++i) {
    o.seed = 1000 + static_cast<uint64_t>(i);
    o.group_scale.clear();
    const LoadedResult repeat{"repeat", testing::synth_result(model, o)};
    flagged += compare_runs(base, repeat, {}).total(kNonGemmRow)->significant ? 1 : 0;
    o.group_scale["Normalization"] = 0.7;
    const LoadedResult faster{"faster", testing::synth_result(model, o)};
    detected += group_row(compare_runs(base, faster, {}), "Normalization").significant ? 1 : 0;
  }
  EXPECT_LE(flagged, 6);
  EXPECT_EQ(detected, 40);
}

TEST(Compare, SaysWhichOtherSettingsDiffer) {
  const auto base = load_results(fixture_dir("compare") + "/base.json");
  auto other = load_results(fixture_dir("compare") + "/repeat.json");
  ASSERT_EQ(other.size(), 1u);
  auto base_system = base;
  base_system[0].result.config.allocator = "system";
  other[0].result.config.allocator = "retain";
  other[0].result.context.threads = base[0].result.context.threads + 1;
  const auto c = compare_results(base_system, other, {});
  ASSERT_EQ(c.pairs.size(), 1u);
  const auto& d = c.pairs[0].differences;
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[1], "allocator: system vs retain");
  EXPECT_EQ(d[0].rfind("threads: ", 0), 0u);
  EXPECT_NE(comparison_text(c, 5).find("settings differ: threads: "), std::string::npos);
  EXPECT_EQ(comparison_json(c)["pairs"][0]["settings_differ"].size(), 2u);
}

TEST(Compare, MatchesConfigurationsAcrossDirectories) {
  const auto a = load_results(fixture_dir("results"));
  auto b = a;
  b.erase(std::remove_if(b.begin(), b.end(), [](auto& l) { return l.result.config.model == "vit-fixture"; }), b.end());
  for (auto& l : b) l.result.config.flow = "fused";  // a different flow: matched without it
  const auto c = compare_results(a, b, {});
  EXPECT_EQ(c.pairs.size(), 10u);  // 12 ok runs, minus the two vit-fixture ones
  EXPECT_EQ(c.only_in_a.size(), 2u);
  EXPECT_EQ(c.failed.size(), 2u);  // segformer b8 on both sides
  for (const auto& p : c.pairs) EXPECT_EQ(significant_rows(p), 0u) << p.label_a;  // identical data
}

TEST(Compare, TwoSingleFilesAreComparedWhateverTheirConfiguration) {
  auto a = load_results(fixture_dir("compare") + "/base.json");
  auto b = load_results(fixture_dir("compare") + "/repeat.json");
  b[0].result.config.device = "cuda";
  b[0].result.config.dtype = "float16";
  EXPECT_EQ(compare_results(a, b, {}).pairs.size(), 1u);
  EXPECT_THROW(load_results("/nonexistent/result.json"), Error);
}

// Every row of a comparison: the decision, the adjusted p and both intervals
// agree (the difference's excludes 0, the ratio's excludes 1, exactly when
// the row is significant), for the times and the shares.
void expect_consistent(const ComparedPair& p, double alpha) {
  for (const auto* rows : {&p.totals, &p.groups, &p.ops}) {
    for (const ChangeRow& r : *rows) {
      SCOPED_TRACE(r.name + " @ " + r.scope);
      const auto& t = r.time;
      if (r.testable) {
        EXPECT_EQ(r.significant, r.p_holm < alpha);
        EXPECT_EQ(r.significant, t.ci_lo > 0 || t.ci_hi < 0) << t.ci_lo << " .. " << t.ci_hi;
        if (t.has_ratio) {
          EXPECT_EQ(r.significant, t.ratio_lo > 1 || t.ratio_hi < 1);
        }
        EXPECT_LE(t.confidence, 1.0);
        EXPECT_GE(t.confidence, 1 - alpha - 1e-12);  // Holm: at least 1 - alpha, more for smaller p
      }
      if (t.has_ratio) {
        EXPECT_GE(t.ratio_lo, 0.0);  // never below -100%
      }
      if (r.has_share && r.share.valid) {
        EXPECT_EQ(r.share_significant, r.share_p_holm < alpha);
        EXPECT_EQ(r.share_significant, r.share.ci_lo > 0 || r.share.ci_hi < 0);
      }
    }
  }
}

TEST(Compare, IntervalsAndPValuesAgree) {
  const auto base = load_results(fixture_dir("compare") + "/base.json");
  for (const char* other : {"/activation_faster.json", "/repeat.json"}) {
    for (const double alpha : {0.05, 0.01, 0.2}) {
      CompareOptions o;
      o.alpha = alpha;
      const auto c = compare_results(base, load_results(fixture_dir("compare") + other), o);
      ASSERT_EQ(c.pairs.size(), 1u);
      expect_consistent(c.pairs[0], alpha);
    }
  }
  const auto dirs = compare_results(load_results(fixture_dir("results")), load_results(fixture_dir("results")), {});
  for (const auto& p : dirs.pairs) expect_consistent(p, 0.05);
}

TEST(Compare, RelativeChangesNeverPassMinus100Percent) {
  const auto& model = testing::synth_model("gpt2-fixture");
  testing::SynthOptions o;
  o.seed = 31;
  const LoadedResult base{"base", testing::synth_result(model, o)};
  for (const double scale : {0.001, 0.05, 20.0, 1000.0}) {
    o.seed = 32;
    o.group_scale = {{"Activation", scale}, {"Normalization", scale}};
    const LoadedResult changed{"changed", testing::synth_result(model, o)};
    const ComparedPair p = compare_runs(base, changed, {});
    expect_consistent(p, 0.05);
    const ChangeRow& act = group_row(p, "Activation");
    EXPECT_TRUE(act.significant) << scale;
    EXPECT_GE(act.time.ratio_lo, 0.0);
    // Huge speedups and slowdowns (op dispatch and scopes keep some time fixed).
    if (scale < 1) EXPECT_LT(act.time.ratio, 0.1);
    else EXPECT_GT(act.time.ratio, 10.0);
    // No percentage in the text (one decimal: "-30.2%", "[-31.0, -28.5]") is below -100.
    const std::string text = comparison_text(Comparison{0.05, {p}, {}, {}, {}}, 50);
    const std::regex percent(R"((?:^|[ \[,(])([+-]\d+\.\d)(?![\d]))");
    size_t seen = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), percent); it != std::sregex_iterator(); ++it) {
      EXPECT_GE(std::stod((*it)[1]), -100.0) << (*it)[0] << " in\n" << text;
      ++seen;
    }
    EXPECT_GT(seen, 20u);
  }
}

TEST(Compare, MediansAreThoseTheConsolePrints) {
  const auto a = load_results(fixture_dir("compare") + "/base.json");
  const auto b = load_results(fixture_dir("compare") + "/activation_faster.json");
  const auto c = compare_results(a, b, {});
  const ChangeRow* latency = c.pairs[0].total(kLatencyRow);
  ASSERT_NE(latency, nullptr);
  EXPECT_EQ(latency->time.median_a, a[0].result.latency_ms.median);
  EXPECT_EQ(latency->time.median_b, b[0].result.latency_ms.median);
  std::ostringstream console;
  ConsoleReporter(console).report(a[0].result);
  EXPECT_NE(console.str().find(fmt::format("latency  median {:.3f} ms", latency->time.median_a)), std::string::npos);
  EXPECT_NE(comparison_text(c, 5).find(fmt::format("{:.4f}", latency->time.median_a)), std::string::npos);
}

TEST(Compare, OutputIsReproducible) {
  const auto a = load_results(fixture_dir("compare") + "/base.json");
  const auto b = load_results(fixture_dir("compare") + "/repeat.json");
  EXPECT_EQ(comparison_json(compare_results(a, b, {})).dump(), comparison_json(compare_results(a, b, {})).dump());
  EXPECT_EQ(comparison_text(compare_results(a, b, {}), 20), comparison_text(compare_results(a, b, {}), 20));
}

}  // namespace
}  // namespace ngbench::report
