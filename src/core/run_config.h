#pragma once
// Run configuration: plain structs whose in-class defaults are the single source
// of defaults. The CLI's option table reads and writes these fields.
//
// Nothing here names a flow: options that only one backend understands live in
// `backend_options`, declared and parsed by that backend (backends/backend.h).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ngbench {

// Options owned by a backend, by name (the long flag without dashes, e.g.
// "graph-opt"), as given; a repeatable option keeps every value in order, a
// flag holds {"true"}. The backend validates them and fills its defaults.
using BackendOptions = std::map<std::string, std::vector<std::string>>;

// The last value of backend option `name`, or `fallback` when it was not given.
std::string backend_option(const BackendOptions& options, const std::string& name, const std::string& fallback = "");
// Every value of backend option `name`, in order (empty when not given).
std::vector<std::string> backend_option_list(const BackendOptions& options, const std::string& name);
// Whether flag `name` was given.
bool backend_flag(const BackendOptions& options, const std::string& name);

// RunConfig::int8_outliers: keep the outlier columns that the threshold finds in the data.
inline constexpr int64_t kInt8OutliersDetected = -1;

// One configuration: one model, one flow, one device, one shape.
struct RunConfig {
  std::string model = "gpt2";      // a built-in model (ngbench list models), or the name of model_file
  std::string model_file;          // a model given as a file the flow runs (e.g. ONNX); empty: the built-in model
  std::string flow;                // backend name (backends/registry.cc); empty: the registry's default flow
  std::string device = "cpu";
  std::string dtype = "float32";
  int64_t batch = 1;
  int64_t seq_len = 0;             // 0: the model's default sequence length
  int64_t layers = 0;              // repeated layers to build; 0: all (else depth-scaled, see docs)
  std::string attention;           // "eager" or "sdpa" (HF models); empty: the model's default
  std::string quant = "none";      // quantization of the decoder layers' linear projections (docs/quantization.md)
  int64_t int8_outliers = 6;       // --quant int8-lt: outlier columns per quantized Linear, a fixed seeded set;
                                   // kInt8OutliersDetected: the columns the data has (LLM.int8()'s threshold 6.0)
  std::string phase = "prefill";   // text decoders: "prefill" (one forward over seq_len tokens) or "decode"
                                   // (seq_len tokens of context, then gen_tokens steps of one token; docs/decode.md)
  std::string kv_cache;            // prefill of a text decoder: "on" (HF's DynamicCache, its default) or "off";
                                   // empty: the model's default, resolved by validation ("" where no cache applies)
  int64_t gen_tokens = 32;         // decode: tokens generated per sequence
  int threads = 0;                 // intra-op threads; 0: one per logical CPU
  std::string allocator = "retain";  // heap policy, "retain" or "system" (core/allocator.h)
  int warmup = 3;                  // warm-up iterations at least, before each phase (then until stable)
  double warmup_max_s = 10;        // warm-up goes on until stable for at most this long (seconds)
  int iters = 20;                  // timed iterations at least (observer off)
  double min_time_s = 0;           // the timed phase runs for at least this long (seconds)
  double max_time_s = 20;          // and goes on, past `iters`, until the median's 95% interval is within
  double target_ci = 0.02;         // this relative half-width, for at most max_time_s seconds in all
  bool strict = false;             // an unstable result (core/stability.h) is a failed one
  int profile_iters = 10;          // profiled iterations (observer on)
  bool record_shapes = true;       // record operator input shapes while profiling
  uint64_t seed = 0;               // weights and inputs
  std::string taxonomy_file;       // empty: the flow's built-in rules
  bool raw_trace = false;          // also write the raw records to <out_dir>/raw/
  std::string images;              // image file or directory for vision models; empty: the shipped photos
  std::string text_file;           // text models: token ids from this file's bytes; empty: random ids
  double score_threshold = -1;     // detection models' box score threshold; < 0: the model's default
  std::string out_dir = "results";
  bool overwrite = false;          // replace a result of another configuration that has the same file name
  BackendOptions backend_options;  // the flow's own options (its registry entry declares them)
};

// What `ngbench run` sweeps: every list is crossed with every other
// (models x batches x seq_lens x quants x phases), each combination a RunConfig.
struct SweepConfig {
  RunConfig base;
  std::vector<std::string> models{"gpt2"};
  std::vector<int64_t> batches{1};
  std::vector<int64_t> seq_lens{0};
  std::vector<std::string> quants{"none"};
  std::vector<std::string> phases{"prefill"};
  bool quiet = false;  // no progress lines while it runs

  std::vector<RunConfig> expand() const;
};

}  // namespace ngbench
