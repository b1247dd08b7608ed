#pragma once
// Content hashes of input files, so that a result says exactly what it was fed.
#include <string>

namespace ngbench {

// SHA-256 of `bytes`, as 64 lowercase hex digits.
std::string sha256_hex(const std::string& bytes);

}  // namespace ngbench
