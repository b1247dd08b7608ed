#pragma once
// The quantization schemes of --quant (docs/quantization.md): their names, the
// library each one follows, and the devices that have them. What a scheme does
// to a Linear is models/quant.h (libtorch); this header does not include
// libtorch, so the CLI and configure.h read it.
#include <cstdint>
#include <string>
#include <vector>

namespace ngbench::models::quant {

enum class Scheme {
  kNone,         // the base dtype's GEMM
  kInt8Lt,       // LLM.int8(): bitsandbytes Linear8bitLt, threshold 6.0, outlier columns in the base dtype
  kInt8Dynamic,  // torchao Int8DynamicActivationInt8WeightConfig: per-token int8 activations, per-channel weights
  kInt8Weight,   // torchao Int8WeightOnlyConfig: per-channel int8 weights, dequantized to the base dtype
  kInt8Fbgemm,   // torch.ao quantize_dynamic: quantized::linear_dynamic (fbgemm), the quantization fused in
  kFp8,          // torchao Float8DynamicActivationFloat8WeightConfig(PerRow()): aten::_scaled_mm
};

struct SchemeInfo {
  Scheme scheme;
  const char* name;     // the --quant value
  const char* follows;  // what it imitates, one line
  bool cpu;             // available on the CPU
  bool cuda;            // available on CUDA
};

// Every scheme, in the order of --help and the study.
const std::vector<SchemeInfo>& schemes();

// The scheme named `name`; throws ngbench::Error naming the valid schemes.
const SchemeInfo& find_scheme(const std::string& name);

// The schemes a device type has ("cpu", "cuda"), as --quant values.
std::vector<std::string> schemes_on(const std::string& device_type);

// "none, int8-lt, ..." for messages.
std::string scheme_names(const std::vector<std::string>& names);

// LLM.int8()'s outlier threshold: an activation with |x| >= 6.0 marks its column
// (bitsandbytes' Linear8bitLt default, and HF's llm_int8_threshold).
inline constexpr double kOutlierThreshold = 6.0;

}  // namespace ngbench::models::quant
