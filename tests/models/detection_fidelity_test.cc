// Op-for-op fidelity of the detection models: each tiny model, with the same
// deterministic weights and inputs as the golden (tools/golden/vision_detection.py
// ran the real torchvision / transformers model on them), must issue the same
// outermost ops, aten:: and torchvision:: alike: same names, order, input shapes
// and kinds, and innermost module. Identical weights and inputs make the
// data-dependent tail (proposals kept by NMS, detections, masks) take the same
// path, so it is compared op for op too, and its counts are checked against the
// reference's. The tensor names and shapes of the module tree must be the
// reference's state_dict.
//
// Known differences: none (see kKnownDifferences).
#include <gtest/gtest.h>

#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "detection_weights.h"
#include "golden.h"
#include "models/model.h"
#include "models/registry.h"
#include "models/vision/detection_inputs.h"
#include "models/vision/detr.h"
#include "models/vision/detr_transformer.h"
#include "models/vision/rcnn.h"
#include "models/vision/torchvision_ops.h"

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

nlohmann::json golden_json(const std::string& name) {
  std::ifstream in(std::string(NGBENCH_SOURCE_DIR) + "/tests/models/golden/" + name + ".json");
  return nlohmann::json::parse(in);
}

// The module tree must name and shape every tensor as the reference's state_dict.
void expect_same_state(const nlohmann::json& g, torch::nn::Module& module) {
  std::map<std::string, std::vector<int64_t>> want, have;
  for (const auto& e : g.at("state")) want[e.at(0).get<std::string>()] = e.at(1).get<std::vector<int64_t>>();
  for (const auto& [name, shape] : set_pseudo_weights(module)) have[name] = shape;
  for (const auto& [name, shape] : want) {
    auto it = have.find(name);
    if (it == have.end()) ADD_FAILURE() << "C++ model lacks " << name;
    else EXPECT_EQ(it->second, shape) << name;
  }
  for (const auto& [name, shape] : have) EXPECT_TRUE(want.count(name)) << "C++ model has extra tensor " << name;
}

// Runs `model` on `inputs` with one intra-op thread, as the goldens were recorded
// (the same kernels on the same thread count give bit-identical numbers).
Observed observe_single_threaded(Model& model, const std::vector<at::Tensor>& inputs) {
  const int threads = at::get_num_threads();
  at::set_num_threads(1);
  Observed o = observe_forward(model, inputs);
  at::set_num_threads(threads);
  return o;
}

class RCNNFidelity : public ::testing::TestWithParam<const char*> {};

TEST_P(RCNNFidelity, MatchesTorchvisionOpForOp) {
  std::string why;
  if (!vision::torchvision_ops_available(&why)) GTEST_SKIP() << why;
  const std::string name = GetParam();
  const nlohmann::json g = golden_json(name);
  const Golden golden = load_golden(name);
  const nlohmann::json& cfg = g.at("config");
  const bool masks = golden.reference == "MaskRCNN";
  const vision::RCNNConfig c = vision::rcnn_tiny_config(masks);
  EXPECT_EQ(cfg.at("layers").get<std::vector<int64_t>>(), c.layers);
  EXPECT_EQ(cfg.at("num_classes").get<int64_t>(), c.num_classes);
  EXPECT_EQ(cfg.at("min_size").get<int64_t>(), c.min_size);
  EXPECT_EQ(cfg.at("max_size").get<int64_t>(), c.max_size);
  EXPECT_EQ(cfg.at("rpn_pre_nms_top_n_test").get<int64_t>(), c.rpn_pre_nms_top_n);
  EXPECT_EQ(cfg.at("rpn_post_nms_top_n_test").get<int64_t>(), c.rpn_post_nms_top_n);
  EXPECT_DOUBLE_EQ(cfg.at("box_nms_thresh").get<double>(), c.box_nms_thresh);
  EXPECT_EQ(cfg.at("box_detections_per_img").get<int64_t>(), c.box_detections_per_img);
  EXPECT_EQ(cfg.at("representation_size").get<int64_t>(), c.representation_size);
  EXPECT_EQ(cfg.at("mask_layers").get<std::vector<int64_t>>(), c.mask_layers);
  EXPECT_EQ(cfg.at("mask_dim_reduced").get<int64_t>(), c.mask_dim_reduced);

  const ModelEntry& entry = find_model(masks ? "maskrcnn-tiny" : "fasterrcnn-tiny");
  EXPECT_EQ(entry.parameters, golden.parameters) << "analytic count vs torchvision's sum of numel";
  ModelOptions options;
  options.score_threshold = cfg.at("box_score_thresh").get<double>();
  auto model = entry.create(options);
  expect_same_state(g, model->module());

  std::vector<at::Tensor> inputs;
  int64_t index = 0;
  for (const auto& hw : g.at("images")) {
    inputs.push_back(vision::image_to_tensor(synthetic_image(index++, hw.at(0).get<int64_t>(), hw.at(1).get<int64_t>())));
  }
  const Observed observed = observe_single_threaded(*model, inputs);
  expect_same_ops(name, golden.ops, observed, [&](size_t i) { return known(name, i); });
  const auto counts = model->workload_counts();
  EXPECT_EQ(counts.at("detections"), g.at("counts").at("detections").get<double>());
  if (masks) {
    EXPECT_EQ(counts.at("masks"), g.at("counts").at("masks").get<double>());
  }
}

