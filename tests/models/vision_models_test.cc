// Vision models: parameter counts against the published ones, the image loader,
// and inputs made from the shipped photographs.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "core/error.h"
#include "models/model.h"
#include "models/registry.h"
#include "models/vision/images.h"

namespace ngbench::models::vision {
namespace {

// Published parameter counts (torchvision's weights meta num_params; HF model cards).
TEST(VisionModels, ParameterCountsMatchPublished) {
  const std::vector<std::pair<std::string, int64_t>> published = {
      {"vit_b_16", 86567656}, {"vit_l_16", 304326632}, {"vit_h_14", 632045800},
      {"swin_t", 28288354},   {"swin_s", 49606258},    {"swin_b", 87768224},
  };
  for (const auto& [name, count] : published) {
    const ModelEntry& e = find_model(name);
    EXPECT_EQ(e.parameters, count) << name;  // torchvision's own count: exact
    EXPECT_EQ(e.task, "IC") << name;
    EXPECT_FALSE(e.takes_seq_len) << name;
  }
  // HF models built from their configs: sum of numel of SegformerForSemanticSegmentation(
  // SegformerConfig(num_labels=150)) and MaskFormerForInstanceSegmentation(MaskFormerConfig(
  // num_labels=133)) in transformers 5.17 (model cards: 3.75M and 102M).
  EXPECT_EQ(find_model("segformer-b0").parameters, 3752694);
  EXPECT_EQ(find_model("maskformer-swin-base-coco").parameters, 101827070);
  EXPECT_EQ(find_model("segformer-b0").task, "IS");
  EXPECT_EQ(find_model("maskformer-swin-base-coco").task, "IS");
}

TEST(VisionModels, BuiltModuleHasTheAnalyticCount) {
  for (const char* name : {"vit-test", "swin-test", "segformer-test", "maskformer-test"}) {
    const ModelEntry& e = find_model(name);
    auto m = e.create(ModelOptions{});
    int64_t n = 0;
    for (const auto& p : m->module().parameters()) n += p.numel();
    EXPECT_EQ(n, e.parameters) << name;
  }
}

TEST(VisionImages, LoadsTheShippedPhotographsInNameOrder) {
  const auto images = load_images("");
  ASSERT_EQ(images.size(), 4u);
  EXPECT_EQ(std::filesystem::path(images[0].source).filename(), "astronaut.png");
  EXPECT_EQ(std::filesystem::path(images[3].source).filename(), "rocket.jpg");
  EXPECT_EQ(images[1].height, 300);  // chelsea.png is 451 x 300
  EXPECT_EQ(images[1].width, 451);
  for (const auto& im : images) EXPECT_EQ(im.rgb.size(), static_cast<size_t>(im.height * im.width * 3));
  // The first pixel of astronaut.png (as PIL decodes it).
  EXPECT_EQ(images[0].rgb[0], 154);
  EXPECT_EQ(images[0].rgb[1], 147);
  EXPECT_EQ(images[0].rgb[2], 151);
}

TEST(VisionImages, TakeCyclesThroughTheImages) {
  const auto images = load_images("");
  const auto batch = take(images, 6);
  ASSERT_EQ(batch.size(), 6u);
  EXPECT_EQ(batch[4].source, images[0].source);
  EXPECT_EQ(batch[5].source, images[1].source);
  EXPECT_THROW(take({}, 1), Error);
  EXPECT_THROW(take(images, 0), Error);
}

TEST(VisionImages, BadInputsNameThePath) {
  const std::string missing = "/nonexistent/ngbench-image.png";
  try {
    load_images(missing);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
  const auto dir = std::filesystem::temp_directory_path() / "ngbench-vision-test";
  std::filesystem::create_directories(dir);
  const auto empty = dir / "empty.png";
  std::ofstream(empty).close();
  const auto junk = dir / "junk.jpg";
  std::ofstream(junk) << "not an image";
  EXPECT_THROW(load_images(empty.string()), Error);
  try {
    load_images(junk.string());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(junk.string()), std::string::npos) << e.what();
  }
  std::filesystem::remove(empty);
  std::filesystem::remove(junk);
  EXPECT_THROW(load_images(dir.string()), Error);  // a directory without images
  std::filesystem::remove_all(dir);
}

// A DHT table of more than 256 codes made stb_image 2.27 write past its tables (found by
// fuzz/image_fuzzer.cc from rocket.jpg); such a file is refused before decoding.
TEST(VisionImages, CorruptJpegHuffmanTablesAreRefused) {
  std::string jpeg = "\xFF\xD8\xFF\xC4";
  jpeg += std::string("\x00\x13\x00", 3) + std::string(16, '\x11');  // 16 x 17 codes
  try {
    decode_image(jpeg, "huffman.jpg");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("huffman.jpg"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Huffman table"), std::string::npos) << e.what();
  }
  // The shipped JPEG's tables are fine (also through decode_image, from its bytes).
  std::ifstream in(default_image_dir() + "/rocket.jpg", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(decode_image(bytes, "rocket.jpg").width, load_images(default_image_dir() + "/rocket.jpg")[0].width);
}

TEST(VisionModels, InputsComeFromThePhotographs) {
  auto m = find_model("vit-test").create(ModelOptions{});
  InputSpec spec;
  spec.batch = 3;
  const auto inputs = m->make_inputs(spec);
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].sizes().vec(), (std::vector<int64_t>{3, 3, 32, 32}));
  const auto records = m->input_records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(std::filesystem::path(records[2].source).filename(), "coffee.png");
  EXPECT_EQ(records[2].height, 400);
  EXPECT_EQ(records[2].width, 600);
  EXPECT_EQ(records[2].model_height, 32);
  // Same spec, same tensors; a single file works as --images.
  EXPECT_TRUE(at::equal(m->make_inputs(spec)[0], inputs[0]));
  spec.images = default_image_dir() + "/rocket.jpg";
  spec.batch = 2;
  const auto one = m->make_inputs(spec);
  EXPECT_TRUE(at::equal(one[0][0], one[0][1]));
  EXPECT_EQ(m->input_records().at(1).width, 640);
  const at::Tensor logits = m->forward(inputs);
  EXPECT_EQ(logits.sizes().vec(), (std::vector<int64_t>{3, 10}));
}

}  // namespace
}  // namespace ngbench::models::vision
