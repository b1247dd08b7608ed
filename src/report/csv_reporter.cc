#include "report/csv_reporter.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/atomic_file.h"
#include "report/result_files.h"
#include "report/result_set.h"

namespace ngbench::report {

namespace {

// RFC 4180 quoting: fields with a comma, quote or newline are quoted.
std::string field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// The configuration, then the depth the times stand for (result_set.h depth_columns), then the phase:
// "prefill" or "decode" (whose times are per generated token), kv_cache ("on", "off", "" where none applies)
// and gen_tokens (decode's tokens per sequence; "" for a prefill).
std::string config_cols(const RunResult& r) {
  const auto& c = r.config;
  const auto depth = depth_columns(c.layers, r.extrapolation);
  return fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}", field(c.model), field(c.flow), field(c.device),
                     field(c.dtype), c.batch, c.seq_len, r.context.threads, depth[0], depth[1], depth[2],
                     field(c.phase), field(c.kv_cache), c.phase == "decode" ? std::to_string(c.gen_tokens) : "");
}

constexpr const char* kConfigHeader = "model,flow,device,dtype,batch,seq_len,threads";
constexpr const char* kPhaseHeader = "phase,kv_cache,gen_tokens";

}  // namespace

std::string CsvReporter::groups_csv(const RunResult& r) {
  std::string out = fmt::format("{},{},{},group,side,time_ms,share\n", kConfigHeader, kDepthHeader, kPhaseHeader);
  for (const auto& g : r.breakdown.groups) {
    out += fmt::format("{},{},{},{:.6f},{:.6f}\n", config_cols(r), field(g.name), side_name(g.side), g.time_ms,
                       g.share);
  }
  return out;
}

std::string CsvReporter::ops_csv(const RunResult& r) {
  std::string out =
      fmt::format("{},{},{},op,kind,group,side,scope,input_signature,calls,total_ms,self_ms,share\n", kConfigHeader,
                  kDepthHeader, kPhaseHeader);
  for (const auto& o : r.breakdown.ops) {
    // One row per input signature; the op's self time is split by time share.
    for (const auto& s : o.shapes) {
      const double frac = o.total_ms > 0 ? s.time_ms / o.total_ms : 0;
      out += fmt::format("{},{},{},{},{},{},{},{:.3f},{:.6f},{:.6f},{:.6f}\n", config_cols(r), field(o.name),
                         o.kind == RecordKind::kScope ? "module" : "op", field(o.group), side_name(o.side),
                         field(o.scope), field(signature(s.inputs)), s.calls, s.time_ms,
                         o.self_ms * frac, o.share * frac);
    }
  }
  return out;
}

void CsvReporter::report(const RunResult& r) {
  if (r.status != "ok") return;
  const auto stem = (std::filesystem::path(dir_) / result_stem(r.config)).string();
  write_file_atomically(stem + ".groups.csv", groups_csv(r));
  write_file_atomically(stem + ".ops.csv", ops_csv(r));
}

}  // namespace ngbench::report
