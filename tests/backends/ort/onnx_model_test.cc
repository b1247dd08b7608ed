// The ONNX file reader on committed exports and on broken files.
#include "backends/ort/onnx_model.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "backends/ort/ort_config.h"
#include "core/error.h"

namespace ngbench::onnx {
namespace {

const std::string kData = std::string(NGBENCH_SOURCE_DIR) + "/tests/backends/ort/data/";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(OnnxModel, ReadsTheTinyGpt2Export) {
  const Model m = load_model(kData + "gpt2-tiny.onnx");
  EXPECT_GE(m.ir_version, 7);
  EXPECT_EQ(m.opsets.at(""), 20);
  ASSERT_EQ(m.inputs.size(), 1u);
  EXPECT_EQ(m.inputs[0].name, "input_ids");
  EXPECT_EQ(m.inputs[0].elem_type, kInt64);
  ASSERT_EQ(m.inputs[0].dims.size(), 2u);
  EXPECT_EQ(m.inputs[0].dims[0].param, "batch");
  EXPECT_EQ(m.inputs[0].dims[1].param, "sequence");
  EXPECT_FALSE(m.inputs[0].dims[0].fixed());
  EXPECT_GT(m.nodes.size(), 50u);
  // GPT2Config(n_layer=2, n_embd=64, vocab_size=100, n_positions=32): 108,544 parameters (lm_head tied),
  // plus the exporter's constant tensors (shapes, scalars), which are initializers too.
  EXPECT_GE(m.parameter_count(), 108544);
  EXPECT_LT(m.parameter_count(), 108544 * 11 / 10);
  bool gemm = false;
  for (const auto& n : m.nodes) gemm = gemm || n.op_type == "Gemm" || n.op_type == "MatMul";
  EXPECT_TRUE(gemm);
}

TEST(OnnxModel, BindsInputsFromBatchAndSeqLen) {
  const Model m = load_model(kData + "gpt2-tiny.onnx");
  EXPECT_TRUE(takes_seq_len(m, {}));
  const auto b = bind_inputs(m, 3, 16, {}, "gpt2-tiny.onnx");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].shape, (std::vector<int64_t>{3, 16}));
  EXPECT_EQ(b[0].fill, Fill::kTokens);
  EXPECT_EQ(b[0].vocab, 100);  // from the embedding table the ids index
  // An explicit shape wins; a bad one names the fix.
  EXPECT_EQ(bind_inputs(m, 1, 0, {"input_ids=2x8"}, "m")[0].shape, (std::vector<int64_t>{2, 8}));
  EXPECT_THROW(bind_inputs(m, 1, 0, {}, "m"), Error);                     // needs --seq-len
  EXPECT_THROW(bind_inputs(m, 1, 8, {"pixels=1x3"}, "m"), Error);         // no such input
  EXPECT_THROW(bind_inputs(m, 1, 8, {"input_ids=2x0"}, "m"), Error);      // not positive
  EXPECT_THROW(bind_inputs(m, 1, 8, {"input_ids=2x8x1"}, "m"), Error);    // wrong rank
  EXPECT_THROW(bind_inputs(m, 1, 8, {"input_ids"}, "m"), Error);          // malformed
}

TEST(OnnxModel, TruncatedAndMalformedFilesFailNamingTheFile) {
  const std::string bytes = slurp(kData + "bert-tiny.onnx");
  for (size_t cut : {size_t{3}, bytes.size() / 2, bytes.size() - 7}) {
    try {
      parse_model(bytes.substr(0, cut), "cut.onnx");
      ADD_FAILURE() << "no error at " << cut;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("cut.onnx: not a valid ONNX model"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(parse_model("{\"not\": \"onnx\"}", "x.json"), Error);
  // An initializer whose dims multiply past 2^63 (found by fuzz/onnx_fuzzer.cc), or are negative.
  const auto varint = [](uint64_t v) {
    std::string out;
    for (; v >= 0x80; v >>= 7) out += static_cast<char>(0x80 | (v & 0x7f));
    return out + static_cast<char>(v);
  };
  const auto field = [&](int number, const std::string& bytes) {  // a length-delimited field
    return varint(static_cast<uint64_t>(number) << 3 | 2) + varint(bytes.size()) + bytes;
  };
  for (const std::vector<int64_t>& dims : {std::vector<int64_t>{int64_t{3} << 60, 18}, std::vector<int64_t>{-2, 3}}) {
    std::string packed;
    for (int64_t d : dims) packed += varint(static_cast<uint64_t>(d));
    const std::string model = varint(1 << 3) + varint(8) + field(7, field(5, field(1, packed) + field(8, "w")));
    try {
      parse_model(model, "dims.onnx");
      ADD_FAILURE() << "no error for dims " << dims[0];
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("dims.onnx: not a valid ONNX model: initializer 'w' has impossible dims"),
                std::string::npos)
          << e.what();
    }
  }
  EXPECT_THROW(parse_model("", "empty.onnx"), Error);
  EXPECT_THROW(load_model(kData + "no-such-file.onnx"), Error);
}

TEST(OrtConfig, ValidatesModelFileShapesAndLevels) {
  RunConfig c;
  c.flow = "ort";
  c.model = "bert-tiny.onnx";
  c.model_file = kData + "bert-tiny.onnx";
  c.seq_len = 8;
  const RunConfig v = validate_config(c, std::nullopt);
  EXPECT_EQ(v.model, "bert-tiny.onnx");
  EXPECT_EQ(v.backend_options.at("graph-opt"), std::vector<std::string>{"all"});  // the default, recorded
  c.seq_len = 0;
  EXPECT_THROW(validate_config(c, std::nullopt), Error);              // dynamic sequence: needs --seq-len
  EXPECT_EQ(validate_config(c, RegistryInfo{16, 32}).seq_len, 16);    // a built-in model's default
  c.seq_len = 8;
  c.backend_options["graph-opt"] = {"most"};
  EXPECT_THROW(validate_config(c, std::nullopt), Error);
  c.backend_options["graph-opt"] = {"disabled"};
  c.model_file = kData + "missing.onnx";
  EXPECT_THROW(validate_config(c, std::nullopt), Error);
  c.model_file.clear();
  c.model = "gpt2-nowhere";
  try {
    validate_config(c, std::nullopt);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no ONNX file for model gpt2-nowhere"), std::string::npos);
  }
  // A built-in model the export tool makes: checked from the registry now, exported when the run prepares.
  c.seq_len = 0;
  EXPECT_EQ(validate_config(c, RegistryInfo{16, 32, true}).seq_len, 16);
  c.seq_len = 64;
  EXPECT_THROW(validate_config(c, RegistryInfo{16, 32, true}), Error);
}

}  // namespace
}  // namespace ngbench::onnx
