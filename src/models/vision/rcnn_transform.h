#pragma once
// torchvision 0.26 models/detection/transform.py: GeneralizedRCNNTransform
// (normalize, resize with min_size / max_size, batch_images padded to a
// multiple of 32) and its postprocess (resize_boxes; paste_masks_in_image from
// roi_heads.py for Mask R-CNN). Inside the model's forward, as in torchvision,
// so this preprocessing is part of what ngbench times.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace ngbench::models::vision {

using ImageSize = std::pair<int64_t, int64_t>;  // (height, width)

// torchvision's ImageList: the padded batch and each image's size after resize.
struct ImageList {
  at::Tensor tensors;
  std::vector<ImageSize> image_sizes;
};

// The size _resize_image_and_masks gives an image of (h, w) in eval mode:
// scale = min(min_size / min(h, w), max_size / max(h, w)), then F.interpolate's
// recompute_scale_factor output size int(h * scale), int(w * scale).
ImageSize rcnn_resized_size(int64_t h, int64_t w, int64_t min_size, int64_t max_size);

struct RCNNTransformConfig {
  int64_t min_size = 800;
  int64_t max_size = 1333;
  std::vector<double> image_mean{0.485, 0.456, 0.406};
  std::vector<double> image_std{0.229, 0.224, 0.225};
  int64_t size_divisible = 32;
};

// GeneralizedRCNNTransform.forward(images) with targets None; scope
// "GeneralizedRCNNTransform". Images are float [3, H, W] in [0, 1].
ImageList rcnn_transform(const RCNNTransformConfig& config, const std::vector<at::Tensor>& images);

// One image's detections, as torchvision's result dicts hold them.
struct Detections {
  at::Tensor boxes, scores, labels;
  at::Tensor masks;  // Mask R-CNN: [N, 1, H, W] probabilities; undefined otherwise
};

// GeneralizedRCNNTransform.postprocess (eval): boxes back to the original
// image sizes, masks pasted into the original images. Issues no scope of its
// own (it is a method, called from GeneralizedRCNN.forward).
void rcnn_postprocess(std::vector<Detections>& result, const std::vector<ImageSize>& image_shapes,
                      const std::vector<ImageSize>& original_sizes);

}  // namespace ngbench::models::vision
