#include "report/output_guard.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "fixtures.h"
#include "report/result_json.h"

namespace ngbench::report {
namespace {

namespace fs = std::filesystem;

class OutputGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ngbench-guard-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sub");
    result_text_ = to_json(testing::sample_result()).dump(1);
    std::ofstream(dir_ / "r.json") << result_text_;
    std::ofstream(dir_ / "notes.txt") << "notes";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string refusal(const std::string& out, const std::vector<std::string>& inputs) {
    try {
      check_output_path(out, inputs, "--out");
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  std::string p(const std::string& rel) const { return (dir_ / rel).string(); }
  fs::path dir_;
  std::string result_text_;
};

TEST_F(OutputGuardTest, RefusesAnInputByAnyName) {
  EXPECT_NE(refusal(p("notes.txt"), {p("notes.txt")}).find("is an input of this command"), std::string::npos);
  const std::string msg = refusal(p("sub/../notes.txt"), {p("notes.txt")});
  EXPECT_NE(msg.find("'" + p("sub/../notes.txt") + "'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("('" + p("notes.txt") + "')"), std::string::npos) << msg;
  fs::create_symlink(p("notes.txt"), p("link.txt"));
  EXPECT_NE(refusal(p("link.txt"), {p("notes.txt")}), "");
  EXPECT_EQ(refusal(p("notes.txt"), {p("r.json")}), "");  // not an input, not a result
}

TEST_F(OutputGuardTest, RefusesAResultOrWhatClaimsToBeOne) {
  EXPECT_NE(refusal(p("r.json"), {}).find("is an ngbench result file"), std::string::npos);
  std::ofstream(dir_ / "cut.json") << result_text_.substr(0, result_text_.size() / 2);
  EXPECT_NE(refusal(p("cut.json"), {}), "");
  std::ofstream(dir_ / "trace.json") << R"({"traceEvents": []})";
  EXPECT_EQ(refusal(p("trace.json"), {}), "");  // not a result: may be replaced
  EXPECT_EQ(refusal(p("new.json"), {p("r.json")}), "");
  EXPECT_EQ(refusal(p("sub"), {}), "");  // a directory: writing fails by itself
  EXPECT_EQ(refusal(p("r.json"), {}).find('\n'), std::string::npos);
}

}  // namespace
}  // namespace ngbench::report
