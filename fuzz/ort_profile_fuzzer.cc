// libFuzzer target: ONNX Runtime's profiling JSON (ort::parse_profile), with
// the options the ORT flow passes, then attribution of the trace read with the
// ort taxonomy, as the flow does. Seeds: tests/backends/ort/data/*.ort-profile.json.
#include <cstddef>
#include <cstdint>
#include <string>

#include "attribution/attribute.h"
#include "backends/ort/ort_profile.h"
#include "core/error.h"
#include "taxonomy/taxonomy.h"

using namespace ngbench;

namespace {

void parse_and_attribute(const std::string& text, const ort::ProfileOptions& options,
                         const taxonomy::Taxonomy& taxonomy) {
  try {
    const ort::Profile p = ort::parse_profile(text, "fuzz.ort-profile.json", options);
    attribution::attribute(p.trace, taxonomy);
  } catch (const Error&) {
    // The documented one-line rejection of a malformed profile.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const taxonomy::Taxonomy kOrt = taxonomy::Taxonomy::builtin("ort");
  const std::string text(reinterpret_cast<const char*>(data), size);
  parse_and_attribute(text, {}, kOrt);
  // The committed profiles' layout (1 warm-up, 2 profiled runs), without shapes.
  ort::ProfileOptions o;
  o.profiled_runs = 2;
  o.expected_runs = 3;
  o.record_shapes = false;
  parse_and_attribute(text, o, kOrt);
  return 0;
}
