#pragma once
// Integers read from JSON, checked. nlohmann's get<int64_t>() casts a float
// (1.8e31, 1e300) to the integer type, which is undefined behavior beyond its
// range (found by the fuzz campaign); every reader of outside JSON takes its
// integer fields through json_integer.
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <type_traits>

namespace ngbench {

// `v` as a T if it is a JSON integer within T's range; nullopt for a float, a
// non-number or an integer out of range.
template <typename T>
std::optional<T> json_integer(const nlohmann::json& v) {
  static_assert(std::is_integral_v<T>);
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<T>::max())) return std::nullopt;
    return static_cast<T>(u);
  }
  if (!v.is_number_integer()) return std::nullopt;
  const int64_t i = v.get<int64_t>();
  if constexpr (std::is_signed_v<T>) {
    if (i < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
        i > static_cast<int64_t>(std::numeric_limits<T>::max())) {
      return std::nullopt;
    }
  } else {
    if (i < 0 || static_cast<uint64_t>(i) > static_cast<uint64_t>(std::numeric_limits<T>::max())) return std::nullopt;
  }
  return static_cast<T>(i);
}

}  // namespace ngbench
