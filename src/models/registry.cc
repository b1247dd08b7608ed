#include "models/registry.h"

#include <string>

#include "core/error.h"
#include "models/bert.h"
#include "models/gpt2.h"
#include "models/llama.h"
#include "models/mixtral.h"
#include "models/vision/detr.h"
#include "models/vision/rcnn.h"
#include "models/vision/maskformer.h"
#include "models/vision/segformer.h"
#include "models/vision/swin.h"
#include "models/vision/vit.h"

namespace ngbench::models {

namespace {

void append(std::vector<ModelEntry>& out, std::vector<ModelEntry> family) {
  for (auto& e : family) out.push_back(std::move(e));
}

std::vector<ModelEntry> build_registry() {
  // The one list of model families, in listing order.
  std::vector<ModelEntry> all;
  append(all, gpt2_entries());
  append(all, bert_entries());
  append(all, llama_entries());
  append(all, mixtral_entries());
  append(all, vision::rcnn_entries());
  append(all, vision::detr_entries());
  append(all, vision::vit_entries());
  append(all, vision::swin_entries());
  append(all, vision::segformer_entries());
  append(all, vision::maskformer_entries());
  return all;
}

}  // namespace

const std::vector<ModelEntry>& model_registry() {
  static const std::vector<ModelEntry> registry = build_registry();
  return registry;
}

const ModelEntry& find_model(const std::string& name) {
  std::string valid;
  for (const auto& e : model_registry()) {
    if (e.name == name) return e;
    valid += (valid.empty() ? "" : ", ") + e.name;
  }
  throw Error("unknown model '" + name + "'; valid: " + valid);
}

}  // namespace ngbench::models
