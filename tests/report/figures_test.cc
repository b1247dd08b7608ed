#include "report/figures.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "core/error.h"
#include "report/top_groups.h"
#include "report_test_util.h"

namespace ngbench::report {
namespace {

namespace fs = std::filesystem;
using testing::fixture_dir;
using testing::read_text;

// The committed fixture holds 7 models on cpu at batch 1 and 8; detr-fixture
// b8 is missing, segformer-fixture b8 failed, llama-fixture is depth-scaled.
class FiguresTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir("figures");
    output_ = new FiguresOutput(write_figures(load_results(fixture_dir("results")), dir_->str()));
  }
  static void TearDownTestSuite() {
    delete output_;
    delete dir_;
  }
  static fs::path out(const std::string& name) { return dir_->path() / name; }
  static testing::TempDir* dir_;
  static FiguresOutput* output_;
};
testing::TempDir* FiguresTest::dir_ = nullptr;
FiguresOutput* FiguresTest::output_ = nullptr;

TEST_F(FiguresTest, WritesEveryFigureAsPngAndSvg) {
  for (const std::string stem : {"breakdown_cpu", "gemm_share_cpu"}) {
    const std::string png = read_text(out(stem + ".png"));
    ASSERT_GT(png.size(), 1000u) << stem;
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << stem;
    const std::string svg = read_text(out(stem + ".svg"));
    ASSERT_GT(svg.size(), 1000u) << stem;
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
    // Every opened element is closed: as many '<' as '>' (no CDATA in gnuplot's SVG).
    EXPECT_EQ(std::count(svg.begin(), svg.end(), '<'), std::count(svg.begin(), svg.end(), '>'));
    EXPECT_TRUE(fs::exists(out(stem + ".gp")));
    EXPECT_TRUE(fs::exists(out(stem + ".dat")));
  }
  EXPECT_TRUE(fs::exists(out("index.md")));
}

TEST_F(FiguresTest, LegendUsesTheTaxonomyColors) {
  const std::string gp = read_text(out("breakdown_cpu.gp"));
  EXPECT_NE(gp.find("lc rgb '#1f77b4' title 'GEMM'"), std::string::npos);
  EXPECT_NE(gp.find("lc rgb '#ff7f0e' title 'Normalization'"), std::string::npos);
  EXPECT_NE(gp.find("lc rgb '#8c564b' title 'Memory'"), std::string::npos);
  // No run has pooled RoIs: a group with no time anywhere stays out of the legend.
  EXPECT_EQ(gp.find("'RoI selection'"), std::string::npos);
  // Task sections in the paper's order.
  const auto ic = gp.find("set label 'IC'"), od = gp.find("set label 'OD'"), is = gp.find("set label 'IS'"),
             nlp = gp.find("set label 'NLP'");
  ASSERT_NE(nlp, std::string::npos);
  EXPECT_LT(ic, od);
  EXPECT_LT(od, is);
  EXPECT_LT(is, nlp);
}

TEST_F(FiguresTest, MarksMissingAndFailedConfigurations) {
  ASSERT_EQ(output_->missing.size(), 1u);
  EXPECT_EQ(output_->missing[0], "cpu: detr-fixture b8");
  ASSERT_EQ(output_->failed.size(), 1u);
  EXPECT_NE(output_->failed[0].find("segformer-fixture"), std::string::npos);
  for (const std::string stem : {"breakdown_cpu", "gemm_share_cpu"}) {
    const std::string dat = read_text(out(stem + ".dat"));
    EXPECT_NE(dat.find("missing configurations"), std::string::npos) << stem;
    EXPECT_NE(dat.find("\"n/a\""), std::string::npos) << stem;
    EXPECT_NE(dat.find("\"failed\""), std::string::npos) << stem;
    const std::string gp = read_text(out(stem + ".gp"));
    EXPECT_NE(gp.find("title 'n/a: no result'"), std::string::npos);
    EXPECT_NE(gp.find("title 'run failed'"), std::string::npos);
  }
  const std::string index = read_text(out("index.md"));
  EXPECT_NE(index.find("- cpu: detr-fixture b8"), std::string::npos);
  EXPECT_NE(index.find("out of memory"), std::string::npos);
  // The unstable run is listed with its reasons and marked "!" on its bars.
  const auto unstable = index.find("## Unstable runs");
  ASSERT_NE(unstable, std::string::npos);
  EXPECT_NE(index.find("vit-fixture", unstable), std::string::npos);
  EXPECT_NE(index.find("other work used 1.60 of the machine's 2 CPUs", unstable), std::string::npos);
  EXPECT_NE(read_text(out("gemm_share_cpu.dat")).find("!"), std::string::npos);
}

