#include "core/side.h"

#include "core/error.h"

namespace ngbench {

Side parse_side(const std::string& s) {
  if (s == "gemm") return Side::kGemm;
  if (s == "non-gemm") return Side::kNonGemm;
  throw Error("invalid side '" + s + "'; valid: gemm, non-gemm");
}

}  // namespace ngbench
