// libFuzzer target: kernel provenance (kernel_information.json inside an
// AOTInductor package: inductor::parse_kernel_information), then the kernel
// analysis and fusion rate of the calls read over a real compile's graph
// (gpt2-tiny's sidecar). Seeds: tests/backends/inductor/data/*.kernel_information.json.
#include <cstddef>
#include <cstdint>
#include <string>

#include "backends/inductor/kernel_analysis.h"
#include "backends/inductor/provenance.h"
#include "backends/inductor/sidecar.h"
#include "core/error.h"
#include "taxonomy/taxonomy.h"

using namespace ngbench;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const taxonomy::Taxonomy kEager = taxonomy::Taxonomy::builtin("eager");
  static const taxonomy::Taxonomy kFlow = taxonomy::Taxonomy::builtin("inductor");
  static const inductor::ProvenanceRules kRules =
      inductor::parse_provenance_rules(taxonomy::builtin_rule_files().at("inductor"), "taxonomy/inductor.json");
  static const inductor::Sidecar kSidecar =
      inductor::load_sidecar(NGBENCH_SOURCE_DIR "/tests/backends/inductor/data/gpt2-tiny.sidecar.json");
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const inductor::KernelAnalysis analysis(kSidecar, inductor::parse_kernel_information(text, "fuzz.json"), kEager,
                                            kFlow, kRules);
    for (const auto& call : analysis.calls()) inductor::kernel_of_range(call.call.kernel);
    analysis.fusion();
  } catch (const Error&) {
    // The documented one-line rejection of malformed provenance.
  }
  return 0;
}
