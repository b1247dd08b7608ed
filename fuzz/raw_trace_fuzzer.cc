// libFuzzer target: raw traces (`ngbench run --raw-trace` files, read back by
// report::parse_raw_trace to replay attribution), then attribution of the
// trace read with the eager taxonomy. Seeds: tests/attribution/data/.
#include <cstddef>
#include <cstdint>
#include <string>

#include "attribution/attribute.h"
#include "core/error.h"
#include "report/raw_trace_json.h"
#include "taxonomy/taxonomy.h"

using namespace ngbench;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const taxonomy::Taxonomy kEager = taxonomy::Taxonomy::builtin("eager");
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const ProfiledTrace trace = report::parse_raw_trace(text, "fuzz.json");
    attribution::attribute(trace, kEager);
  } catch (const Error&) {
    // The documented one-line rejection of a malformed trace.
  }
  return 0;
}
