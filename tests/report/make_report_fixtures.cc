// Writes the committed report fixtures from synthetic_results.h:
//   make_report_fixtures tests/report/fixtures
// results/: seven models across IC, OD, IS and NLP at batch 1 and 8, except
// detr-fixture batch 8 (missing on purpose) and segformer-fixture batch 8
// (a failed run); llama-fixture is depth-scaled (1 of its 32 layers built); vit-fixture b8 is unstable
// (other work used 1.6 of 2 CPUs while it "measured"). compare/: gpt2-fixture base, a repeat with another seed, and
// a run whose Activation group is 30% faster. fusion/: the fusion study of gpt2-fixture (Fig. 8, Table V):
// eager (unfused) and inductor with freezing off and on, each fusing more of the non-GEMM work. decode/: prefill
// beside decode (--phase): gpt2-fixture prefill and decode g8 at s32, decode alone at s64 (its prefill missing),
// llama-fixture depth-scaled prefill and decode at s32.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <tuple>

#include "core/atomic_file.h"
#include "report/json_reporter.h"
#include "report/result_json.h"
#include "synthetic_decode.h"
#include "synthetic_results.h"

using namespace ngbench;
using namespace ngbench::report::testing;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_report_fixtures FIXTURES_DIR\n";
    return 2;
  }
  const std::filesystem::path root = argv[1];
  const auto results = (root / "results").string();
  std::filesystem::remove_all(results);
  ensure_writable_dir(results);
  report::JsonReporter rep(results);
  uint64_t seed = 100;
  for (const auto& m : synth_models()) {
    for (int64_t batch : {1, 8}) {
      ++seed;
      if (m.name == "detr-fixture" && batch == 8) continue;
      if (m.name == "segformer-fixture" && batch == 8) {
        rep.report(synth_failed(m, batch, "out of memory allocating 2147483648 bytes (synthetic failure)"));
        continue;
      }
      SynthOptions o;
      o.batch = batch;
      o.seed = seed;
      o.layers = m.name == "llama-fixture" ? 1 : 0;
      // One run measured while other work used most of the machine: its verdict is "unstable".
      if (m.name == "vit-fixture" && batch == 8) o.other_load_cpus = 1.6;
      rep.report(synth_result(m, o));
    }
  }
  const auto compare = root / "compare";
  ensure_writable_dir(compare.string());
  const auto& gpt2 = synth_model("gpt2-fixture");
  auto write = [&](const char* name, const RunResult& r) {
    write_file_atomically((compare / name).string(), report::to_json(r).dump(1) + "\n");
  };
  SynthOptions o;
  o.seed = 7;
  write("base.json", synth_result(gpt2, o));
  o.seed = 8;
  write("repeat.json", synth_result(gpt2, o));
  o.seed = 9;
  o.group_scale["Activation"] = 0.7;
  write("activation_faster.json", synth_result(gpt2, o));
  const auto fusion = (root / "fusion").string();
  std::filesystem::remove_all(fusion);
  ensure_writable_dir(fusion);
  report::JsonReporter fusion_rep(fusion);
  o = SynthOptions{};
  o.seed = 21;
  fusion_rep.report(synth_result(gpt2, o));
  for (const auto& [freezing, scale, fused, with_gemm] : {std::tuple{"off", 0.6, 9, 1}, std::tuple{"on", 0.45, 9, 4}}) {
    o = SynthOptions{};
    o.seed = freezing[1] == 'f' ? 22 : 23;
    o.flow = "inductor";
    for (const char* g : {"Normalization", "Activation", "Element-wise arithmetic", "Memory", "Logit computation"}) {
      o.group_scale[g] = scale;
    }
    RunResult r = synth_result(gpt2, o);
    r.config.backend_options["freezing"] = {freezing};
    r.fusion.analyzed = true;
    r.fusion.method = "synthetic fixture";
    r.fusion.original_non_gemm = 20;
    r.fusion.fused_non_gemm = fused;
    r.fusion.fused_with_gemm = with_gemm;
    r.fusion.kept_non_gemm = 20 - fused - with_gemm;
    fusion_rep.report(r);
  }
  const auto decode = (root / "decode").string();
  std::filesystem::remove_all(decode);
  ensure_writable_dir(decode);
  report::JsonReporter decode_rep(decode);
  o = SynthOptions{};
  o.seed = 31;
  decode_rep.report(synth_prefill(gpt2, o, 32));
  decode_rep.report(synth_decode(gpt2, o, 32, 8));
  decode_rep.report(synth_decode(gpt2, o, 64, 8));
  o.layers = 1;
  decode_rep.report(synth_prefill(synth_model("llama-fixture"), o, 32));
  decode_rep.report(synth_decode(synth_model("llama-fixture"), o, 32, 8));
  fmt::print("wrote {}, {}, {} and {}\n", results, compare.string(), fusion, decode);
  return 0;
}