INSTANTIATE_TEST_SUITE_P(Goldens, RCNNFidelity,
                         ::testing::Values("fasterrcnn-tiny", "maskrcnn-tiny", "maskrcnn-tiny-b1-empty"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

class DetrFidelity : public ::testing::TestWithParam<const char*> {};

TEST_P(DetrFidelity, MatchesTransformersOpForOp) {
  const std::string name = GetParam();
  const nlohmann::json g = golden_json(name);
  const Golden golden = load_golden(name);
  const nlohmann::json& cfg = g.at("config");
  const vision::DetrConfig c = vision::detr_tiny_config();
  EXPECT_EQ(cfg.at("d_model").get<int64_t>(), c.d_model);
  EXPECT_EQ(cfg.at("encoder_layers").get<int64_t>(), c.encoder_layers);
  EXPECT_EQ(cfg.at("decoder_layers").get<int64_t>(), c.decoder_layers);
  EXPECT_EQ(cfg.at("encoder_attention_heads").get<int64_t>(), c.encoder_attention_heads);
  EXPECT_EQ(cfg.at("decoder_attention_heads").get<int64_t>(), c.decoder_attention_heads);
  EXPECT_EQ(cfg.at("encoder_ffn_dim").get<int64_t>(), c.encoder_ffn_dim);
  EXPECT_EQ(cfg.at("decoder_ffn_dim").get<int64_t>(), c.decoder_ffn_dim);
  EXPECT_EQ(cfg.at("num_queries").get<int64_t>(), c.num_queries);
  EXPECT_EQ(cfg.at("num_labels").get<int64_t>(), c.num_labels);

  const ModelEntry& entry = find_model("detr-tiny");
  EXPECT_EQ(entry.parameters, golden.parameters) << "analytic count vs transformers' sum of numel";
  ModelOptions options;
  options.attention = g.at("attention").get<std::string>();
  auto model = entry.create(options);
  expect_same_state(g, model->module());

  // The inputs: ngbench's DetrImageProcessor preprocessing of the same synthetic images.
  std::vector<vision::Image> images;
  int64_t index = 0;
  for (const auto& hw : g.at("images")) {
    images.push_back(synthetic_image(index++, hw.at(0).get<int64_t>(), hw.at(1).get<int64_t>()));
  }
  vision::DetrPreprocessing pre;
  pre.shortest_edge = cfg.at("shortest_edge").get<int64_t>();
  pre.longest_edge = cfg.at("longest_edge").get<int64_t>();
  const vision::DetrInputs in = vision::detr_preprocess(images, pre);
  const nlohmann::json& want = g.at("preprocessed");
  EXPECT_EQ(in.pixel_values.sizes().vec(), want.at("pixel_values_shape").get<std::vector<int64_t>>());
  EXPECT_EQ(in.pixel_mask.sum().item<int64_t>(), want.at("pixel_mask_sum").get<int64_t>());
  EXPECT_NEAR(in.pixel_values.to(at::kDouble).mean().item<double>(), want.at("pixel_values_mean").get<double>(), 1e-4);
  EXPECT_NEAR(in.pixel_values.to(at::kDouble).abs().mean().item<double>(),
              want.at("pixel_values_abs_mean").get<double>(), 1e-4);

  const Observed observed = observe_single_threaded(*model, {in.pixel_values, in.pixel_mask});
  expect_same_ops(name, golden.ops, observed, [&](size_t i) { return known(name, i); });
  EXPECT_EQ(model->workload_counts().at("queries"), g.at("counts").at("queries").get<double>());
}

INSTANTIATE_TEST_SUITE_P(Goldens, DetrFidelity, ::testing::Values("detr-tiny", "detr-tiny-eager", "detr-tiny-b1"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

}  // namespace
}  // namespace ngbench::models::testing
