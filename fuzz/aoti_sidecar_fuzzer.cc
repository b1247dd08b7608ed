// libFuzzer target: the sidecar of an AOTInductor package (FILE.json beside
// FILE.pt2: inductor::parse_sidecar), then the kernel analysis and fusion rate
// of a real compile's provenance (gpt2-tiny) over the graph read. Seeds:
// tests/backends/inductor/data/*.sidecar.json.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "backends/inductor/kernel_analysis.h"
#include "backends/inductor/provenance.h"
#include "backends/inductor/sidecar.h"
#include "core/error.h"
#include "taxonomy/taxonomy.h"

using namespace ngbench;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const taxonomy::Taxonomy kEager = taxonomy::Taxonomy::builtin("eager");
  static const taxonomy::Taxonomy kFlow = taxonomy::Taxonomy::builtin("inductor");
  static const inductor::ProvenanceRules kRules =
      inductor::parse_provenance_rules(taxonomy::builtin_rule_files().at("inductor"), "taxonomy/inductor.json");
  static const std::vector<inductor::KernelCall> kCalls = inductor::parse_kernel_information(
      read(NGBENCH_SOURCE_DIR "/tests/backends/inductor/data/gpt2-tiny.kernel_information.json"), "fixture");
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const inductor::Sidecar sidecar = inductor::parse_sidecar(text, "fuzz.json");
    const inductor::KernelAnalysis analysis(sidecar, kCalls, kEager, kFlow, kRules);
    analysis.fusion();
  } catch (const Error&) {
    // The documented one-line rejection of a malformed sidecar.
  }
  return 0;
}
