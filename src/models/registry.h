#pragma once
// The explicit model registry: every built-in model, listable at run time.
//
// This header does not include libtorch, so the CLI's listing code compiles
// without it. Families (gpt2.h, bert.h, ...) each return their entries; the
// registry (registry.cc) is the one list of families.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ngbench::models {

class Model;

struct ModelOptions {
  uint64_t seed = 0;               // weight initialization
  std::string dtype = "float32";   // float32, bfloat16, float16
  std::string device = "cpu";
  std::string attention;           // "eager" or "sdpa"; empty: the reference's default
  int64_t layers = 0;              // repeated layers to build; 0: all of them (see ModelEntry::layer_scope)
  double score_threshold = -1;     // detection models: box score threshold; < 0: the reference's default
  std::string quant = "none";      // --quant scheme of the decoder layers' linear projections (models/quant.h)
  int64_t int8_outliers = 6;       // int8-lt: fixed outlier columns per Linear; -1: as detected
  bool kv_cache = false;           // text decoders' forward(input_ids): fill a DynamicCache (HF's use_cache=True)
  int64_t gen_tokens = 32;         // text decoders: decode steps per sequence (Model::start_sequence)
};

// What a model is fed, for one forward pass (models/configure.h makes it from a RunConfig).
struct InputSpec {
  int64_t batch = 1;
  int64_t seq_len = 0;    // text models; 0: the model's default
  uint64_t seed = 0;
  std::string images;     // vision models: an image file or directory; empty: the shipped photographs
  std::string text_file;  // text models: token ids from this file's bytes; empty: random ids
};

// The kind of input a model takes, which decides the input options that apply.
enum class InputKind {
  kTokenIds,  // --seq-len, --text
  kImages,    // --images
};

struct ModelEntry {
  std::string name;         // CLI name: "gpt2", "bert-base-uncased", ...
  std::string task;         // "NLP", "IC", "OD", "IS"
  std::string reference;    // implementation it follows: "hf:gpt2", "torchvision:vit_b_16"
  std::string description;
  int64_t parameters = 0;   // computed from the config, without building
  int64_t layers = 0;       // repeated blocks (decoder / encoder layers)
  std::string layer_scope;  // module class of one repeated block ("GPT2Block"): what --layers scales
  InputKind input_kind = InputKind::kImages;
  bool takes_seq_len = false;
  bool takes_score_threshold = false;  // detection models: --score-threshold applies
  int64_t default_seq_len = 0;
  int64_t max_seq_len = 0;  // 0: no limit
  // --quant: the smallest input width of the Linears the schemes quantize (the decoder layers' projections,
  // never the LM head), which bounds --int8-outliers; 0: the model takes no --quant.
  int64_t quant_min_in_features = 0;
  bool for_tests = false;   // a tiny config, not a published model
  // Attention implementation used when none is asked for ("sdpa" for the
  // Hugging Face models, as HF 5.17 picks on CPU and CUDA); empty: the model
  // has one fixed implementation and --attention does not apply.
  std::string default_attention;
  // Text decoders (gpt2, llama, mixtral): K and V elements one token adds to one layer's KV cache
  // (2 x kv_heads x head_dim); 0: the model has no KV cache and cannot generate (--phase decode).
  int64_t kv_width = 0;

  // Estimated peak bytes of a forward pass (weights plus live activations)
  // at this batch and sequence length, in float32, with `layers` of the
  // repeated blocks built (1 <= layers <= this->layers).
  std::function<int64_t(int64_t batch, int64_t seq_len, int64_t layers)> estimate_bytes;

  // Builds the model with seeded random weights.
  std::function<std::unique_ptr<Model>(const ModelOptions&)> create;
};

// Every registered model, in listing order.
const std::vector<ModelEntry>& model_registry();

// The entry named `name`; throws ngbench::Error naming the valid models.
const ModelEntry& find_model(const std::string& name);

}  // namespace ngbench::models
