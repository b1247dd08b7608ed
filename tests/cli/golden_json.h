#pragma once
// Golden-output checks of JSON with placeholders for volatile values, as
// google/benchmark's output tests do for its reporters. In a golden file a
// string value may be a placeholder:
//   "<float>"   any number          "<int>"    any integer
//   "<string>"  any string          "<bool>"   true or false
//   "<any>"     anything at all
// Everything else must be equal; objects must have the same keys, arrays the
// same length.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ngbench::testing {

// The differences between `golden` and `actual`, one line each with its JSON pointer; empty when they match.
std::vector<std::string> golden_differences(const nlohmann::json& golden, const nlohmann::json& actual,
                                            const std::string& at = "");

}  // namespace ngbench::testing
