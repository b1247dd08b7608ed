// Op-for-op fidelity of the vision models: each test config, fed the shipped
// photographs through ngbench's preprocessing and run under the observer, must
// issue the same outermost aten ops as the real torchvision / transformers model
// (the goldens of tools/golden/vision_classification.py and vision_segmentation.py,
// recorded from the same photographs through the reference preprocessing): same
// names, order, input shapes and kinds, each op inside a scope named as the
// reference's innermost module. The golden's input size is checked too, so the
// C++ preprocessing's size rule is proven along with the model.
//
// Known differences: listed in kKnownDifferences with their reasons (none).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "golden.h"
#include "models/model.h"
#include "models/registry.h"
#include "models/vision/maskformer.h"
#include "models/vision/segformer.h"
#include "models/vision/swin.h"
#include "models/vision/vit.h"

namespace ngbench::models::testing {
namespace {

struct KnownDifference {
  const char* golden;
  size_t index;
  const char* reason;
};
const std::vector<KnownDifference> kKnownDifferences = {};  // none

bool known(const std::string& golden, size_t index) {
  for (const auto& d : kKnownDifferences) {
    if (golden == d.golden && index == d.index) return true;
  }
  return false;
}

nlohmann::json raw_golden(const std::string& name) {
  std::ifstream in(std::string(NGBENCH_SOURCE_DIR) + "/tests/models/golden/" + name + ".json");
  return nlohmann::json::parse(in);
}

// The golden's "config" must be the C++ test config, or the comparison means nothing.
void expect_same_config(const Golden& g) {
  const auto& j = g.config;
  if (g.model == "vit-test") {
    const vision::ViTConfig c = vision::vit_tiny_config();
    EXPECT_EQ(j.at("image_size").get<int64_t>(), c.image_size);
    EXPECT_EQ(j.at("patch_size").get<int64_t>(), c.patch_size);
    EXPECT_EQ(j.at("num_layers").get<int64_t>(), c.num_layers);
    EXPECT_EQ(j.at("num_heads").get<int64_t>(), c.num_heads);
    EXPECT_EQ(j.at("hidden_dim").get<int64_t>(), c.hidden_dim);
    EXPECT_EQ(j.at("mlp_dim").get<int64_t>(), c.mlp_dim);
    EXPECT_EQ(j.at("num_classes").get<int64_t>(), c.num_classes);
    EXPECT_EQ(j.at("resize_size").get<int64_t>(), c.resize_size);
  } else if (g.model == "swin-test") {
    const vision::SwinConfig c = vision::swin_test_config();
    EXPECT_EQ(j.at("patch_size").get<int64_t>(), c.patch_size);
    EXPECT_EQ(j.at("embed_dim").get<int64_t>(), c.embed_dim);
    EXPECT_EQ(j.at("depths").get<std::vector<int64_t>>(), c.depths);
    EXPECT_EQ(j.at("num_heads").get<std::vector<int64_t>>(), c.num_heads);
    EXPECT_EQ(j.at("window_size").get<int64_t>(), c.window_size);
    EXPECT_EQ(j.at("num_classes").get<int64_t>(), c.num_classes);
    EXPECT_EQ(j.at("image_size").get<int64_t>(), c.image_size);
    EXPECT_EQ(j.at("resize_size").get<int64_t>(), c.resize_size);
  } else if (g.model == "segformer-test") {
    const vision::SegformerConfig c = vision::segformer_test_config();
    EXPECT_EQ(j.at("depths").get<std::vector<int64_t>>(), c.depths);
    EXPECT_EQ(j.at("hidden_sizes").get<std::vector<int64_t>>(), c.hidden_sizes);
    EXPECT_EQ(j.at("num_attention_heads").get<std::vector<int64_t>>(), c.num_attention_heads);
    EXPECT_EQ(j.at("decoder_hidden_size").get<int64_t>(), c.decoder_hidden_size);
    EXPECT_EQ(j.at("num_labels").get<int64_t>(), c.num_labels);
    EXPECT_EQ(j.at("height").get<int64_t>(), c.image_size);
    EXPECT_EQ(j.at("width").get<int64_t>(), c.image_size);
  } else if (g.model == "maskformer-test") {
    const vision::MaskFormerConfig c = vision::maskformer_test_config();
    EXPECT_EQ(j.at("patch_size").get<int64_t>(), c.patch_size);
    EXPECT_EQ(j.at("embed_dim").get<int64_t>(), c.embed_dim);
    EXPECT_EQ(j.at("depths").get<std::vector<int64_t>>(), c.depths);
    EXPECT_EQ(j.at("num_heads").get<std::vector<int64_t>>(), c.num_heads);
    EXPECT_EQ(j.at("window_size").get<int64_t>(), c.window_size);
    EXPECT_EQ(j.at("d_model").get<int64_t>(), c.d_model);
    EXPECT_EQ(j.at("decoder_layers").get<int64_t>(), c.decoder_layers);
    EXPECT_EQ(j.at("decoder_attention_heads").get<int64_t>(), c.decoder_attention_heads);
    EXPECT_EQ(j.at("decoder_ffn_dim").get<int64_t>(), c.decoder_ffn_dim);
    EXPECT_EQ(j.at("num_queries").get<int64_t>(), c.num_queries);
    EXPECT_EQ(j.at("fpn_feature_size").get<int64_t>(), c.fpn_feature_size);
    EXPECT_EQ(j.at("mask_feature_size").get<int64_t>(), c.mask_feature_size);
    EXPECT_EQ(j.at("num_labels").get<int64_t>(), c.num_labels);
    EXPECT_EQ(j.at("shortest_edge").get<int64_t>(), c.shortest_edge);
    EXPECT_EQ(j.at("longest_edge").get<int64_t>(), c.longest_edge);
    EXPECT_EQ(j.at("size_divisor").get<int64_t>(), c.size_divisor);
  } else {
    ADD_FAILURE() << "no config check for " << g.model;
  }
}

struct Case {
  const char* golden;
  const char* model;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.golden; }

class VisionFidelity : public ::testing::TestWithParam<Case> {};

TEST_P(VisionFidelity, MatchesReferenceOpForOp) {
  const Case c = GetParam();
  const std::string golden_name = c.golden;
  const Golden g = load_golden(golden_name);
  const nlohmann::json raw = raw_golden(golden_name);
  ASSERT_EQ(g.model, c.model);
  expect_same_config(g);

  const ModelEntry& entry = find_model(c.model);
  EXPECT_EQ(entry.parameters, g.parameters) << "analytic count vs the reference's sum of numel";

  ModelOptions options;
  options.attention = g.attention;  // "" for the torchvision models
  auto model = entry.create(options);
  InputSpec spec;
  spec.batch = g.batch;
  spec.seed = 1;
  const auto inputs = model->make_inputs(spec);  // the shipped photographs
  const auto size = raw.at("image_size").get<std::vector<int64_t>>();
  ASSERT_EQ(inputs.at(0).dim(), 4);
  EXPECT_EQ(inputs[0].size(0), g.batch);
  EXPECT_EQ(inputs[0].size(2), size.at(0)) << "preprocessed height";
  EXPECT_EQ(inputs[0].size(3), size.at(1)) << "preprocessed width";
  const auto records = model->input_records();
  const auto files = raw.at("images").get<std::vector<std::string>>();
  ASSERT_EQ(records.size(), files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(std::filesystem::path(records[i].source).filename().string(), files[i]);
  }

  const Observed observed = observe_forward(*model, inputs);
  expect_same_ops(golden_name, g.ops, observed, [&](size_t i) { return known(golden_name, i); });
}

INSTANTIATE_TEST_SUITE_P(Goldens, VisionFidelity,
                         ::testing::Values(Case{"vit-test-b1", "vit-test"}, Case{"vit-test-b2", "vit-test"},
                                           Case{"swin-test-b1", "swin-test"}, Case{"swin-test-b2", "swin-test"},
                                           Case{"segformer-test-sdpa-b1", "segformer-test"},
                                           Case{"segformer-test-sdpa-b2", "segformer-test"},
                                           Case{"segformer-test-eager-b2", "segformer-test"},
                                           Case{"maskformer-test-sdpa-b1", "maskformer-test"},
                                           Case{"maskformer-test-sdpa-b2", "maskformer-test"},
                                           Case{"maskformer-test-eager-b2", "maskformer-test"}),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name = info.param.golden;
                           for (char& ch : name) {
                             if (ch == '-') ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace ngbench::models::testing
