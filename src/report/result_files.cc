#include "report/result_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.h"
#include "report/result_json.h"

namespace ngbench::report {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

FileVerdict other(std::string reason) { return {FileKind::kOther, {}, std::move(reason)}; }
FileVerdict broken(std::string reason) { return {FileKind::kBrokenResult, {}, std::move(reason)}; }

bool contains(const std::string& text, const char* what) { return text.find(what) != std::string::npos; }

// Text that does not parse: the start of a result (a truncated one) or of
// something else. Results begin with their sections in key order
// ("breakdown" first); the other JSON files ngbench writes name themselves.
bool looks_like_result(const std::string& text) {
  if (contains(text, "\"traceEvents\"") || contains(text, "\"ngbench-fusion\"") ||
      contains(text, "\"ngbench-quant\"") || contains(text, "\"records\"")) {
    return false;
  }
  return contains(text, "\"schema_version\"") || contains(text, "\"breakdown\"") || contains(text, "\"latency_ms\"");
}

// What a JSON document is when it is not a result; "" when it may be one.
std::string non_result_kind(const json& j) {
  if (j.is_array()) {
    const bool events = !j.empty() && j.front().is_object() && j.front().contains("ph");
    return events ? "a trace-event array (an ONNX Runtime profile?)" : "a JSON array";
  }
  if (!j.is_object()) return "a JSON value that is not an object";
  if (j.contains("traceEvents")) return "a Chrome trace (ngbench trace)";
  if (j.contains("kind") && j["kind"] == "ngbench-fusion") return "a fusion study summary (ngbench fusion)";
  if (j.contains("kind") && j["kind"] == "ngbench-quant") return "a quantization study summary (ngbench quant)";
  if (j.contains("kind") && j["kind"] == "ngbench-fusion-study") {
    return "a fusion study across flows (ngbench fusion --flows)";
  }
  if (j.contains("records") && j.contains("iterations")) return "a raw trace (ngbench run --raw-trace)";
  if (!j.contains("schema_version")) return "JSON without 'schema_version'";
  return "";
}

// A float no integer field can take (|v| >= 2^63): nlohmann would cast it into one, which is undefined (the
// raw-trace reader's case, found by the fuzz campaign); no float field of a result is that large either.
bool has_huge_number(const json& j) {
  if (j.is_number_float()) return !(std::fabs(j.get<double>()) < 9.2233720368547758e18);
  if (j.is_structured()) {
    for (const auto& v : j) {
      if (has_huge_number(v)) return true;
    }
  }
  return false;
}

// "PATH: reason" -> "reason" (result_from_json names its source).
std::string without_prefix(const std::string& message, const std::string& path) {
  const std::string prefix = path + ": ";
  return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
}

// The files `path` stands for: itself, or the *.json files under it.
void collect(const std::string& path, std::vector<std::string>& out) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    fs::recursive_directory_iterator it(path, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      std::error_code entry_ec;  // a dangling link is neither, not an error
      if (it->is_directory(entry_ec)) {
        // The raw traces of `run --raw-trace`, and hidden directories (.git): not results.
        if (name == "raw" || name.rfind('.', 0) == 0) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(entry_ec) && it->path().extension() == ".json") out.push_back(it->path().string());
    }
    if (ec) throw Error(fmt::format("cannot read results directory '{}': {}", path, ec.message()));
    return;
  }
  if (!fs::exists(path, ec)) throw Error(fmt::format("'{}' is neither a result file nor a directory", path));
  out.push_back(path);
}

}  // namespace

FileVerdict read_result_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return other(fmt::format("cannot be read: {}", std::strerror(errno)));
  std::stringstream ss;
  ss << in.rdbuf();
  return classify_result_text(ss.str(), path);
}

FileVerdict classify_result_text(const std::string& text, const std::string& path) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return other("an empty file");
  if (text[first] != '{' && text[first] != '[') return other("not JSON");
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    const std::string what = fmt::format("malformed JSON at byte {}", e.byte);
    return looks_like_result(text) ? broken(what + " (a truncated result?)") : other(what + ", not a result");
  } catch (const json::exception& e) {  // a number beyond double's range (out_of_range), found by fuzz/
    const std::string what = fmt::format("malformed JSON ({})", e.what());
    return looks_like_result(text) ? broken(what) : other(what + ", not a result");
  }
  if (const std::string kind = non_result_kind(j); !kind.empty()) return other(kind + ", not a result");
  if (has_huge_number(j)) return broken("a number beyond 2^63 where the schema has none");
  try {
    return {FileKind::kResult, result_from_json(j, path), ""};
  } catch (const Error& e) {
    return broken(without_prefix(e.what(), path));
  }
}

bool ResultScan::has_broken_results() const {
  return std::any_of(skipped.begin(), skipped.end(), [](const SkippedFile& s) { return s.broken_result; });
}

ResultScan scan_results(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& p : paths) collect(p, files);
  std::sort(files.begin(), files.end());
  ResultScan scan;
  std::set<std::string> seen;
  for (const auto& f : files) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(f, ec);
    if (!seen.insert(ec ? f : canonical.string()).second) continue;
    scan.files.push_back(f);
    FileVerdict v = read_result_file(f);
    if (v.kind == FileKind::kResult) {
      scan.results.push_back({f, std::move(v.result)});
    } else {
      scan.skipped.push_back({f, v.reason, v.kind == FileKind::kBrokenResult});
    }
  }
  return scan;
}

RunResult load_result(const std::string& path) {
  FileVerdict v = read_result_file(path);
  if (v.kind != FileKind::kResult) throw Error(fmt::format("{}: {}", path, v.reason));
  return std::move(v.result);
}

RunResult parse_result(const std::string& text, const std::string& source) {
  FileVerdict v = classify_result_text(text, source);
  if (v.kind != FileKind::kResult) throw Error(fmt::format("{}: {}", source, v.reason));
  return std::move(v.result);
}

std::vector<LoadedResult> load_results(const std::string& path) {
  ResultScan scan = scan_results({path});
  if (!scan.skipped.empty()) throw Error(fmt::format("{}: {}", scan.skipped[0].path, scan.skipped[0].reason));
  if (scan.results.empty()) throw Error(fmt::format("no result files (*.json) in '{}'", path));
  return std::move(scan.results);
}

}  // namespace ngbench::report
