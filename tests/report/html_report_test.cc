#include "report/html_report.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "core/error.h"
#include "report/plotly_js.h"
#include "report_test_util.h"

namespace ngbench::report {
namespace {

using nlohmann::json;
using testing::fixture_dir;

// A stand-in for plotly.min.js: the page must inline it verbatim, except that
// "</script" is defused.
const std::string kFakePlotly = "/* plotly.js stand-in */ window.Plotly={newPlot:function(){}}; var s='</script>';";

std::string embedded_data(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"ngbench-data\">";
  const auto begin = page.find(open);
  if (begin == std::string::npos) return "";
  const auto end = page.find("</script>", begin);
  return page.substr(begin + open.size(), end - begin - open.size());
}

TEST(HtmlReport, DataHoldsRunsFailuresMatricesAndReports) {
  const json d = html_report_data(load_results(fixture_dir("results")), "fixtures/results");
  EXPECT_EQ(d["runs"].size(), 12u);
  ASSERT_EQ(d["failed"].size(), 1u);
  EXPECT_NE(d["failed"][0]["error"].get<std::string>().find("out of memory"), std::string::npos);
  ASSERT_EQ(d["matrices"].size(), 1u);
  EXPECT_EQ(d["matrices"][0]["device"], "cpu");
  EXPECT_EQ(d["matrices"][0]["batches"], json::array({1, 8}));
  size_t missing = 0, failed = 0;
  for (const auto& s : d["matrices"][0]["series"]) {
    for (const auto& c : s["cells"]) {
      missing += c["state"] == "missing";
      failed += c["state"] == "failed";
      if (c["state"] == "ok") EXPECT_GE(c["run"].get<int>(), 0);
      else EXPECT_EQ(c["run"], -1);
    }
  }
  EXPECT_EQ(missing, 1u);
  EXPECT_EQ(failed, 1u);
  EXPECT_EQ(d["palette"][0]["name"], "GEMM");
  EXPECT_EQ(d["palette"][0]["color"], "#1f77b4");
  EXPECT_EQ(d["palette"].back()["name"], "Unclassified");
  EXPECT_EQ(d["workload"]["runs"].size(), 12u);
  EXPECT_EQ(d["nongemm"]["runs"].size(), 12u);
  EXPECT_EQ(d["table_iv"]["rows"].size(), 13u);
  size_t unstable = 0;
  for (const auto& r : d["runs"]) {
    if (r["stability"]["verdict"] != "unstable") continue;
    ++unstable;
    EXPECT_FALSE(r["stability"]["reasons"].empty());
  }
  EXPECT_EQ(unstable, 1u);  // vit-fixture b8 (make_report_fixtures.cc)
  const json& ctx = d["runs"][0]["context"];
  for (const char* k : {"machine", "threads", "ngbench", "runtime", "taxonomy", "timestamp", "command"}) {
    EXPECT_TRUE(ctx.contains(k)) << k;
  }
  EXPECT_NE(ctx["ngbench"].get<std::string>().find("fixture"), std::string::npos);  // the commit
}

TEST(HtmlReport, EmbeddedJsonCannotCloseTheScript) {
  const json j = {{"name", "</script><script>alert(1)</script>"}, {"amp", "a & b > c"}};
  const std::string text = embed_json(j);
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(text.find('>'), std::string::npos);
  EXPECT_EQ(text.find('&'), std::string::npos);
  EXPECT_EQ(json::parse(text), j);
}

TEST(HtmlReport, PageIsSelfContained) {
  auto results = load_results(fixture_dir("results"));
  results[0].result.config.model = "evil</script><b>";
  const std::string page = html_report(results, "fixtures/results", kFakePlotly);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("window.Plotly={newPlot:function(){}}; var s='<\\/script>';"), std::string::npos);
  // One inline plotly, one data block, the app's scripts; nothing loaded from elsewhere.
  EXPECT_EQ(page.find("<script src"), std::string::npos);
  EXPECT_EQ(page.find("<link rel=\"stylesheet\""), std::string::npos);
  const json data = json::parse(embedded_data(page));
  EXPECT_EQ(data["runs"].size(), 12u);
  bool found = false;
  for (const auto& r : data["runs"]) found |= r["model"] == "evil</script><b>";
  EXPECT_TRUE(found);
  EXPECT_NE(page.find("Plotly.newPlot"), std::string::npos);
  EXPECT_NE(page.find("</html>"), std::string::npos);
}

TEST(HtmlReport, PrefillVsDecodeWhenDecodeResultsArePresent) {
  const json d = html_report_data(load_results(fixture_dir("decode")), "fixtures/decode");
  ASSERT_EQ(d["phase"].size(), 2u);  // gpt2-fixture and the depth-scaled llama-fixture
  ASSERT_EQ(d["phase"][0]["rows"].size(), 2u);
  EXPECT_EQ(d["phase"][0]["rows"][1]["prefill"]["state"], "missing");
  EXPECT_NE(d["phase"][1]["label"].get<std::string>().find("(extrapolated from 1 of 32 layers)"), std::string::npos);
  EXPECT_TRUE(d["phase"][1]["rows"][0]["decode"]["extrapolated"].get<bool>());
  EXPECT_TRUE(html_report_data(load_results(fixture_dir("results")), "fixtures/results")["phase"].empty());
  const std::string page = html_report(load_results(fixture_dir("decode")), "fixtures/decode", kFakePlotly);
  EXPECT_NE(page.find("function ngbenchPhaseSection(D, h)"), std::string::npos);
  EXPECT_NE(std::string(kHtmlScript).find("if (D.phase && D.phase.length) ngbenchPhaseSection(D, "), std::string::npos);
}

TEST(HtmlReport, PlotlyLocation) {
  const char* old = std::getenv("NGBENCH_PLOTLY_JS");
  const std::string saved = old ? old : "";
  ::setenv("NGBENCH_PLOTLY_JS", "/nonexistent/plotly.min.js", 1);
  EXPECT_THROW(find_plotly_js(), Error);
  testing::TempDir dir("plotly");
  const std::string fake = dir.str() + "/plotly.min.js";
  {
    std::ofstream(fake) << kFakePlotly;
  }
  ::setenv("NGBENCH_PLOTLY_JS", fake.c_str(), 1);
  EXPECT_EQ(find_plotly_js(), fake);
  EXPECT_EQ(read_plotly_js(fake), kFakePlotly);
  const std::string not_plotly = dir.str() + "/other.js";
  {
    std::ofstream(not_plotly) << "console.log(1)";
  }
  EXPECT_THROW(read_plotly_js(not_plotly), Error);
  // write_html_report uses the variable.
  write_html_report(load_results(fixture_dir("results")), "fixtures", dir.str() + "/out/report.html");
  EXPECT_NE(testing::read_text(dir.str() + "/out/report.html").find("plotly.js stand-in"), std::string::npos);
  if (old) ::setenv("NGBENCH_PLOTLY_JS", saved.c_str(), 1);
  else ::unsetenv("NGBENCH_PLOTLY_JS");
}

TEST(HtmlReport, MissingPlotlyMessageSaysHowToInstallIt) {
  const char* old = std::getenv("NGBENCH_PLOTLY_JS");
  if (old) GTEST_SKIP() << "NGBENCH_PLOTLY_JS is set";
  try {
    find_plotly_js();
    GTEST_SKIP() << "plotly is installed (found at configure time)";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("run scripts/setup.sh"), std::string::npos);
  }
}

}  // namespace
}  // namespace ngbench::report
