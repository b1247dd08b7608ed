#include "taxonomy/taxonomy.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/error.h"

namespace ngbench::taxonomy {
namespace {

std::string group_of_op(const Taxonomy& t, const std::string& op) { return t.groups()[t.op_group(op)].name; }

TEST(EagerTaxonomy, ClassifiesARepresentativeOpOfEveryGroup) {
  const auto t = Taxonomy::builtin("eager");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"aten::addmm", "GEMM"},
      {"aten::linear", "GEMM"},
      {"aten::conv2d", "GEMM"},
      {"aten::bmm", "GEMM"},
      {"aten::scaled_dot_product_attention", "Fused attention"},
      {"aten::_scaled_dot_product_flash_attention_for_cpu", "Fused attention"},
      {"aten::layer_norm", "Normalization"},
      {"aten::batch_norm", "Normalization"},
      {"aten::gelu", "Activation"},
      {"aten::silu", "Activation"},
      {"aten::softmax", "Logit computation"},
      {"aten::add", "Element-wise arithmetic"},
      {"aten::pow", "Element-wise arithmetic"},
      {"aten::view", "Memory"},
      {"aten::permute", "Memory"},
      {"aten::cat", "Memory"},
      {"aten::embedding", "Embedding"},
      {"aten::max_pool2d", "Pooling"},
      {"aten::upsample_bilinear2d", "Interpolation"},
      {"torchvision::nms", "RoI selection"},
      {"torchvision::roi_align", "RoI selection"},
      {"aten::quantize_per_tensor", "Quantization"},
      {"quantized_decomposed::dequantize_per_tensor", "Quantization"},  // by pattern
      {"aten::dropout", "Other"},
      {"aten::topk", "Other"},
  };
  for (const auto& [op, group] : cases) EXPECT_EQ(group_of_op(t, op), group) << op;
  // Every group of the file is reachable by some rule.
  for (size_t g = 0; g < t.unclassified(); ++g) {
    bool has_rule = false;
    for (const auto& r : t.rules()) has_rule = has_rule || r.group == g;
    EXPECT_TRUE(has_rule) << t.groups()[g].name;
  }
}

TEST(EagerTaxonomy, SidesMatchThePaper) {
  const auto t = Taxonomy::builtin("eager");
  EXPECT_EQ(t.groups()[*t.find_group("GEMM")].side, Side::kGemm);
  EXPECT_EQ(t.groups()[*t.find_group("Fused attention")].side, Side::kGemm);
  EXPECT_EQ(t.groups()[*t.find_group("Memory")].side, Side::kNonGemm);
  EXPECT_EQ(t.groups().back().name, kUnclassified);
}

TEST(EagerTaxonomy, UnknownOpsAreUnclassifiedNotDropped) {
  const auto t = Taxonomy::builtin("eager");
  EXPECT_EQ(t.op_group("aten::some_future_op"), t.unclassified());
  EXPECT_EQ(t.op_group("myext::custom"), t.unclassified());
}

TEST(EagerTaxonomy, ModuleScopeRulesOverrideTheOpsInside) {
  const auto t = Taxonomy::builtin("eager");
  // The tanh-GELU chain is element-wise op by op, Activation as a module.
  EXPECT_EQ(group_of_op(t, "aten::mul"), "Element-wise arithmetic");
  EXPECT_EQ(group_of_op(t, "aten::tanh"), "Activation");
  ASSERT_TRUE(t.scope_group("NewGELUActivation"));
  EXPECT_EQ(t.groups()[*t.scope_group("NewGELUActivation")].name, "Activation");
  EXPECT_EQ(t.groups()[*t.scope_group("LlamaRMSNorm")].name, "Normalization");
  EXPECT_EQ(t.groups()[*t.scope_group("DetrFrozenBatchNorm2d")].name, "Normalization");
  EXPECT_FALSE(t.scope_group("GPT2Attention"));  // an unnamed module only labels its ops
}

