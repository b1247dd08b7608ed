// libFuzzer target: taxonomy rule files (Taxonomy::parse, what --taxonomy FILE
// reads), then classification with the rules read. Seeds: taxonomy/*.json.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "taxonomy/taxonomy.h"

namespace {

// Operator and module names a rule file is tried on: a few of each flow's.
constexpr const char* kOps[] = {"aten::linear", "aten::addmm", "aten::gelu", "aten::layer_norm", "aten::add_",
                                "MatMul",       "Softmax",     "FusedGemm",  ""};
constexpr const char* kScopes[] = {"NewGELUActivation", "GPT2Attention", ""};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto t = ngbench::taxonomy::Taxonomy::parse(text, "fuzz.json");
    for (const char* op : kOps) t.op_group(op);
    for (const char* scope : kScopes) t.scope_group(scope);
  } catch (const ngbench::Error&) {
    // The documented one-line rejection of a malformed file.
  }
  return 0;
}
