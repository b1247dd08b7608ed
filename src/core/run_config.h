#pragma once
// Run configuration: plain structs whose in-class defaults are the single source
// of defaults. The CLI's option table reads and writes these fields.
#include <cstdint>
#include <string>
#include <vector>

namespace ngbench {

// One configuration: one model, one flow, one device, one shape.
struct RunConfig {
  std::string model = "gpt2";
  std::string flow = "eager";      // backend name (see backends/registry.h)
  std::string device = "cpu";
  std::string dtype = "float32";
  int64_t batch = 1;
  int64_t seq_len = 0;             // 0: the model's default sequence length
  int64_t layers = 0;              // repeated layers to build; 0: all (else depth-scaled, see docs)
  std::string attention;           // "eager" or "sdpa" (HF models); empty: the model's default
  int threads = 0;                 // intra-op threads; 0: one per logical CPU
  std::string allocator = "retain";  // heap policy, "retain" or "system" (core/allocator.h)
  int warmup = 3;                  // untimed iterations before each phase
  int iters = 20;                  // timed iterations (observer off)
  int profile_iters = 10;          // profiled iterations (observer on)
  bool record_shapes = true;       // record operator input shapes while profiling
  uint64_t seed = 0;               // weights and inputs
  std::string taxonomy_file;       // empty: the flow's built-in rules
  bool raw_trace = false;          // also write the raw records to <out_dir>/raw/
  std::string images;              // image file or directory for vision models; empty: the shipped photos
  std::string text_file;           // text models: token ids from this file's bytes; empty: random ids
  double score_threshold = -1;     // detection models' box score threshold; < 0: the model's default
  std::string out_dir = "results";
  // ONNX Runtime flow (flow "ort"; docs/onnxruntime.md):
  std::string onnx_file;             // model file (--onnx); empty: onnx/<model>.onnx of `ngbench export`
  std::vector<std::string> shapes;   // explicit input shapes, "name=d1xd2x..." (dynamic dims otherwise
                                     // bound from batch and seq_len)
  std::string graph_opt = "all";     // graph optimization level: disabled, basic, extended, all
  bool keep_ort_files = false;       // keep ORT's profile and optimized graph beside the results
};

// What `ngbench run` sweeps: every list is crossed with every other
// (models x batches x seq_lens), each combination a RunConfig.
struct SweepConfig {
  RunConfig base;
  std::vector<std::string> models{"gpt2"};
  std::vector<int64_t> batches{1};
  std::vector<int64_t> seq_lens{0};

  std::vector<RunConfig> expand() const;
};

}  // namespace ngbench
