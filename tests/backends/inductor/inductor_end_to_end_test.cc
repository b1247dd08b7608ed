// End-to-end on flow inductor (CPU): the binary exports the tiny GPT-2 on first
// use (tools/export_aoti.py with the project's Python; the cache lies in the
// build tree, NGBENCH_EXPORT_CACHE_DIR, and later tests reuse it), runs it,
// classifies every kernel, covers the profiled time and reports a fusion rate.
// Bad input (a truncated package, a missing sidecar, a package of another torch
// or thread count) is one line naming the file and the fix, a non-zero exit,
// and earlier results stay as they were.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "process.h"

namespace ngbench::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kCache = NGBENCH_EXPORT_CACHE_DIR;
const std::string kRun = "run --flow inductor --model gpt2-tiny --threads 1 --warmup 1 --warmup-time 0.5 --iters 5 "
                         "--max-time 0 --profile-iters 3 ";

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The cached package of gpt2-tiny (threads 1, freezing on): exported by the first run of this test binary.
std::string cached_package() {
  for (const auto& e : fs::recursive_directory_iterator(kCache + "/aoti/gpt2-tiny")) {
    const std::string p = e.path().string();
    if (p.find("__t1__freezing-on__") != std::string::npos && e.path().extension() == ".pt2") return p;
  }
  return "";
}

class InductorEndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fs::create_directories(kCache);
    dir_ = new TempDir("inductor-e2e");
    first_ = new Output(run_ngbench(kRun + "--out " + dir_->path() + "/a", kCache));
  }
  static void TearDownTestSuite() {
    delete first_;
    delete dir_;
  }
  static TempDir* dir_;
  static Output* first_;
};

TempDir* InductorEndToEnd::dir_ = nullptr;
Output* InductorEndToEnd::first_ = nullptr;

TEST_F(InductorEndToEnd, ExportsOnFirstUseRunsAndClassifiesEveryKernel) {
  ASSERT_EQ(first_->status, 0) << first_->err << first_->out;
  const json j = read_json(only_file(dir_->path() + "/a", ".json"));
  EXPECT_EQ(j["status"], "ok") << j["error"];
  const json& b = j["breakdown"];
  EXPECT_GE(b["coverage"].get<double>(), 0.95) << "units + wrapper = wall time";
  EXPECT_LE(b["coverage"].get<double>(), 1.0 + 1e-9);
  bool wrapper = false, extern_gemm = false, generated = false;
  for (const auto& o : b["ops"]) {
    EXPECT_NE(o["group"], "Unclassified") << o["name"] << " in " << o["scope"];
    const std::string name = o["name"];
    wrapper = wrapper || name == "wrapper";
    // Frozen (the default): the linears are oneDNN calls on prepacked weights. A package compiled with grad on
    // would call addmm_out here: Inductor freezes only without grad.
    extern_gemm = extern_gemm || name.rfind("aoti_torch_cpu__linear_pointwise", 0) == 0;
    generated = generated || name.rfind("kernel:", 0) == 0;
    EXPECT_EQ(name.rfind("aten::", 0), std::string::npos) << "an extern call is named after its shim, not aten";
  }
  EXPECT_TRUE(wrapper && extern_gemm && generated);
  const json& f = j["fusion"];
  EXPECT_TRUE(f["analyzed"].get<bool>());
  EXPECT_GT(f["original_non_gemm"].get<int64_t>(), 0);
  EXPECT_GT(f["fusion_rate"].get<double>(), 0.0);
  EXPECT_EQ(j["config"]["backend_options"]["freezing"], json::array({"on"}));
  EXPECT_NE(cached_package(), "");
}

TEST_F(InductorEndToEnd, ReusesTheCache) {
  ASSERT_EQ(first_->status, 0) << first_->err;
  const Output again = run_ngbench(kRun + "--out " + dir_->path() + "/b", kCache);
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(again.out.find("exporting"), std::string::npos) << again.out;
}

// A copy of the cached package and its sidecar, changed by `change`, run with --aoti: the one-line error.
Output run_broken(const std::string& dir, const std::function<void(const std::string&, const std::string&)>& change,
                  int threads = 1) {
  const std::string pkg = cached_package();
  const std::string copy = dir + "/p.pt2";
  fs::copy_file(pkg, copy, fs::copy_options::overwrite_existing);
  fs::copy_file(fs::path(pkg).replace_extension(".json"), dir + "/p.json", fs::copy_options::overwrite_existing);
  change(copy, dir + "/p.json");
  return run_ngbench("run --aoti " + copy + " --threads " + std::to_string(threads) + " --iters 2 --max-time 0 --out " +
                     dir + "/out");
}

// The run's error: one line "ngbench: ..." naming the file and what is wrong (progress lines aside).
void expect_one_line(const Output& o, const std::string& file, const std::string& what) {
  EXPECT_NE(o.status, 0);
  std::istringstream in(o.err);
  int errors = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("ngbench:", 0) != 0 || line.find("warning:") != std::string::npos) continue;
    ++errors;
    EXPECT_NE(line.find(file), std::string::npos) << line;
    EXPECT_NE(line.find(what), std::string::npos) << line;
  }
  EXPECT_EQ(errors, 1) << o.err;
}

TEST_F(InductorEndToEnd, BadPackagesAreOneLineErrorsAndEarlierResultsStay) {
  ASSERT_EQ(first_->status, 0) << first_->err;
  TempDir d("inductor-bad");
  // An earlier result in the output folder must survive every failure below.
  const std::string earlier = only_file(dir_->path() + "/a", ".json");
  fs::create_directories(d.path() + "/out");
  fs::copy_file(earlier, d.path() + "/out/" + fs::path(earlier).filename().string());
  const std::string before = read(d.path() + "/out/" + fs::path(earlier).filename().string());

  expect_one_line(run_broken(d.path(), [](const std::string& p, const std::string&) { fs::resize_file(p, 1000); }),
                  "p.json", "truncated or replaced");
  expect_one_line(run_broken(d.path(), [](const std::string&, const std::string& s) { fs::remove(s); }), "p.json",
                  "sidecar is missing");
  expect_one_line(run_broken(d.path(),
                             [](const std::string&, const std::string& s) {
                               std::string t = read(s);
                               const auto at = t.find("\"torch\": \"");
                               t.replace(at, 10, "\"torch\": \"1.0-");
                               std::ofstream(s) << t;
                             }),
                  "p.json", "compiled for torch 1.0-");
  expect_one_line(run_broken(d.path(), [](const std::string&, const std::string&) {}, 2), "p.json",
                  "compiled for threads 1, this run has 2");
  // A package whose bytes are garbage but whose size matches its sidecar: the loader's failure, in one line.
  expect_one_line(run_broken(d.path(),
                             [](const std::string& p, const std::string&) {
                               const auto n = fs::file_size(p);
                               std::ofstream(p, std::ios::binary | std::ios::trunc) << std::string(n, 'x');
                             }),
                  "p.pt2", "export");
  EXPECT_EQ(read(d.path() + "/out/" + fs::path(earlier).filename().string()), before);
}

TEST(InductorModels, UnsupportedModelsSayWhy) {
  const Output o = run_ngbench("run --flow inductor --model fasterrcnn-tiny --threads 1 --out /tmp/ngbench-none");
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("not supported on flow inductor"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("NMS"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace ngbench::testing
