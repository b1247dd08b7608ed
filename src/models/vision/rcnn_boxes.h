#pragma once
// Box utilities of torchvision 0.26 the R-CNNs call, op for op:
// models/detection/_utils.py (BoxCoder.decode) and ops/boxes.py
// (clip_boxes_to_image, remove_small_boxes, batched_nms with both of its
// strategies, box_area).
#include <ATen/core/Tensor.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "models/vision/rcnn_transform.h"

namespace ngbench::models::vision {

// BoxCoder(weights, bbox_xform_clip=log(1000 / 16)).decode(rel_codes, boxes):
// the boxes of all images concatenated, decoded, reshaped to (N, -1, 4).
at::Tensor box_decode(const std::array<double, 4>& weights, const at::Tensor& rel_codes,
                      const std::vector<at::Tensor>& boxes);

// clip_boxes_to_image(boxes, (height, width)).
at::Tensor clip_boxes_to_image(const at::Tensor& boxes, const ImageSize& size);

// remove_small_boxes(boxes, min_size): indices of boxes at least min_size wide and high.
at::Tensor remove_small_boxes(const at::Tensor& boxes, double min_size);

// batched_nms(boxes, scores, idxs, iou_threshold): NMS per category. On CPU,
// torchvision runs one torchvision::nms per category (_batched_nms_vanilla) when
// boxes.numel() > 4000, else one over boxes offset by category
// (_batched_nms_coordinate_trick). `nms_calls` (optional) counts the NMS calls.
at::Tensor batched_nms(const at::Tensor& boxes, const at::Tensor& scores, const at::Tensor& idxs,
                       double iou_threshold, int64_t* nms_calls = nullptr);

// box_area(boxes): (x2 - x1) * (y2 - y1).
at::Tensor box_area(const at::Tensor& boxes);

// Python's boxes[keep] for a 1-D index tensor: aten::index.
at::Tensor pick(const at::Tensor& t, const at::Tensor& index);

// torch.where(cond)[0].
at::Tensor where_index(const at::Tensor& cond);

}  // namespace ngbench::models::vision
