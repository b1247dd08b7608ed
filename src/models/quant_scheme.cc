#include "models/quant_scheme.h"

#include "core/error.h"

namespace ngbench::models::quant {

const std::vector<SchemeInfo>& schemes() {
  static const std::vector<SchemeInfo> all = {
      {Scheme::kNone, "none", "no quantization: the base dtype's GEMM", true, true},
      {Scheme::kInt8Lt, "int8-lt", "LLM.int8(): bitsandbytes >= 0.45 Linear8bitLt inference, threshold 6.0", true,
       true},
      {Scheme::kInt8Dynamic, "int8-dynamic",
       "torchao Int8DynamicActivationInt8WeightConfig: per-token int8 activations, per-channel int8 weights", true,
       true},
      {Scheme::kInt8Weight, "int8-weight", "torchao Int8WeightOnlyConfig: per-channel int8 weights", true, true},
      {Scheme::kInt8Fbgemm, "int8-fbgemm", "torch.ao quantize_dynamic: quantized::linear_dynamic (fbgemm)", true,
       false},
      {Scheme::kFp8, "fp8", "torchao Float8DynamicActivationFloat8WeightConfig(PerRow()): aten::_scaled_mm", false,
       true},
  };
  return all;
}

std::string scheme_names(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

const SchemeInfo& find_scheme(const std::string& name) {
  std::vector<std::string> valid;
  for (const auto& s : schemes()) {
    if (name == s.name) return s;
    valid.push_back(s.name);
  }
  throw Error("unknown quantization scheme '" + name + "'; valid: " + scheme_names(valid));
}

std::vector<std::string> schemes_on(const std::string& device_type) {
  std::vector<std::string> out;
  for (const auto& s : schemes()) {
    if (device_type == "cuda" ? s.cuda : s.cpu) out.push_back(s.name);
  }
  return out;
}

}  // namespace ngbench::models::quant
