#include "backends/inductor/sidecar.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <type_traits>

#include "core/error.h"
#include "core/json_integer.h"

namespace ngbench::inductor {

namespace {

using nlohmann::json;

constexpr const char* kExportAgain =
    "; delete the package and its sidecar and export again (ngbench export --format aoti)";

// A JSON value as T: integers (and lists of them) only when they are JSON
// integers in range (core/json_integer.h), never a float cast; other types
// by nlohmann (a json::exception on the wrong type).
template <class T>
T value_as(const json& v, const char* key, const std::string& source) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    const auto i = json_integer<T>(v);
    if (!i) throw Error(source + ": the sidecar's '" + key + "' is not an integer in range" + kExportAgain);
    return *i;
  } else if constexpr (std::is_same_v<T, std::vector<int64_t>>) {
    if (!v.is_array()) throw Error(source + ": the sidecar's '" + key + "' is not a list of integers" + kExportAgain);
    T out;
    for (const auto& e : v) out.push_back(value_as<int64_t>(e, key, source));
    return out;
  } else if constexpr (std::is_same_v<T, std::vector<std::vector<int64_t>>>) {
    if (!v.is_array()) throw Error(source + ": the sidecar's '" + key + "' is not a list of shapes" + kExportAgain);
    T out;
    for (const auto& e : v) out.push_back(value_as<std::vector<int64_t>>(e, key, source));
    return out;
  } else {
    return v.get<T>();
  }
}

// A field of the sidecar, with the file and the fix in the error.
template <class T>
T field(const json& j, const char* key, const std::string& source) {
  const auto it = j.find(key);
  if (it == j.end()) throw Error(source + ": the sidecar lacks '" + key + "'" + kExportAgain);
  try {
    return value_as<T>(*it, key, source);
  } catch (const json::exception&) {
    throw Error(source + ": the sidecar's '" + key + "' has the wrong type" + kExportAgain);
  }
}

template <class T>
T field_or(const json& j, const char* key, T fallback, const std::string& source) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  return value_as<T>(*it, key, source);
}

GraphNode parse_node(const json& n, const std::string& source) {
  GraphNode g;
  g.name = field<std::string>(n, "name", source);
  g.target = field<std::string>(n, "target", source);
  g.is_op = field_or<bool>(n, "op", false, source);
  g.shapes = field_or<std::vector<std::vector<int64_t>>>(n, "shapes", {}, source);
  g.modules = field_or<std::vector<std::string>>(n, "modules", {}, source);
  g.depends_on = field_or<std::string>(n, "depends_on", "input", source);
  return g;
}

}  // namespace

Sidecar parse_sidecar(const std::string& text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception&) {  // malformed, truncated, or a number beyond double's range
    throw Error(source + ": the sidecar is not valid JSON (truncated?); delete the package and its sidecar and export "
                "again (ngbench export --format aoti)");
  }
  if (!j.is_object()) throw Error(source + ": the sidecar is not a JSON object; export the package again");
  const int64_t schema = field<int64_t>(j, "schema_version", source);
  if (schema != kSidecarSchema) {
    throw Error(source + ": sidecar schema " + std::to_string(schema) + ", this ngbench reads " +
                std::to_string(kSidecarSchema) + "; export the package again with this ngbench's tools/export_aoti.py");
  }
  Sidecar s;
  s.path = source;
  try {
    s.model = field<std::string>(j, "model", source);
    s.reference = field_or<std::string>(j, "reference", "", source);
    s.package = field<std::string>(j, "package", source);
    s.package_bytes = field<int64_t>(j, "package_bytes", source);
    s.torch = field<std::string>(j, "torch", source);
    s.device = field<std::string>(j, "device", source);
    s.dtype = field<std::string>(j, "dtype", source);
    s.batch = field<int64_t>(j, "batch", source);
    s.seq_len = field<int64_t>(j, "seq_len", source);
    s.layers = field_or<int64_t>(j, "layers", 0, source);
    s.layers_total = field_or<int64_t>(j, "layers_total", 0, source);
    s.layer_class = field_or<std::string>(j, "layer_class", "", source);
    s.attention = field_or<std::string>(j, "attention", "", source);
    s.threads = field<int64_t>(j, "threads", source);
    s.freezing = field<bool>(j, "freezing", source);
    s.cpu_isa = field_or<std::string>(j, "cpu_isa", "", source);
    s.cpu_flags = field_or<std::vector<std::string>>(j, "cpu_flags", {}, source);
    s.parameters = field_or<int64_t>(j, "parameters", 0, source);
    for (const auto& in : field<json>(j, "inputs", source)) {
      PackageInput p;
      p.name = field<std::string>(in, "name", source);
      p.dtype = field<std::string>(in, "dtype", source);
      p.shape = field<std::vector<int64_t>>(in, "shape", source);
      p.high = field_or<int64_t>(in, "high", 0, source);
      s.inputs.push_back(std::move(p));
    }
    for (const auto& n : field<json>(j, "nodes", source)) s.nodes.push_back(parse_node(n, source));
  } catch (const json::exception&) {
    throw Error(source + ": the sidecar has a field of the wrong type; delete the package and its sidecar and export "
                "again (ngbench export --format aoti)");
  }
  if (s.inputs.empty()) throw Error(source + ": the sidecar lists no inputs; export the package again");
  return s;
}

Sidecar load_sidecar(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(path + ": the package's sidecar is missing; export the package again (ngbench export --format aoti), "
                "which writes both");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_sidecar(text.str(), path);
}

std::string sidecar_path(const std::string& package_path) {
  return std::filesystem::path(package_path).replace_extension(".json").string();
}

}  // namespace ngbench::inductor