const char* kSmall = R"({
  "schema_version": 1, "flow": "test", "version": "0.1",
  "groups": [{"name": "A", "side": "gemm"}, {"name": "B", "side": "non-gemm"}],
  "rules": [
    {"group": "B", "ops": ["x::first"]},
    {"group": "A", "op_patterns": ["x::.*"]},
    {"group": "B", "ops": ["x::second"]},
    {"group": "B", "scopes": ["M"]}
  ]})";

TEST(Taxonomy, FirstMatchingRuleWins) {
  const auto t = Taxonomy::parse(kSmall, "test");
  EXPECT_EQ(group_of_op(t, "x::first"), "B");
  EXPECT_EQ(group_of_op(t, "x::second"), "A");  // the pattern comes first
  EXPECT_EQ(group_of_op(t, "y::other"), kUnclassified);
  EXPECT_EQ(t.groups()[*t.scope_group("M")].name, "B");
  EXPECT_EQ(t.flow(), "test");
  EXPECT_EQ(t.version(), "0.1");
}

std::string error_of(const std::string& text) {
  try {
    Taxonomy::parse(text, "bad.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Taxonomy, RejectsMalformedFilesWithAClearMessage) {
  const std::string good = kSmall;
  // Truncated at several points: never a crash, always an error naming the file.
  for (size_t cut : {size_t{0}, size_t{1}, size_t{20}, good.size() / 2, good.size() - 2}) {
    const auto msg = error_of(good.substr(0, cut));
    EXPECT_NE(msg.find("bad.json"), std::string::npos) << cut;
  }
  EXPECT_NE(error_of("[]").find("object"), std::string::npos);
  // A number beyond double's range is malformed JSON too, not an escaping json::out_of_range (fuzz/).
  EXPECT_NE(error_of(R"({"schema_version": 1e999})").find("bad.json: malformed JSON"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema_version": 2})").find("schema_version"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema_version": 1, "flow": "f", "version": "1", "groups": []})").find("groups"),
            std::string::npos);
  const std::string head = R"({"schema_version": 1, "flow": "f", "version": "1",
      "groups": [{"name": "A", "side": "gemm"}], "rules": [)";
  EXPECT_NE(error_of(head + R"({"group": "Nope", "ops": ["a"]}]})").find("unknown group 'Nope'; valid: A"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"({"group": "A", "op_patterns": ["("]}]})").find("bad op pattern"), std::string::npos);
  EXPECT_NE(error_of(head + R"({"group": "A"}]})").find("needs"), std::string::npos);
  EXPECT_NE(error_of(head + R"({"group": "A", "ops": ["a"], "scopes": ["M"]}]})").find("either"), std::string::npos);
  EXPECT_NE(error_of(head + R"({"group": "A", "ops": [1]}]})").find("array of strings"), std::string::npos);
  // Optional fields of the wrong type are errors too, not an escaping json::type_error (found by the campaign).
  EXPECT_NE(error_of(head + R"({"group": "A", "ops": ["a"], "why": []}]})").find("field 'why' must be a string"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"schema_version": 1, "flow": "f", "version": "1",
      "groups": [{"name": "A", "side": "gemm", "color": 7}], "rules": []})").find("field 'color' must be a string"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"schema_version": 1, "flow": "f", "version": "1",
      "groups": [{"name": "A", "side": "sideways"}], "rules": []})").find("sideways"), std::string::npos);
  EXPECT_NE(error_of(R"({"schema_version": 1, "flow": "f", "version": "1",
      "groups": [{"name": "Unclassified", "side": "gemm"}], "rules": []})").find("built in"), std::string::npos);
}

TEST(Taxonomy, UnknownFlowNamesTheFlowsWithRules) {
  try {
    Taxonomy::builtin("tensorrt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'tensorrt'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("eager"), std::string::npos);
  }
}

TEST(Taxonomy, TheCompiledInRulesAreTheFileInTheRepository) {
  std::ifstream in(std::string(NGBENCH_SOURCE_DIR) + "/taxonomy/eager.json");
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(builtin_rule_files().at("eager"), ss.str());
  EXPECT_THROW(Taxonomy::load_file("/nonexistent/rules.json"), Error);
}

}  // namespace
}  // namespace ngbench::taxonomy