TEST_F(FiguresTest, TableIvNamesTheTopNonGemmGroupPerModel) {
  const std::string csv = read_text(out("table_iv.csv"));
  EXPECT_EQ(csv.rfind("task,model,flow,device,dtype,batch,seq_len,layers,measured_layers,extrapolated,status,"
                      "top_non_gemm_group,share_percent,non_gemm_percent\n",
                      0),
            0u);
  // Recompute the top group of one run from its file.
  const RunResult gpt2 = load_result(fixture_dir("results") + "/gpt2-fixture__eager__cpu__float32__b1__s32.json");
  const GroupTime* top = top_non_gemm_group(gpt2.breakdown);
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(top->name, "Activation");
  EXPECT_NE(csv.find(fmt::format("NLP,gpt2-fixture,eager,cpu,float32,1,32,0,0,false,ok,Activation,{:.2f},", top->share * 100)),
            std::string::npos);
  EXPECT_NE(csv.find("IC,swin-fixture,eager,cpu,float32,1,0,0,0,false,ok,Memory,"), std::string::npos);
  EXPECT_NE(csv.find("OD,detr-fixture,eager,cpu,float32,1,0,0,0,false,ok,Normalization,"), std::string::npos);
  EXPECT_NE(csv.find("IS,segformer-fixture,eager,cpu,float32,8,0,0,0,false,failed,n/a,n/a,n/a"), std::string::npos);
  // 12 ok runs + 1 failed + header; no row for the missing configuration.
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 14);
  EXPECT_EQ(csv.find("detr-fixture,eager,cpu,float32,8"), std::string::npos);
  // Rows follow the paper's task order.
  EXPECT_LT(csv.find("IC,"), csv.find("OD,"));
  EXPECT_LT(csv.find("IS,"), csv.find("NLP,"));

  const std::string md = read_text(out("table_iv.md"));
  EXPECT_NE(md.find("| task | model | flow | device | dtype | seq_len | layers | measured_layers | extrapolated | batches | "
                    "top_non_gemm_group |"),
            std::string::npos);
  EXPECT_NE(md.find("| NLP | gpt2-fixture | eager | cpu | float32 | 32 | 0 | 0 | false | 1 8 | Activation |"), std::string::npos);
  EXPECT_NE(md.find("| OD | detr-fixture | eager | cpu | float32 | 0 | 0 | 0 | false | 1 | Normalization |"), std::string::npos);
  EXPECT_NE(md.find("## Failed runs"), std::string::npos);
}

TEST(TopGroups, AverageTakesTheMeanShareOverBatches) {
  std::vector<TopGroupRow> rows(2);
  for (int i = 0; i < 2; ++i) {
    rows[i] = {"NLP", "m", "eager", "cpu", "float32", i == 0 ? 1 : 8, 32, "ok"};
    rows[i].non_gemm_share = i == 0 ? 0.4 : 0.2;
  }
  rows[0].non_gemm_groups = {{"Memory", 0.30}, {"Activation", 0.10}};
  rows[1].non_gemm_groups = {{"Memory", 0.02}, {"Activation", 0.18}};
  const auto avg = top_group_averages(rows);
  ASSERT_EQ(avg.size(), 1u);
  EXPECT_EQ(avg[0].group, "Memory");  // mean 0.16 vs 0.14
  EXPECT_NEAR(avg[0].share, 0.16, 1e-12);
  EXPECT_NEAR(avg[0].non_gemm_share, 0.3, 1e-12);
  EXPECT_EQ(avg[0].batches, (std::vector<int64_t>{1, 8}));
}

TEST(Figures, MissingGnuplotIsOneLineNamingThePackage) {
  const char* old = std::getenv("NGBENCH_GNUPLOT");
  const std::string saved = old ? old : "";
  ::setenv("NGBENCH_GNUPLOT", "/nonexistent/gnuplot", 1);
  testing::TempDir dir("figures-nognuplot");
  try {
    write_figures(load_results(fixture_dir("results")), dir.str());
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("gnuplot-nox"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos);
  }
  if (old) ::setenv("NGBENCH_GNUPLOT", saved.c_str(), 1);
  else ::unsetenv("NGBENCH_GNUPLOT");
  EXPECT_TRUE(fs::is_empty(dir.path()));  // nothing written before the check
}

TEST(Figures, NoSuccessfulRunIsAnError) {
  auto loaded = load_results(fixture_dir("results"));
  std::vector<LoadedResult> failed;
  for (auto& l : loaded) {
    if (l.result.status != "ok") failed.push_back(l);
  }
  testing::TempDir dir("figures-none");
  EXPECT_THROW(write_figures(failed, dir.str()), Error);
}

}  // namespace
}  // namespace ngbench::report
