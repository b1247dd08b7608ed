#pragma once
// Deterministic weights and inputs for the detection fidelity tests, bit-identical
// to tools/golden/vision_detection.py's pseudo_values() and synthetic_image():
// integer hashing of a state_dict name (or an image key) and an element index,
// so the C++ model and the reference run on the same numbers without a weight file.
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/vision/images.h"

namespace ngbench::models::testing {

// pseudo_values(name, shape) as a float32 tensor.
at::Tensor pseudo_values(const std::string& name, const std::vector<int64_t>& shape);

// Overwrites every floating parameter and buffer of `root` with pseudo_values of
// its name; returns (name, shape) of each, parameters then buffers.
std::vector<std::pair<std::string, std::vector<int64_t>>> set_pseudo_weights(torch::nn::Module& root);

// synthetic_image(index, height, width): 8-bit HWC RGB.
vision::Image synthetic_image(int64_t index, int64_t height, int64_t width);

}  // namespace ngbench::models::testing
