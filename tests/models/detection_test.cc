// Detection models beyond op-for-op fidelity (detection_fidelity_test.cc):
// torchvision's operators loaded from its _C.so, parameter counts against the
// published ones, the sizes the preprocessing gives (against values computed
// with torchvision / transformers), inputs from photographs, the score threshold,
// errors, and a detection model failing alone, with one clear line, when
// torchvision is missing.
#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.h"
#include "models/model.h"
#include "models/registry.h"
#include "models/vision/detection_inputs.h"
#include "models/vision/rcnn_transform.h"
#include "models/vision/torchvision_ops.h"

namespace ngbench::models {
namespace {

#define REQUIRE_TORCHVISION()                                          \
  do {                                                                 \
    std::string why;                                                   \
    if (!vision::torchvision_ops_available(&why)) GTEST_SKIP() << why; \
  } while (0)

TEST(TorchvisionOps, NmsKeepsTheBestOfOverlappingBoxes) {
  REQUIRE_TORCHVISION();
  at::Tensor boxes = at::tensor({0.f, 0.f, 10.f, 10.f, 1.f, 1.f, 11.f, 11.f, 20.f, 20.f, 30.f, 30.f}).view({3, 4});
  at::Tensor scores = at::tensor({0.8f, 0.9f, 0.7f});
  at::Tensor keep = vision::nms(boxes, scores, 0.5);
  ASSERT_EQ(keep.numel(), 2);
  EXPECT_EQ(keep[0].item<int64_t>(), 1);  // by decreasing score; box 0 overlaps box 1 (IoU 0.68)
  EXPECT_EQ(keep[1].item<int64_t>(), 2);
}

TEST(TorchvisionOps, RoiAlignAveragesTheFeatureMap) {
  REQUIRE_TORCHVISION();
  at::Tensor input = at::full({1, 2, 8, 8}, 3.0f);
  at::Tensor rois = at::tensor({0.f, 1.f, 1.f, 6.f, 6.f}).view({1, 5});
  at::Tensor out = vision::roi_align(input, rois, 1.0, 2, 2, 2, false);
  EXPECT_EQ(out.sizes().vec(), (std::vector<int64_t>{1, 2, 2, 2}));
  EXPECT_TRUE(at::allclose(out, at::full({1, 2, 2, 2}, 3.0f)));
}

TEST(DetectionModels, ParameterCountsMatchThePublishedOnes) {
  // torchvision's weight metadata (num_params) and the transformers model's sum of numel.
  EXPECT_EQ(find_model("fasterrcnn_resnet50_fpn").parameters, 41755286);
  EXPECT_EQ(find_model("maskrcnn_resnet50_fpn").parameters, 44401393);
  const double detr = static_cast<double>(find_model("detr-resnet-50").parameters);
  EXPECT_EQ(find_model("detr-resnet-50").parameters, 41524768);  // DetrConfig(num_labels=91)
  EXPECT_LT(std::abs(detr - 41.6e6) / 41.6e6, 0.01);              // the model card's ~41.6M
  for (const char* name : {"fasterrcnn_resnet50_fpn", "maskrcnn_resnet50_fpn", "detr-resnet-50"}) {
    const ModelEntry& e = find_model(name);
    EXPECT_EQ(e.task, "OD");
    EXPECT_FALSE(e.for_tests);
    EXPECT_GT(e.estimate_bytes(1, 0, 0), 4 * e.parameters);
  }
}

TEST(DetectionInputs, ResizedSizesMatchTheReferences) {
  // (h, w) -> torchvision _resize_image_and_masks(800, 1333), transformers get_size_with_aspect_ratio(800, 1333)
  struct Case {
    int64_t h, w, rh, rw, dh, dw;
  };
  const Case cases[] = {{480, 640, 800, 1066, 800, 1066},  {512, 512, 800, 800, 800, 800},
                        {300, 451, 800, 1202, 800, 1202},  {400, 600, 800, 1200, 800, 1200},
                        {640, 427, 1199, 800, 1199, 800},  {100, 1000, 133, 1333, 133, 1333},
                        {1000, 99, 1333, 131, 1333, 132},  {601, 799, 800, 1063, 800, 1063}};
  for (const Case& c : cases) {
    EXPECT_EQ(vision::rcnn_resized_size(c.h, c.w, 800, 1333), std::make_pair(c.rh, c.rw)) << c.h << "x" << c.w;
    EXPECT_EQ(vision::detr_resized_size(c.h, c.w, 800, 1333), std::make_pair(c.dh, c.dw)) << c.h << "x" << c.w;
  }
}

TEST(DetectionInputs, DetrPadsTheBatchAndMasksThePadding) {
  vision::Image a{"a", 480, 640, std::vector<uint8_t>(480 * 640 * 3, 255)};
  vision::Image b{"b", 640, 480, std::vector<uint8_t>(640 * 480 * 3, 0)};
  vision::DetrPreprocessing pre;  // no 640x480 pre-resize here
  const vision::DetrInputs in = vision::detr_preprocess({a, b}, pre);
  EXPECT_EQ(in.pixel_values.sizes().vec(), (std::vector<int64_t>{2, 3, 1066, 1066}));
  EXPECT_EQ(in.pixel_mask.sizes().vec(), (std::vector<int64_t>{2, 1066, 1066}));
  EXPECT_EQ(in.pixel_mask[0].sum().item<int64_t>(), 800 * 1066);
  EXPECT_EQ(in.pixel_mask[1].sum().item<int64_t>(), 1066 * 800);
  // White normalizes to (1 - mean) / std; the padding is 0.
  EXPECT_NEAR(in.pixel_values[0][0][0][0].item<float>(), (1 - 0.485) / 0.229, 1e-4);
  EXPECT_EQ(in.pixel_values[0][0][1065][0].item<float>(), 0.0f);
  ASSERT_EQ(in.records.size(), 2u);
  EXPECT_EQ(in.records[0].model_height, 800);
  EXPECT_EQ(in.records[0].model_width, 1066);
  EXPECT_EQ(in.records[1].model_height, 1066);
}

TEST(DetectionModels, InputsComeFromTheShippedPhotographs) {
  REQUIRE_TORCHVISION();
  c10::InferenceMode guard;
  auto model = find_model("fasterrcnn-tiny").create({});
  const auto inputs = model->make_inputs({3, 0, 0, ""});
  ASSERT_EQ(inputs.size(), 3u);  // one float [3, H, W] image per batch element
  const auto records = model->input_records();
  ASSERT_EQ(records.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(inputs[i].size(0), 3);
    EXPECT_EQ(inputs[i].size(1), records[i].height);
    EXPECT_EQ(inputs[i].size(2), records[i].width);
    EXPECT_EQ(std::max(records[i].model_height, records[i].model_width) <= 96, true);
    EXPECT_LE(inputs[i].max().item<float>(), 1.0f);
  }
  auto detr = find_model("detr-tiny").create({});
  const auto detr_inputs = detr->make_inputs({2, 0, 0, ""});
  ASSERT_EQ(detr_inputs.size(), 2u);  // pixel_values, pixel_mask
  EXPECT_EQ(detr_inputs[0].size(0), 2);
  EXPECT_EQ(detr_inputs[1].scalar_type(), at::kLong);
}

TEST(DetectionModels, ScoreThresholdDecidesTheDetections) {
  REQUIRE_TORCHVISION();
  c10::InferenceMode guard;
  auto counts = [](double threshold) {
    ModelOptions o;
    o.score_threshold = threshold;
    auto model = find_model("maskrcnn-tiny").create(o);
    model->forward(model->make_inputs({1, 0, 0, ""}));
    return model->workload_counts();
  };
  const auto none = counts(1.0);
  const auto all = counts(0.0);
  EXPECT_EQ(none.at("detections"), 0);
  EXPECT_EQ(none.at("masks"), 0);
  EXPECT_GT(all.at("detections"), 0);
  EXPECT_EQ(all.at("masks"), all.at("detections"));
  EXPECT_EQ(none.at("anchors"), all.at("anchors"));  // the RPN does not depend on it
  EXPECT_GE(all.at("rpn_proposals_pre_nms"), all.at("rpn_proposals_post_nms"));
}

TEST(DetectionModels, RejectUnsupportedDtypes) {
  ModelOptions o;
  o.dtype = "bfloat16";
  for (const char* name : {"fasterrcnn-tiny", "detr-tiny"}) {
    try {
      find_model(name).create(o);
      ADD_FAILURE() << name << " accepted bfloat16";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("valid: float32"), std::string::npos) << e.what();
    }
  }
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Without torchvision, a detection model fails with one line saying how to
// install it, and the other models of the run still run.
TEST(DetectionModels, MissingTorchvisionFailsOnlyTheDetectionModels) {
  const std::string dir = (std::filesystem::temp_directory_path() / "ngbench_detection_missing_tv").string();
  std::filesystem::remove_all(dir);
  const std::string cmd = "NGBENCH_TORCHVISION_OPS=/nonexistent/torchvision/_C.so " + std::string(NGBENCH_BINARY) +
                          " run -m fasterrcnn-tiny,gpt2-tiny --warmup 0 --iters 1 --profile-iters 1 -o " + dir +
                          " >" + dir + ".out 2>&1";
  std::system(cmd.c_str());
  const std::string out = slurp(dir + ".out");
  EXPECT_NE(out.find("scripts/setup.sh (it installs torchvision==0.26.0"), std::string::npos) << out;
  EXPECT_NE(out.find("/nonexistent/torchvision/_C.so"), std::string::npos) << out;
  EXPECT_NE(out.find("2 configuration(s) run, 1 failed"), std::string::npos) << out;
  std::filesystem::remove_all(dir);
  std::filesystem::remove(dir + ".out");
}

}  // namespace
}  // namespace ngbench::models
