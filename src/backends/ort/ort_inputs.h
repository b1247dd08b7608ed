#pragma once
// The input tensors of an ONNX model for ONNX Runtime, filled as the bindings
// say (ort_config.h): token ids, masks, positions, normal floats, all seeded.
#include <onnxruntime_cxx_api.h>

#include <cstdint>
#include <string>
#include <vector>

#include "backends/ort/ort_config.h"

namespace ngbench::onnx {

// Input tensors with their own storage; the Ort::Values point into it.
struct OrtInputs {
  std::vector<std::vector<uint8_t>> data;
  std::vector<Ort::Value> values;
  std::vector<std::string> names;
  std::vector<const char*> name_ptrs;
};

// The tensors of `bindings`, drawn deterministically from `seed`.
OrtInputs make_ort_inputs(const std::vector<InputBinding>& bindings, uint64_t seed);

}  // namespace ngbench::onnx
