#pragma once
// Turning decoded photographs (vision::Image, 8-bit RGB) into the detection
// models' inputs, outside the timed forward:
//  - the R-CNNs take a list of float [3, H, W] images in [0, 1] (torchvision's
//    ToTensor convention); their resize and normalization happen inside the
//    model's forward (GeneralizedRCNNTransform), as in torchvision, and are timed.
//  - DETR takes pixel_values and pixel_mask from transformers' DetrImageProcessor:
//    resize so the shortest edge is 800 and the longest at most 1333 (bilinear,
//    antialiased, on the 8-bit image), rescale by 1/255 and normalize with the
//    ImageNet mean and std (fused, as the processor does), pad every image to the
//    batch's largest height and width (bottom and right, zeros), pixel mask 1 on
//    the image and 0 on the padding. The paper first resized COCO images to
//    640x480; DetrPreprocessing::pre_resize does the same (PIL's bicubic, antialiased).
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/run_result.h"
#include "models/vision/images.h"

namespace ngbench::models::vision {

// float [3, H, W] in [0, 1].
at::Tensor image_to_tensor(const Image& image);

struct DetrPreprocessing {
  int64_t shortest_edge = 800;
  int64_t longest_edge = 1333;
  std::optional<std::pair<int64_t, int64_t>> pre_resize;  // (width, height), e.g. (640, 480)
  std::vector<double> image_mean{0.485, 0.456, 0.406};
  std::vector<double> image_std{0.229, 0.224, 0.225};
};

// transformers' get_size_with_aspect_ratio((h, w), shortest_edge, longest_edge).
std::pair<int64_t, int64_t> detr_resized_size(int64_t h, int64_t w, int64_t shortest_edge, int64_t longest_edge);

struct DetrInputs {
  at::Tensor pixel_values;  // float [B, 3, H, W]
  at::Tensor pixel_mask;    // int64 [B, H, W]
  std::vector<InputRecord> records;
};

DetrInputs detr_preprocess(const std::vector<Image>& images, const DetrPreprocessing& config);

}  // namespace ngbench::models::vision
