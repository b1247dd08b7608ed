#include "report/raw_trace_json.h"

#include <fmt/format.h>

#include <cstdint>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/json_integer.h"

namespace ngbench::report {

namespace {

using nlohmann::json;

// An integer field: a JSON integer in T's range (core/json_integer.h), else an error.
template <typename T>
T integer(const json& v, const char* what) {
  const auto i = json_integer<T>(v);
  if (!i) throw Error(fmt::format("'{}' must be an integer in range, not {}", what, v.dump().substr(0, 40)));
  return *i;
}

// An input as [kind, dtype, shape...] to keep large traces compact.
json arg_json(const ArgInfo& a) {
  json j = json::array({static_cast<int>(a.kind), a.dtype});
  for (int64_t d : a.shape) j.push_back(d);
  return j;
}

ArgInfo arg_from(const json& j) {
  ArgInfo a;
  const int kind = integer<int>(j.at(0), "input kind");
  if (kind < 0 || kind > static_cast<int>(ArgInfo::Kind::kOther)) throw Error("bad input kind");
  a.kind = static_cast<ArgInfo::Kind>(kind);
  a.dtype = j.at(1);
  for (size_t i = 2; i < j.size(); ++i) a.shape.push_back(integer<int64_t>(j.at(i), "shape"));
  return a;
}

}  // namespace

json raw_trace_to_json(const ProfiledTrace& t) {
  json records = json::array();
  for (const auto& r : t.records) {
    json inputs = json::array();
    for (const auto& a : r.inputs) inputs.push_back(arg_json(a));
    records.push_back({{"name", r.name},
                       {"scope", r.kind == RecordKind::kScope},
                       {"start_ns", r.start_ns},
                       {"end_ns", r.end_ns},
                       {"parent", r.parent},
                       {"depth", r.depth},
                       {"thread", r.thread},
                       {"inputs", std::move(inputs)}});
  }
  json iterations = json::array();
  for (const auto& s : t.iterations) iterations.push_back({s.start_ns, s.end_ns});
  json device = json::array();
  for (const auto& d : t.device) {
    device.push_back({{"name", d.name},
                      {"kind", static_cast<int>(d.kind)},
                      {"start_ns", d.start_ns},
                      {"end_ns", d.end_ns},
                      {"stream", d.stream},
                      {"launched_by", d.launched_by}});
  }
  return {{"schema_version", kRawTraceSchemaVersion},
          {"records", std::move(records)},
          {"iterations", std::move(iterations)},
          {"device", std::move(device)}};
}

ProfiledTrace raw_trace_from_json(const json& j, const std::string& source) {
  try {
    if (j.at("schema_version") != kRawTraceSchemaVersion) throw Error("unsupported schema_version");
    ProfiledTrace t;
    for (const auto& r : j.at("records")) {
      OpRecord rec;
      rec.name = r.at("name");
      rec.kind = r.at("scope").get<bool>() ? RecordKind::kScope : RecordKind::kOp;
      rec.start_ns = integer<int64_t>(r.at("start_ns"), "start_ns");
      rec.end_ns = integer<int64_t>(r.at("end_ns"), "end_ns");
      rec.parent = integer<int32_t>(r.at("parent"), "parent");
      rec.depth = integer<int32_t>(r.at("depth"), "depth");
      rec.thread = integer<uint64_t>(r.at("thread"), "thread");
      for (const auto& a : r.at("inputs")) rec.inputs.push_back(arg_from(a));
      if (rec.parent >= static_cast<int32_t>(t.records.size())) throw Error("a record's parent comes after it");
      t.records.push_back(std::move(rec));
    }
    for (const auto& s : j.at("iterations")) {
      t.iterations.push_back({integer<int64_t>(s.at(0), "iterations"), integer<int64_t>(s.at(1), "iterations")});
    }
    for (const auto& d : j.at("device")) {
      DeviceRecord rec;
      rec.name = d.at("name");
      const int kind = integer<int>(d.at("kind"), "kind");
      if (kind < 0 || kind > static_cast<int>(DeviceRecord::Kind::kMemset)) throw Error("bad device record kind");
      rec.kind = static_cast<DeviceRecord::Kind>(kind);
      rec.start_ns = integer<int64_t>(d.at("start_ns"), "start_ns");
      rec.end_ns = integer<int64_t>(d.at("end_ns"), "end_ns");
      rec.stream = integer<int64_t>(d.at("stream"), "stream");
      rec.launched_by = integer<int32_t>(d.at("launched_by"), "launched_by");
      if (rec.launched_by >= static_cast<int32_t>(t.records.size())) throw Error("launched_by out of range");
      t.device.push_back(std::move(rec));
    }
    return t;
  } catch (const Error& e) {
    throw Error(fmt::format("{}: {}", source, e.what()));
  } catch (const json::exception& e) {
    throw Error(fmt::format("{}: not an ngbench raw trace: {}", source, e.what()));
  }
}

ProfiledTrace load_raw_trace(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(fmt::format("cannot read raw trace '{}'", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_raw_trace(ss.str(), path);
}

ProfiledTrace parse_raw_trace(const std::string& text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw Error(fmt::format("{}: malformed JSON at byte {} (truncated?)", source, e.byte));
  } catch (const json::exception& e) {  // a number beyond double's range (out_of_range)
    throw Error(fmt::format("{}: malformed JSON: {}", source, e.what()));
  }
  return raw_trace_from_json(j, source);
}

}  // namespace ngbench::report
