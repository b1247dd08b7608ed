// libFuzzer target: ONNX model files (onnx::parse_model, the hand-written
// protobuf reader), then what ngbench derives from a model it read: the
// parameter count, the input bindings (with and without explicit shapes) and
// the fusion analysis. Seeds: tests/backends/ort/data/*.onnx.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "backends/ort/fusion.h"
#include "backends/ort/onnx_model.h"
#include "backends/ort/ort_config.h"
#include "core/error.h"
#include "taxonomy/taxonomy.h"

using namespace ngbench;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const taxonomy::Taxonomy kOrt = taxonomy::Taxonomy::builtin("ort");
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  onnx::Model model;
  try {
    model = onnx::parse_model(bytes, "fuzz.onnx");
  } catch (const Error&) {
    return 0;  // the documented one-line rejection of a malformed file
  }
  model.parameter_count();
  onnx::analyze_fusion(model, model, kOrt);
  // --shape for every input: the model's own fixed dimensions, 2 where dynamic.
  std::vector<std::string> shapes;
  for (const auto& in : model.inputs) {
    std::string dims;
    for (const auto& d : in.dims) dims += (dims.empty() ? "" : "x") + std::to_string(d.fixed() ? d.value : 2);
    shapes.push_back(in.name + "=" + (dims.empty() ? "1" : dims));
  }
  for (const auto& given : {std::vector<std::string>{}, shapes}) {
    try {
      onnx::takes_seq_len(model, given);
      onnx::bind_inputs(model, 1, 8, given, "fuzz.onnx");
    } catch (const Error&) {
      // An input that cannot be bound (the documented rejection).
    }
  }
  return 0;
}
