// Every bad-input case of the CLI: one line on stderr naming the bad value
// (and the valid choices), exit status 2, and earlier results untouched.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "process.h"

namespace ngbench::testing {
namespace {

namespace fs = std::filesystem;

size_t lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

void expect_bad_input(const std::string& args, const std::vector<std::string>& mentions) {
  SCOPED_TRACE(args);
  const auto o = run_ngbench(args);
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(lines(o.err), 1u) << o.err;
  EXPECT_EQ(o.err.rfind("ngbench: error: ", 0), 0u) << o.err;
  for (const auto& m : mentions) EXPECT_NE(o.err.find(m), std::string::npos) << "missing '" << m << "' in " << o.err;
}

TEST(Cli, UnknownModelNamesTheValidOnes) {
  expect_bad_input("run --model gpt3 --out /tmp/ngbench-never", {"'gpt3'", "gpt2", "bert-base-uncased"});
}

TEST(Cli, UnknownOptionAndSubcommand) {
  expect_bad_input("run --bogus 3", {"--bogus"});
  expect_bad_input("frobnicate", {"frobnicate"});
  expect_bad_input("list things", {"things", "models"});
}

TEST(Cli, BadBatchSizes) {
  expect_bad_input("run --model gpt2-tiny --batch 0", {"batch size 0"});
  expect_bad_input("run --model gpt2-tiny --batch -3", {"-3"});
  expect_bad_input("run --model gpt2-tiny --batch abc", {"abc"});
  expect_bad_input("run --model gpt2-tiny --batch 1,,2", {"--batch"});
}

TEST(Cli, ImpossibleSequenceLengths) {
  expect_bad_input("run --model gpt2 --seq-len 4096", {"sequence length 4096", "1 to 1024"});
  expect_bad_input("run --model bert-base-uncased --seq-len 513", {"513", "1 to 512"});
  expect_bad_input("run --model gpt2 --seq-len -1", {"-1"});
}

TEST(Cli, OtherBadValues) {
  expect_bad_input("run --model gpt2-tiny --flow tensorrt", {"'tensorrt'", "eager"});
  expect_bad_input("run --model gpt2-tiny --device tpu", {"'tpu'", "cpu"});
  expect_bad_input("run --model gpt2-tiny --dtype int3", {"'int3'", "float32"});
  expect_bad_input("run --model gpt2-tiny --iters 0", {"iteration count 0"});
  expect_bad_input("run --model gpt2-tiny --threads -2", {"thread count -2"});
  expect_bad_input("run --model gpt2-tiny --allocator jemalloc", {"'jemalloc'", "retain, system"});
  expect_bad_input("run --model gpt2-tiny --taxonomy /nonexistent/rules.json", {"/nonexistent/rules.json"});
}

TEST(Cli, AttentionImplementations) {
  expect_bad_input("run --model gpt2-tiny --attention flash", {"'flash'", "eager, sdpa"});
  // torchvision's ViT has one implementation: the error names the models that offer the choice.
  expect_bad_input("run --model vit-test --attention eager", {"vit-test", "single attention", "gpt2", "llama2-7b"});
}

TEST(Cli, QuantizationSchemesAndOutlierColumns) {
  expect_bad_input("run --model gpt2-tiny --quant int4", {"'int4'", "none, int8-lt, int8-dynamic", "fp8"});
  expect_bad_input("run --model gpt2-tiny --quant fp8", {"fp8", "device cpu", "int8-lt", "int8-fbgemm"});
  expect_bad_input("run --model vit-test --quant int8-lt", {"vit-test", "gpt2", "llama"});
  expect_bad_input("run --model gpt2-tiny --quant int8-fbgemm --dtype bfloat16", {"int8-fbgemm", "float32"});
  expect_bad_input("run --model gpt2-tiny --quant int8-lt --int8-outliers -3", {"-3", "detected"});
  expect_bad_input("run --model gpt2-tiny --quant int8-lt --int8-outliers some", {"'some'", "detected"});
  expect_bad_input("run --model gpt2-tiny --quant int8-lt --int8-outliers 100000", {"100000", "0 to", "detected"});
  expect_bad_input("run --model gpt2-tiny --quant int8-dynamic --int8-outliers 3", {"--int8-outliers", "int8-lt"});
  expect_bad_input("run --model gpt2-tiny --flow ort --quant int8-lt", {"--quant", "flow ort"});
}

TEST(Cli, DecodePhasesCacheAndGeneratedTokens) {
  expect_bad_input("run --model gpt2-tiny --phase decode --gen-tokens 0", {"--gen-tokens 0", "valid: 1 to 16"});
  expect_bad_input("run --model gpt2-tiny --phase decode --gen-tokens -2", {"--gen-tokens -2", "valid: 1 to"});
  expect_bad_input("run --model gpt2-tiny --phase decode --seq-len 30 --gen-tokens 8",
                   {"--gen-tokens 8", "30-token context", "valid: 1 to 2", "32 positions"});
  expect_bad_input("run --model bert-tiny --phase decode", {"no decoder", "gpt2", "llama"});
  expect_bad_input("run --model vit-test --kv-cache on", {"no KV cache", "gpt2"});
  expect_bad_input("run --model gpt2-tiny --phase sample", {"'sample'", "prefill, decode"});
  expect_bad_input("run --model gpt2-tiny --kv-cache yes", {"'yes'", "on, off"});
  expect_bad_input("run --model gpt2-tiny --phase decode --kv-cache off", {"--kv-cache off", "decode"});
  expect_bad_input("run --model gpt2-tiny --gen-tokens 8", {"--gen-tokens 8", "--phase decode"});
  expect_bad_input("run --model gpt2-tiny --gen-tokens many", {"'many'", "integer"});
  expect_bad_input("run --model gpt2-tiny --flow ort --phase decode", {"flow ort", "cannot generate", "eager (cpu)"});
}

TEST(Cli, AModelThatWillNotFitIsRefusedBeforeItRuns) {
  expect_bad_input("run --model gpt2-xl --batch 4096 --seq-len 1024", {"gpt2-xl", "batch 4096", "GiB", "available"});
}

TEST(Cli, AnUnwritableOutputDirectory) {
  TempDir d("cli-out");
  const std::string file = d.path() + "/file";
  std::ofstream(file) << "x";
  expect_bad_input("run --model gpt2-tiny --iters 1 --profile-iters 1 --out " + file, {file});
}

TEST(Cli, BadInputLosesNoEarlierResult) {
  TempDir d("cli-keep");
  const auto ok = run_ngbench("run --model gpt2-tiny --iters 2 --profile-iters 1 --warmup 1 --out " + d.path());
  ASSERT_EQ(ok.status, 0) << ok.err;
  std::vector<std::pair<std::string, std::string>> before;
  for (const auto& e : fs::directory_iterator(d.path())) {
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    before.emplace_back(e.path().string(), ss.str());
  }
  ASSERT_EQ(before.size(), 3u);  // json, groups.csv, ops.csv
  // A sweep with one impossible configuration runs nothing at all.
  const auto bad = run_ngbench("run --model gpt2-tiny --batch 1,0 --out " + d.path());
  EXPECT_EQ(bad.status, 2);
  for (const auto& [path, text] : before) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(ss.str(), text) << path;
  }
  EXPECT_EQ(static_cast<size_t>(std::distance(fs::directory_iterator(d.path()), fs::directory_iterator())), 3u);
}

TEST(Cli, HelpIsGeneratedFromTheOptionTable) {
  const auto o = run_ngbench("run --help");
  EXPECT_EQ(o.status, 0);
  for (const char* opt : {"--model", "--batch", "--seq-len", "--attention", "--flow", "--device", "--dtype", "--threads", "--warmup",
                          "--iters", "--profile-iters", "--seed", "--no-shapes", "--taxonomy", "--out"}) {
    EXPECT_NE(o.out.find(opt), std::string::npos) << opt;
  }
}

TEST(Cli, ListsModelsGroupsAndFlows) {
  const auto models = run_ngbench("list models");
  EXPECT_EQ(models.status, 0);
  for (const char* m : {"gpt2 ", "gpt2-large", "gpt2-xl", "bert-base-uncased", "124439808", "109482240"}) {
    EXPECT_NE(models.out.find(m), std::string::npos) << m;
  }
  EXPECT_NE(models.out.find("sdpa,eager"), std::string::npos);  // the attention column
  const auto groups = run_ngbench("list groups");
  EXPECT_EQ(groups.status, 0);
  for (const char* g : {"GEMM", "Fused attention", "Normalization", "Activation", "Logit computation",
                        "Element-wise arithmetic", "Memory", "Embedding", "Pooling", "Interpolation",
                        "RoI selection", "Quantization", "Other", "Unclassified"}) {
    EXPECT_NE(groups.out.find(g), std::string::npos) << g;
  }
  const auto flows = run_ngbench("list flows");
  EXPECT_NE(flows.out.find("eager"), std::string::npos);
}

TEST(Cli, ReportOfAMissingOrBrokenDirectory) {
  expect_bad_input("report /nonexistent/results", {"/nonexistent/results"});
  TempDir d("cli-broken");
  std::ofstream(d.path() + "/x.json") << "{\"schema_version\": 1, \"sta";
  // The broken file is named in a warning, then the error says there is nothing to report.
  const auto o = run_ngbench("report " + d.path());
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(lines(o.err), 2u) << o.err;
  EXPECT_NE(o.err.find("ngbench: warning: skipped " + d.path() + "/x.json: malformed JSON"), std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("ngbench: error: no result files in '" + d.path() + "' (1 file(s) skipped)"),
            std::string::npos) << o.err;
}

}  // namespace
}  // namespace ngbench::testing
