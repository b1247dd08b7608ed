// Writes the committed report fixtures from synthetic_results.h:
//   make_report_fixtures tests/report/fixtures
// results/: seven models across IC, OD, IS and NLP at batch 1 and 8, except
// detr-fixture batch 8 (missing on purpose) and segformer-fixture batch 8
// (a failed run); llama-fixture is depth-scaled (1 of its 32 layers built); vit-fixture b8 is unstable
// (other work used 1.6 of 2 CPUs while it "measured"). compare/: gpt2-fixture base, a repeat with another seed, and
// a run whose Activation group is 30% faster.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "core/atomic_file.h"
#include "report/json_reporter.h"
#include "report/result_json.h"
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
  fmt::print("wrote {} and {}\n", results, compare.string());
  return 0;
}
