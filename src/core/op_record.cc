#include "core/op_record.h"

namespace ngbench {

std::string signature(const std::vector<ArgInfo>& inputs) {
  std::string s;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (i) s += ';';
    const ArgInfo& a = inputs[i];
    switch (a.kind) {
      case ArgInfo::Kind::kTensor:
      case ArgInfo::Kind::kTensorList: {
        s += a.kind == ArgInfo::Kind::kTensorList ? "list:" : "";
        s += a.dtype + "[";
        for (size_t d = 0; d < a.shape.size(); ++d) s += (d ? "," : "") + std::to_string(a.shape[d]);
        s += "]";
        break;
      }
      case ArgInfo::Kind::kScalar: s += "s"; break;
      case ArgInfo::Kind::kNone: s += "-"; break;
      case ArgInfo::Kind::kOther: s += "?"; break;
    }
  }
  return s;
}

}  // namespace ngbench
