#pragma once
// config.rope_parameters of the Llama-style models (transformers 5.17
// modeling_rope_utils.py), without libtorch so configs stay torch-free.
#include <cstdint>
#include <string>

namespace ngbench::models {

struct RopeParameters {
  std::string rope_type = "default";  // "default" or "llama3"
  double rope_theta = 10000.0;
  // rope_type "llama3" only (Llama 3.1's values):
  double factor = 8.0;
  double low_freq_factor = 1.0;
  double high_freq_factor = 4.0;
  int64_t original_max_position_embeddings = 8192;
};

}  // namespace ngbench::models
