#pragma once
#include <string>

namespace ngbench {

// Which side of the paper's split an operator group is on.
enum class Side { kGemm, kNonGemm };

inline const char* side_name(Side s) { return s == Side::kGemm ? "gemm" : "non-gemm"; }

// Parses "gemm" / "non-gemm"; throws ngbench::Error on anything else.
Side parse_side(const std::string& s);

}  // namespace ngbench
