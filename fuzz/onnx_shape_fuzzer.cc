// libFuzzer target: the --shape NAME=D1xD2... options of flow ort
// (onnx::bind_inputs), one per line of the input, bound to a small model with
// a token input, a mask and an image input. Seeds: fuzz/seeds/onnx_shape/.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "backends/ort/onnx_model.h"
#include "backends/ort/ort_config.h"
#include "core/error.h"

using namespace ngbench;

namespace {

onnx::Model small_model() {
  onnx::Model m;
  m.ir_version = 8;
  m.inputs.push_back({"input_ids", onnx::kInt64, true, {{-1, "batch"}, {-1, "sequence"}}});
  m.inputs.push_back({"attention_mask", onnx::kInt64, true, {{-1, "batch"}, {-1, "sequence"}}});
  m.inputs.push_back({"pixel_values", onnx::kFloat, true, {{1, ""}, {3, ""}, {-1, "height"}, {224, ""}}});
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const onnx::Model kModel = small_model();
  std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
  std::vector<std::string> shapes;
  for (std::string line; std::getline(lines, line);) shapes.push_back(line);
  try {
    onnx::takes_seq_len(kModel, shapes);
    onnx::bind_inputs(kModel, 2, 16, shapes, "fuzz.onnx");
  } catch (const Error&) {
    // The documented one-line rejection of a malformed --shape.
  }
  return 0;
}
