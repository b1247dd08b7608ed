// A depth-scaled result (llama-fixture: 1 of its 32 layers built, group and
// operator times scaled to 32) is labelled as such wherever a report shows it:
// the console, every CSV row, the figures, Table IV, the HTML report, the
// workload and non-GEMM reports, and compare.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sstream>

#include "report/compare.h"
#include "report/console_reporter.h"
#include "report/csv_reporter.h"
#include "report/figures.h"
#include "report/html_report.h"
#include "report/nongemm_report.h"
#include "report/top_groups.h"
#include "report/workload.h"
#include "report_test_util.h"

namespace ngbench::report {
namespace {

using nlohmann::json;
using testing::fixture_dir;

const std::string kLlama = "/llama-fixture__eager__cpu__float32__b1__s32__l1.json";
const std::string kNote = "extrapolated from 1 of 32 layers";

const ResultSet& fixture_set() {
  static const ResultSet set = split_by_status(load_results(fixture_dir("results")));
  return set;
}

// The header of `csv` has the depth columns, and every row of `model` holds `columns`.
void expect_rows(const std::string& csv, const std::string& model, const std::string& columns) {
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_NE(line.find("layers,measured_layers,extrapolated"), std::string::npos) << line;
  size_t rows = 0;
  while (std::getline(in, line)) {
    if (line.find(model + ",") == std::string::npos) continue;
    ++rows;
    EXPECT_NE(line.find(columns), std::string::npos) << line;
  }
  EXPECT_GT(rows, 0u) << model;
}

TEST(Extrapolation, TheFixtureIsDepthScaled) {
  const RunResult r = load_result(fixture_dir("results") + kLlama);
  ASSERT_TRUE(r.extrapolation.applied);
  EXPECT_EQ(r.extrapolation.layers_built, 1);
  EXPECT_EQ(r.extrapolation.layers_total, 32);
  EXPECT_DOUBLE_EQ(r.extrapolation.factor, 32.0);
  EXPECT_GT(r.breakdown.depth_scale, 10.0);
  EXPECT_DOUBLE_EQ(r.extrapolation.latency_ms, r.latency_ms.median * r.breakdown.depth_scale);
  EXPECT_EQ(run_label(r), "llama-fixture eager cpu float32 b1 s32 l1 (" + kNote + ")");
}

TEST(Extrapolation, ConsolePrintsTheEstimateBesideTheMeasuredLatencyAndMarksScaledTimes) {
  const RunResult r = load_result(fixture_dir("results") + kLlama);
  std::ostringstream out;
  ConsoleReporter(out).report(r);
  const std::string s = out.str();
  EXPECT_NE(s.find("| layers 1 of 32, extrapolated"), std::string::npos) << s;
  EXPECT_NE(s.find(fmt::format("latency  median {:.3f} ms", r.latency_ms.median)), std::string::npos) << s;
  EXPECT_NE(s.find("measured with 1 of 32 layers"), std::string::npos) << s;
  EXPECT_NE(s.find(fmt::format("ESTIMATE full depth (32 layers): median {:.3f} ms", r.extrapolation.latency_ms)),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("est. ms/iter"), std::string::npos) << s;
  EXPECT_NE(s.find("top operators (est. ms)"), std::string::npos) << s;
  // A result that is not depth-scaled says none of it.
  std::ostringstream plain;
  ConsoleReporter(plain).report(load_result(fixture_dir("results") + "/gpt2-fixture__eager__cpu__float32__b1__s32.json"));
  for (const char* m : {"ESTIMATE", "EXTRAPOLATED", "est. ", "layers"}) {
    EXPECT_EQ(plain.str().find(m), std::string::npos) << m;
  }
}

TEST(Extrapolation, EveryCsvRowCarriesTheDepth) {
  const RunResult r = load_result(fixture_dir("results") + kLlama);
  expect_rows(CsvReporter::groups_csv(r), "llama-fixture", ",2,32,1,true,");  // threads 2, then the depth
  expect_rows(CsvReporter::ops_csv(r), "llama-fixture", ",2,32,1,true,");
  const WorkloadReport w = workload_report(fixture_set());
  expect_rows(workload_table(w).csv(), "llama-fixture", ",32,32,1,true,");  // seq_len 32, then the depth
  expect_rows(workload_table(w).csv(), "gpt2-fixture", ",32,0,0,false,");
  expect_rows(nongemm_trace_table(w).csv(), "llama-fixture", ",32,32,1,true,");
  expect_rows(nongemm_table(nongemm_report(fixture_set())).csv(), "llama-fixture", ",32,32,1,true,");
  expect_rows(top_groups_table(top_group_rows(fixture_set())).csv(), "llama-fixture", ",32,32,1,true,ok,");
  expect_rows(top_group_averages_table(top_group_averages(top_group_rows(fixture_set()))).csv(), "llama-fixture",
              ",32,32,1,true,1 8,");
}

TEST(Extrapolation, FiguresLabelTheSeriesAndMarkTheShares) {
  const auto palette = group_palette(fixture_set().all());
  const auto matrices = breakdown_matrix(fixture_set(), palette);
  const FigureInput in{fixture_set(), palette, matrices};
  for (const auto& figures : {breakdown_figures(in), gemm_share_figures(in)}) {
    ASSERT_EQ(figures.size(), 1u);
    const auto& clusters = figures[0].clusters;
    EXPECT_TRUE(std::any_of(clusters.begin(), clusters.end(),
                            [](const PlotText& t) { return t.text == "llama-fixture (" + kNote + ")"; }));
    EXPECT_TRUE(std::none_of(clusters.begin(), clusters.end(), [](const PlotText& t) {
      return t.text.find("extrapolated") != std::string::npos && t.text.rfind("llama-fixture", 0) != 0;
    }));
  }
  // The non-GEMM percent of a depth-scaled bar is marked as an estimate: "~".
  const auto share = gemm_share_figures(in)[0];
  size_t marked = 0;
  for (const PlotBar& b : share.bars) marked += b.note.rfind("~", 0) == 0 ? 1 : 0;
  EXPECT_EQ(marked, 2u);  // llama-fixture b1 and b8
  const std::string md = top_groups_markdown(top_group_rows(fixture_set()));
  EXPECT_NE(md.find("| NLP | llama-fixture | eager | cpu | float32 | 32 | 32 | 1 | true | 1 8 |"), std::string::npos)
      << md;
  EXPECT_NE(md.find("shares are estimates"), std::string::npos);
}

TEST(Extrapolation, HtmlShowsItInEverySection) {
  const json d = html_report_data(load_results(fixture_dir("results")), "fixtures/results");
  const json* llama = nullptr;
  for (const auto& r : d["runs"]) {
    if (r["model"] == "llama-fixture" && r["batch"] == 1) llama = &r;
  }
  ASSERT_NE(llama, nullptr);
  EXPECT_NE((*llama)["label"].get<std::string>().find(kNote), std::string::npos);
  EXPECT_TRUE((*llama)["extrapolation"]["applied"].get<bool>());
  EXPECT_EQ((*llama)["extrapolation"]["layers_total"], 32);
  EXPECT_GT((*llama)["extrapolation"]["latency_ms"].get<double>(), (*llama)["latency_ms"]["median"].get<double>());
  bool series = false;
  for (const auto& s : d["matrices"][0]["series"]) {
    if (s["label"].get<std::string>().find(kNote) == std::string::npos) continue;
    series = true;
    for (const auto& c : s["cells"]) EXPECT_TRUE(c["extrapolated"].get<bool>());
  }
  EXPECT_TRUE(series);
  const auto& header = d["table_iv"]["header"];
  EXPECT_NE(std::find(header.begin(), header.end(), "extrapolated"), header.end());
  for (const char* section : {"workload", "nongemm"}) {
    bool found = false;
    for (const auto& r : d[section]["runs"]) found |= r["extrapolation"] == kNote;
    EXPECT_TRUE(found) << section;
  }
  // The page's script states the estimate and marks scaled columns.
  const std::string script = kHtmlScript;
  for (const char* m : {"EXTRAPOLATED from", "estimated full-depth latency", "est. "}) {
    EXPECT_NE(script.find(m), std::string::npos) << m;
  }
}

TEST(Extrapolation, WorkloadAndNonGemmReportsSayTheTimesAreEstimates) {
  const std::string w = workload_markdown(workload_report(fixture_set()));
  EXPECT_NE(w.find("## llama-fixture eager cpu float32 b1 s32 l1 (" + kNote + ") (NLP)\n\nTimes are depth-scaled "
                   "estimates for 32 layers"),
            std::string::npos);
  EXPECT_NE(w.find("As measured with 1 of 32 layers (not scaled)."), std::string::npos);
  const std::string n = nongemm_markdown(nongemm_report(fixture_set()));
  EXPECT_NE(n.find("(depth-scaled estimates for 32 layers)"), std::string::npos);
}

TEST(Extrapolation, CompareSaysWhichSideIsAnEstimate) {
  const auto a = load_results(fixture_dir("results") + kLlama);
  const auto b = load_results(fixture_dir("results") + "/gpt2-fixture__eager__cpu__float32__b1__s32.json");
  const auto c = compare_results(a, b, {});
  ASSERT_EQ(c.pairs.size(), 1u);
  EXPECT_NE(c.pairs[0].label_a.find(kNote), std::string::npos);
  ASSERT_EQ(c.pairs[0].notes.size(), 1u);
  EXPECT_EQ(c.pairs[0].notes[0].rfind("A is " + kNote + ": its end-to-end latency is as measured", 0), 0u);
  EXPECT_NE(comparison_text(c, 3).find("note: A is " + kNote), std::string::npos);
  EXPECT_EQ(comparison_json(c)["pairs"][0]["notes"].size(), 1u);
}

}  // namespace
}  // namespace ngbench::report
