// ngbench's image preprocessing against the reference's on one shipped photograph
// (goldens preprocess-*.json from tools/golden/vision_classification.py and
// vision_segmentation.py): the output shape exactly, and the per-channel mean and
// std and the values at every 8th row and column within kTolerance.
//
// Tolerance: the decoded pixels are identical (a PNG), and the C++ steps call the
// same ATen kernels (anti-aliased bilinear / bicubic resampling) with the same
// rounding, so the outputs agree to float32 rounding; kTolerance (1e-4, in
// normalized units where one uint8 level is ~0.017) leaves room for that only.
#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

#include "models/vision/images.h"
#include "models/vision/preprocess.h"

namespace ngbench::models::vision {
namespace {

constexpr double kTolerance = 1e-4;

nlohmann::json golden(const std::string& name) {
  const std::string path = std::string(NGBENCH_SOURCE_DIR) + "/tests/models/golden/" + name + ".json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  return nlohmann::json::parse(in);
}

Image shipped(const std::string& file) {
  auto images = load_images(default_image_dir() + "/" + file);
  return images.at(0);
}

// Compares x ([3, H, W]) with the golden's summary.
void expect_matches(const at::Tensor& x_in, const nlohmann::json& g) {
  const at::Tensor x = x_in.to(at::kDouble);
  ASSERT_EQ(x.sizes().vec(), g.at("shape").get<std::vector<int64_t>>());
  const auto mean = g.at("channel_mean").get<std::vector<double>>();
  const auto std = g.at("channel_std").get<std::vector<double>>();
  for (int64_t c = 0; c < 3; ++c) {
    EXPECT_NEAR(x[c].mean().item<double>(), mean[c], kTolerance) << "channel " << c << " mean";
    EXPECT_NEAR(x[c].std().item<double>(), std[c], kTolerance) << "channel " << c << " std";
  }
  EXPECT_NEAR(x.min().item<double>(), g.at("min").get<double>(), kTolerance);
  EXPECT_NEAR(x.max().item<double>(), g.at("max").get<double>(), kTolerance);
  const int64_t s = g.at("sample_stride").get<int64_t>();
  const at::Tensor sample = x.slice(1, 0, x.size(1), s).slice(2, 0, x.size(2), s).flatten().contiguous();
  const auto want = g.at("sample").get<std::vector<double>>();
  ASSERT_EQ(sample.numel(), static_cast<int64_t>(want.size()));
  const double* got = sample.data_ptr<double>();
  double worst = 0;
  int64_t worst_at = -1;
  for (size_t i = 0; i < want.size(); ++i) {
    const double d = std::abs(got[i] - want[i]);
    if (d > worst) {
      worst = d;
      worst_at = static_cast<int64_t>(i);
    }
  }
  EXPECT_LE(worst, kTolerance) << "largest difference at sample " << worst_at << " (golden " << want[worst_at]
                               << ", C++ " << got[worst_at] << ")";
}

TEST(VisionPreprocess, ImageNetBilinearMatchesTorchvision) {
  const auto g = golden("preprocess-imagenet-bilinear-256-224");
  ClassificationTransform t;  // ViT-B/16: resize 256, crop 224, bilinear
  const Preprocessed p = preprocess({shipped(g.at("image"))}, t);
  expect_matches(p.pixel_values[0], g);
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(p.records[0].height, 300);
  EXPECT_EQ(p.records[0].width, 451);
  EXPECT_EQ(p.records[0].model_height, 224);
  EXPECT_EQ(p.records[0].model_width, 224);
}

TEST(VisionPreprocess, ImageNetBicubicMatchesTorchvision) {
  const auto g = golden("preprocess-imagenet-bicubic-232-224");
  ClassificationTransform t;  // Swin-T: resize 232, crop 224, bicubic
  t.resize_size = 232;
  t.interpolation = Interpolation::kBicubic;
  expect_matches(preprocess({shipped(g.at("image"))}, t).pixel_values[0], g);
}

TEST(VisionPreprocess, SegformerMatchesTransformers) {
  const auto g = golden("preprocess-segformer-512");
  HfImageProcessor p;
  p.height = p.width = 512;
  expect_matches(preprocess({shipped(g.at("image"))}, p).pixel_values[0], g);
}

TEST(VisionPreprocess, MaskFormerMatchesTransformers) {
  const auto g = golden("preprocess-maskformer-800-1333");
  HfImageProcessor p;
  p.shortest_edge = 800;
  p.longest_edge = 1333;
  p.size_divisor = 32;
  p.pad_and_mask = true;
  const Preprocessed out = preprocess({shipped(g.at("image"))}, p);
  expect_matches(out.pixel_values[0], g);
  EXPECT_EQ(out.pixel_mask.sum().item<int64_t>(), g.at("pixel_mask_sum").get<int64_t>());
}

TEST(VisionPreprocess, MaskFormerPadsTheBatchWithAMask) {
  HfImageProcessor p;
  p.shortest_edge = 800;
  p.longest_edge = 1333;
  p.size_divisor = 32;
  p.pad_and_mask = true;
  const auto images = load_images("");  // astronaut 512x512 -> 800x800; chelsea 300x451 -> 800x1216
  const Preprocessed out = preprocess({images[0], images[1]}, p);
  EXPECT_EQ(out.pixel_values.sizes().vec(), (std::vector<int64_t>{2, 3, 800, 1216}));
  EXPECT_EQ(out.pixel_mask.sizes().vec(), (std::vector<int64_t>{2, 800, 1216}));
  EXPECT_EQ(out.pixel_mask[0].sum().item<int64_t>(), 800 * 800);
  EXPECT_EQ(out.pixel_mask[1].sum().item<int64_t>(), 800 * 1216);
  EXPECT_EQ(out.pixel_values[0].slice(2, 800).abs().sum().item<double>(), 0.0);  // zero padding
  EXPECT_EQ(out.records[0].model_width, 1216);  // the padded input the model sees
}

TEST(VisionPreprocess, ResizeRules) {
  ClassificationTransform t;
  EXPECT_EQ(resized_size(t, 300, 451), std::make_pair(int64_t{256}, int64_t{384}));  // int(256 * 451 / 300)
  EXPECT_EQ(resized_size(t, 640, 427), std::make_pair(int64_t{383}, int64_t{256}));
  HfImageProcessor seg;
  seg.height = seg.width = 512;
  EXPECT_EQ(resized_size(seg, 300, 451), std::make_pair(int64_t{512}, int64_t{512}));
  HfImageProcessor mf;
  mf.shortest_edge = 800;
  mf.longest_edge = 1333;
  mf.size_divisor = 32;
  EXPECT_EQ(resized_size(mf, 300, 451), std::make_pair(int64_t{800}, int64_t{1216}));  // 800x1202 -> /32
  EXPECT_EQ(resized_size(mf, 512, 512), std::make_pair(int64_t{800}, int64_t{800}));
  mf.size_divisor = 0;
  EXPECT_EQ(resized_size(mf, 100, 400), std::make_pair(int64_t{333}, int64_t{1333}));  // longest edge binds
}

}  // namespace
}  // namespace ngbench::models::vision
