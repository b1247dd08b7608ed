#include "backends/inductor/provenance.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace ngbench::inductor {

namespace {

using nlohmann::json;

const std::string kFix = "; export the package again (ngbench export --format aoti)";

std::vector<std::string> names(const json& entry, const char* key, const std::string& where) {
  const auto it = entry.find(key);
  if (it == entry.end() || it->is_null()) return {};
  if (!it->is_array()) throw Error(where + ": '" + key + "' is not a list" + kFix);
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string()) throw Error(where + ": '" + key + "' holds a non-string" + kFix);
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

std::vector<KernelCall> parse_kernel_information(const std::string& text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception&) {  // malformed, truncated, or a number beyond double's range
    throw Error(source + ": kernel_information.json is not valid JSON (truncated?)" + kFix);
  }
  if (!j.is_object()) throw Error(source + ": kernel_information.json is not a JSON object" + kFix);
  std::vector<KernelCall> calls;
  for (const auto& [key, entry] : j.items()) {
    const auto colon = key.rfind(':');
    const std::string digits = colon == std::string::npos ? "" : key.substr(colon + 1);
    if (colon == 0 || digits.empty() || digits.size() > 12 ||
        !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
      throw Error(source + ": kernel_information.json key '" + key + "' is not <kernel>:<handle>" + kFix);
    }
    if (!entry.is_object()) throw Error(source + ": kernel_information.json entry '" + key + "' is not an object" + kFix);
    KernelCall c;
    c.kernel = key.substr(0, colon);
    c.handle = std::stoll(digits);
    const std::string where = source + " (" + key + ")";
    c.pre_grad_nodes = names(entry, "pre_grad_nodes", where);
    c.post_grad_nodes = names(entry, "post_grad_nodes", where);
    calls.push_back(std::move(c));
  }
  std::sort(calls.begin(), calls.end(), [](const KernelCall& a, const KernelCall& b) { return a.handle < b.handle; });
  return calls;
}

bool is_generated_kernel(const std::string& kernel) {
  return kernel.rfind("cpp_", 0) == 0 || kernel.rfind("triton_", 0) == 0;
}

std::string kernel_of_range(const std::string& range_name) {
  std::string s = range_name;
  const auto dot = s.rfind('.');
  if (dot != std::string::npos) s = s.substr(dot + 1);
  // "graph_<digits>_" prefix of C++ kernels' ranges.
  if (s.rfind("graph_", 0) == 0) {
    size_t i = 6;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) ++i;
    if (i > 6 && i < s.size() && s[i] == '_') s = s.substr(i + 1);
  }
  return s;
}

}  // namespace ngbench::inductor
