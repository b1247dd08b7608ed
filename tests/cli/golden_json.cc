#include "golden_json.h"

namespace ngbench::testing {

namespace {

using nlohmann::json;

// Whether `v` fits placeholder `p`; false when `p` is no placeholder.
bool fits(const std::string& p, const json& v) {
  if (p == "<any>") return true;
  if (p == "<float>") return v.is_number();
  if (p == "<int>") return v.is_number_integer();
  if (p == "<string>") return v.is_string();
  if (p == "<bool>") return v.is_boolean();
  return false;
}

bool is_placeholder(const json& g) {
  if (!g.is_string()) return false;
  const auto& s = g.get_ref<const std::string&>();
  return s == "<any>" || s == "<float>" || s == "<int>" || s == "<string>" || s == "<bool>";
}

}  // namespace

std::vector<std::string> golden_differences(const json& golden, const json& actual, const std::string& at) {
  std::vector<std::string> out;
  const std::string where = at.empty() ? "/" : at;
  if (is_placeholder(golden)) {
    if (!fits(golden.get<std::string>(), actual)) out.push_back(where + ": " + actual.dump() + " is not " + golden.dump());
    return out;
  }
  if (golden.type() != actual.type() && !(golden.is_number() && actual.is_number())) {
    out.push_back(where + ": expected " + golden.dump() + ", got " + actual.dump());
    return out;
  }
  if (golden.is_object()) {
    for (const auto& [k, v] : golden.items()) {
      if (!actual.contains(k)) {
        out.push_back(at + "/" + k + ": missing");
        continue;
      }
      auto sub = golden_differences(v, actual[k], at + "/" + k);
      out.insert(out.end(), sub.begin(), sub.end());
    }
    for (const auto& [k, v] : actual.items()) {
      if (!golden.contains(k)) out.push_back(at + "/" + k + ": not in the golden file");
    }
  } else if (golden.is_array()) {
    if (golden.size() != actual.size()) {
      out.push_back(where + ": " + std::to_string(actual.size()) + " items, expected " + std::to_string(golden.size()));
      return out;
    }
    for (size_t i = 0; i < golden.size(); ++i) {
      auto sub = golden_differences(golden[i], actual[i], at + "/" + std::to_string(i));
      out.insert(out.end(), sub.begin(), sub.end());
    }
  } else if (golden != actual) {
    out.push_back(where + ": expected " + golden.dump() + ", got " + actual.dump());
  }
  return out;
}

}  // namespace ngbench::testing
