#pragma once
// Image preprocessing as each vision model's reference does it, on ATen
// tensors: the same resize rule, interpolation kernel, rounding, crop and
// normalization, so the model sees the pixel values its reference would feed
// it for the same decoded image (docs/vision.md; tests/models/vision_preprocess_test.cc
// checks this against torchvision and transformers).
//
// Preprocessing runs in Model::make_inputs, outside the timed forward pass.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/run_result.h"
#include "models/vision/images.h"

namespace ngbench::models::vision {

enum class Interpolation { kBilinear, kBicubic };

// ImageNet's mean and std (torchvision's and HF's IMAGENET_DEFAULT_*).
inline const std::vector<double> kImageNetMean = {0.485, 0.456, 0.406};
inline const std::vector<double> kImageNetStd = {0.229, 0.224, 0.225};

// torchvision.transforms._presets.ImageClassification (torchvision 0.26), as the
// weights' transforms() apply it to a uint8 image tensor (torchvision.io.decode_image):
// resize the shorter edge to resize_size (antialiased, in float32, then rounded
// back to uint8), center crop crop_size, scale to [0, 1], normalize.
struct ClassificationTransform {
  int64_t resize_size = 256;
  int64_t crop_size = 224;
  Interpolation interpolation = Interpolation::kBilinear;
  std::vector<double> mean = kImageNetMean, std = kImageNetStd;
};

// transformers 5.17's TorchvisionBackend image processors (SegformerImageProcessor,
// MaskFormerImageProcessor): resize the uint8 image (bilinear, antialiased; torchvision
// v2 resizes uint8 natively on AVX2 / AVX-512 CPUs), rescale and normalize fused
// into one (x - 255 mean) / (255 std). Either a fixed size (height, width) or, when
// shortest_edge > 0, the shortest / longest edge rule of get_size_with_aspect_ratio
// with the size rounded up to a multiple of size_divisor (MaskFormer), then
// zero-padding to the batch's largest size with a pixel mask.
struct HfImageProcessor {
  int64_t height = 0, width = 0;              // fixed size (Segformer: 512 x 512)
  int64_t shortest_edge = 0, longest_edge = 0;  // MaskFormer: 800, 1333
  int64_t size_divisor = 0;                   // MaskFormer: 32
  bool pad_and_mask = false;                  // pad to the batch's largest image, emit pixel_mask
  std::vector<double> mean = kImageNetMean, std = kImageNetStd;
  double rescale_factor = 1.0 / 255.0;
};

struct Preprocessed {
  at::Tensor pixel_values;  // float32 [batch, 3, H, W]
  at::Tensor pixel_mask;    // int64 [batch, H, W] (pad_and_mask only; else undefined)
  std::vector<InputRecord> records;
};

// The decoded image as a uint8 [3, H, W] tensor (a copy).
at::Tensor image_tensor(const Image& image);

Preprocessed preprocess(const std::vector<Image>& images, const ClassificationTransform& t);
Preprocessed preprocess(const std::vector<Image>& images, const HfImageProcessor& p);

// The output (height, width) each rule gives an input of (height, width).
std::pair<int64_t, int64_t> resized_size(const ClassificationTransform& t, int64_t height, int64_t width);
std::pair<int64_t, int64_t> resized_size(const HfImageProcessor& p, int64_t height, int64_t width);

}  // namespace ngbench::models::vision
