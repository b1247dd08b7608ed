#include "report/fusion_study.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "report/result_json.h"

namespace ngbench::report {

namespace {

using nlohmann::json;

double non_gemm_share(const Breakdown& b) { return b.attributed_ms > 0 ? non_gemm_ms(b) / b.attributed_ms : 0.0; }

double node_executions(const Breakdown& b) {
  double n = 0;
  for (const auto& o : b.ops) n += o.calls;
  return n;
}

json variant_json(const FusionVariant& v) {
  const Breakdown& b = v.result.breakdown;
  json groups = json::object();
  for (const auto& g : b.groups) groups[g.name] = g.time_ms;
  return {{"variant", v.name},
          {"backend_options", v.result.config.backend_options},
          {"status", v.result.status},
          {"error", v.result.error},
          {"result", v.result_file},
          {"latency_ms_median", v.result.latency_ms.median},
          {"profiled_ms_median", b.profiled_ms.median},
          {"attributed_ms", b.attributed_ms},
          {"gemm_ms", gemm_ms(b)},
          {"fused_ms", fused_group_ms(b)},
          {"non_gemm_ms", non_gemm_ms(b)},
          {"non_gemm_share", non_gemm_share(b)},
          {"coverage", b.coverage},
          {"node_executions", node_executions(b)},
          {"groups_ms", groups}};
}

double non_gemm_speedup(const FusionStudyRow& row) {
  const double on = non_gemm_ms(row.fused.result.breakdown);
  return on > 0 ? non_gemm_ms(row.unfused.result.breakdown) / on : 0.0;
}

}  // namespace

double fused_group_ms(const Breakdown& b) {
  double t = 0;
  for (const auto& g : b.groups) t += g.name.rfind("Fused", 0) == 0 ? g.time_ms : 0;
  return t;
}

json fusion_study_json(const FusionStudyRow& row, const std::string& command_line) {
  const RunResult& on = row.fused.result;
  const RunConfig& c = on.config;
  // Not a result: its own kind and version, so that result readers pass it over.
  return {{"kind", "ngbench-fusion"},
          {"fusion_study_version", 1},
          {"model", c.model},
          {"model_file", c.model_file},
          {"flow", c.flow},
          {"device", c.device},
          {"batch", c.batch},
          {"seq_len", c.seq_len},
          {"threads", on.context.threads},
          {"runtime", {{"name", on.context.runtime.name}, {"version", on.context.runtime.version}}},
          {"command_line", command_line},
          {"variants", {variant_json(row.unfused), variant_json(row.fused)}},
          {"fusion", fusion_json(on.fusion)},
          {"non_gemm_speedup", non_gemm_speedup(row)}};
}

std::string fusion_study_csv(const FusionStudyRow& row) {
  const RunResult& off = row.unfused.result;
  const RunResult& on = row.fused.result;
  const FusionSummary& a = on.fusion;
  return fmt::format(
      "model,flow,batch,seq_len,threads,latency_ms_unfused,latency_ms_fused,non_gemm_ms_unfused,"
      "non_gemm_share_unfused,non_gemm_ms_fused,non_gemm_share_fused,fused_ms_fused,original_non_gemm_nodes,"
      "fusion_rate,fusion_rate_with_gemm,fusion_rate_non_gemm,kept_non_gemm,replaced_non_gemm,folded_non_gemm,"
      "removed_non_gemm\n"
      "{},{},{},{},{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{},{:.6f},{:.6f},{:.6f},{},{},{},{}\n",
      on.config.model, on.config.flow, on.config.batch, on.config.seq_len, on.context.threads, off.latency_ms.median,
      on.latency_ms.median, non_gemm_ms(off.breakdown), non_gemm_share(off.breakdown), non_gemm_ms(on.breakdown),
      non_gemm_share(on.breakdown), fused_group_ms(on.breakdown), a.original_non_gemm, a.fusion_rate(),
      a.fusion_rate_with_gemm(), a.fusion_rate_non_gemm(), a.kept_non_gemm, a.replaced_non_gemm, a.folded_non_gemm,
      a.removed_non_gemm);
}

void print_fusion_study(std::ostream& out, const std::vector<FusionStudyRow>& rows) {
  fmt::print(out, "\n== fusion study: graph fusion off (unfused) vs on (fused)\n");
  fmt::print(out, "   {:<20} {:<6} {:<8} {:>11} {:>12} {:>8} {:>10} {:>10}\n", "model", "flow", "variant",
             "latency ms", "non-GEMM ms", "share", "fused ms", "nodes/it");
  for (const auto& r : rows) {
    for (const auto* v : {&r.unfused, &r.fused}) {
      const Breakdown& b = v->result.breakdown;
      fmt::print(out, "   {:<20} {:<6} {:<8} {:>11.3f} {:>12.3f} {:>7.1f}% {:>10.3f} {:>10.0f}\n",
                 v->result.config.model, v->result.config.flow, v->name, v->result.latency_ms.median, non_gemm_ms(b),
                 non_gemm_share(b) * 100, fused_group_ms(b), node_executions(b));
    }
    const FusionSummary& a = r.fused.result.fusion;
    fmt::print(out,
               "   {:<20} non-GEMM speedup {:.2f}x; fusion rate (estimate) {:.1f}% of {} original non-GEMM nodes: "
               "{:.1f}% fused with a GEMM, {:.1f}% among non-GEMM; {} kept, {} replaced, {} folded, {} removed\n",
               "", non_gemm_speedup(r), a.fusion_rate() * 100, a.original_non_gemm, a.fusion_rate_with_gemm() * 100,
               a.fusion_rate_non_gemm() * 100, a.kept_non_gemm, a.replaced_non_gemm, a.folded_non_gemm,
               a.removed_non_gemm);
  }
}

std::string StudyRun::label() const { return variant.empty() ? flow : flow + " " + variant; }

const StudyRun* study_baseline(const ModelStudy& study) {
  for (const auto& r : study.runs) {
    if (r.result.status == "ok" && !r.result.fusion.analyzed) return &r;
  }
  return nullptr;
}

namespace {

double share_of(double part, const Breakdown& b) { return b.attributed_ms > 0 ? part / b.attributed_ms : 0.0; }

// Non-GEMM speedup of a run over the baseline's non-GEMM time; 0 when either is missing.
double speedup_over(const StudyRun& r, const StudyRun* base) {
  if (base == nullptr || r.result.status != "ok") return 0;
  const double on = non_gemm_ms(r.result.breakdown);
  return on > 0 ? non_gemm_ms(base->result.breakdown) / on : 0.0;
}

}  // namespace

json model_study_json(const ModelStudy& study, const std::string& command_line) {
  const StudyRun* base = study_baseline(study);
  json runs = json::array();
  for (const auto& r : study.runs) {
    const Breakdown& b = r.result.breakdown;
    json groups = json::object();
    for (const auto& g : b.groups) groups[g.name] = g.time_ms;
    runs.push_back({{"flow", r.flow},
                    {"variant", r.variant},
                    {"label", r.label()},
                    {"baseline", &r == base},
                    {"backend_options", r.result.config.backend_options},
                    {"status", r.result.status},
                    {"error", r.result.error},
                    {"result", r.result_file},
                    {"stability", r.result.stability.verdict},
                    {"latency_ms_median", r.result.latency_ms.median},
                    {"profiled_ms_median", b.profiled_ms.median},
                    {"attributed_ms", b.attributed_ms},
                    {"coverage", b.coverage},
                    {"gemm_ms", gemm_ms(b)},
                    {"gemm_share", share_of(gemm_ms(b), b)},
                    {"fused_ms", fused_group_ms(b)},
                    {"non_gemm_ms", non_gemm_ms(b)},
                    {"non_gemm_share", share_of(non_gemm_ms(b), b)},
                    {"non_gemm_speedup", speedup_over(r, base)},
                    {"groups_ms", groups},
                    {"fusion", fusion_json(r.result.fusion)}});
  }
  const RunConfig& c = study.runs.empty() ? RunConfig{} : study.runs.front().result.config;
  return {{"schema_version", 2},     {"kind", "ngbench-fusion-study"}, {"model", c.model},
          {"device", c.device},      {"dtype", c.dtype},               {"batch", c.batch},
          {"seq_len", c.seq_len},    {"threads", c.threads},           {"command_line", command_line},
          {"baseline", base ? base->label() : ""}, {"runs", runs}};
}

std::string model_study_csv(const ModelStudy& study) {
  const StudyRun* base = study_baseline(study);
  std::string out =
      "model,device,batch,seq_len,flow,variant,status,stability,latency_ms,gemm_ms,gemm_share,non_gemm_ms,"
      "non_gemm_share,fused_ms,coverage,non_gemm_speedup,original_non_gemm_nodes,fusion_rate,fusion_rate_with_gemm,"
      "fusion_rate_non_gemm\n";
  for (const auto& r : study.runs) {
    const Breakdown& b = r.result.breakdown;
    const FusionSummary& f = r.result.fusion;
    const RunConfig& c = r.result.config;
    out += fmt::format("{},{},{},{},{},{},{},{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{},{:.6f},{:.6f},"
                       "{:.6f}\n",
                       c.model, c.device, c.batch, c.seq_len, r.flow, r.variant, r.result.status,
                       r.result.stability.verdict, r.result.latency_ms.median, gemm_ms(b), share_of(gemm_ms(b), b),
                       non_gemm_ms(b), share_of(non_gemm_ms(b), b), fused_group_ms(b), b.coverage,
                       speedup_over(r, base), f.original_non_gemm, f.fusion_rate(), f.fusion_rate_with_gemm(),
                       f.fusion_rate_non_gemm());
  }
  return out;
}

void print_model_study(std::ostream& out, const ModelStudy& study) {
  if (study.runs.empty()) return;
  const RunConfig& c = study.runs.front().result.config;
  const StudyRun* base = study_baseline(study);
  fmt::print(out, "\n== fusion study: {} ({}, {}, batch {}{}){}\n", c.model, c.device, c.dtype, c.batch,
             c.seq_len > 0 ? fmt::format(", seq {}", c.seq_len) : "",
             base ? "; baseline " + base->label() : "; no unfused baseline ran");
  fmt::print(out, "   {:<22} {:>10} {:>9} {:>6} {:>11} {:>6} {:>8} {:>9} {:>22} {:>9}\n", "flow", "latency ms", "GEMM ms",
             "GEMM", "non-GEMM ms", "share", "speedup", "coverage", "fusion rate (w/ GEMM)", "verdict");
  for (const auto& r : study.runs) {
    if (r.result.status != "ok") {
      fmt::print(out, "   {:<22} failed: {}\n", r.label(), r.result.error);
      continue;
    }
    const Breakdown& b = r.result.breakdown;
    const FusionSummary& f = r.result.fusion;
    const std::string rate = f.analyzed ? fmt::format("{:.1f}% ({:.1f}%)", f.fusion_rate() * 100,
                                                      f.fusion_rate_with_gemm() * 100)
                                        : "-";
    const std::string speedup = &r == base ? "1.00x" : base ? fmt::format("{:.2f}x", speedup_over(r, base)) : "-";
    fmt::print(out, "   {:<22} {:>10.3f} {:>9.3f} {:>5.1f}% {:>11.3f} {:>5.1f}% {:>8} {:>9.3f} {:>22} {:>9}\n",
               r.label(), r.result.latency_ms.median, gemm_ms(b), share_of(gemm_ms(b), b) * 100, non_gemm_ms(b),
               share_of(non_gemm_ms(b), b) * 100, speedup, b.coverage, rate, r.result.stability.verdict);
  }
  fmt::print(out, "   (non-GEMM speedup: baseline non-GEMM ms / the flow's; fusion rate: fused non-GEMM nodes / "
                  "original non-GEMM nodes, an estimate: see each flow's fusion.method)\n");
}

}  // namespace ngbench::report
