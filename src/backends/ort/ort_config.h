#pragma once
// What a configuration of the ONNX Runtime flow means, decided without ONNX
// Runtime: which file, which graph optimization level, and the shape and
// contents of every model input. The runner validates with it before anything
// runs; the backend binds inputs with it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backends/ort/onnx_model.h"
#include "core/run_config.h"

namespace ngbench::onnx {

// The flow's own options (RunConfig::backend_options), declared in its registry entry.
inline constexpr const char* kOptOnnx = "onnx";                // --onnx FILE: the model file
inline constexpr const char* kOptShape = "shape";              // --shape NAME=D1xD2... (repeatable)
inline constexpr const char* kOptGraphOpt = "graph-opt";       // --graph-opt LEVEL
inline constexpr const char* kOptKeepFiles = "keep-ort-files";  // --keep-ort-files
inline constexpr const char* kDefaultGraphOpt = "all";

// Graph optimization levels accepted by --graph-opt, in increasing order.
const std::vector<std::string>& graph_opt_levels();

// The graph optimization level of a configuration (--graph-opt, default "all").
std::string graph_opt(const RunConfig& config);

// The explicit input shapes of a configuration (--shape).
std::vector<std::string> shapes(const RunConfig& config);

// Where `ngbench export` writes a built-in model and where `--model M --flow ort` looks for it.
std::string default_onnx_path(const std::string& model);

// The model file of a configuration: model_file, else default_onnx_path(model).
std::string onnx_path(const RunConfig& config);

// Where --keep-ort-files puts ORT's profile (+ ".ort-profile.json") and the optimized graph
// (+ ".optimized.onnx", its weights in + ".optimized.onnx.data"): "<out>/ort-files/<result stem>",
// a folder of their own so that result readers never meet them.
std::string kept_files_prefix(const RunConfig& config);

// How an input is filled (deterministically from the seed).
enum class Fill {
  kTokens,     // integer ids, uniform in [0, vocab)
  kOnes,       // attention masks
  kZeros,      // token type ids
  kPositions,  // 0, 1, ... along the last dimension
  kRandom,     // floating point, standard normal (images, features)
};

struct InputBinding {
  std::string name;
  int32_t elem_type = kUndefined;
  std::vector<int64_t> shape;
  Fill fill = Fill::kRandom;
  int64_t vocab = 0;  // kTokens: ids are drawn from [0, vocab)
};

// Whether some dynamic input dimension of `model` is a sequence length (so the
// run needs --seq-len), given the explicit shapes.
bool takes_seq_len(const Model& model, const std::vector<std::string>& shapes);

// Every input of `model` with a concrete shape: fixed dimensions as in the
// model, explicit `shapes` ("name=2x3x224x224") as given, dimension 0 when
// dynamic bound to `batch`, other dynamic dimensions of integer inputs (token
// ids, masks) or named like a sequence bound to `seq_len`. Throws
// ngbench::Error naming the input and the fix (--shape) for any other dynamic
// dimension, an unknown name or a malformed shape in `shapes`, or a shape that
// contradicts a fixed dimension. `source` names the model in errors.
std::vector<InputBinding> bind_inputs(const Model& model, int64_t batch, int64_t seq_len,
                                      const std::vector<std::string>& shapes, const std::string& source);

// The checks of `ngbench run` for a configuration of flow ort, given what the
// model registry says when `config.model` names a built-in model and no
// --onnx file was given. Resolves the graph optimization level and seq_len (0 -> the registry's default, or an error naming --seq-len when
// the model has a dynamic sequence dimension). Throws ngbench::Error with a
// one-line message: file missing (for a built-in model that cannot be exported: with
// the alternatives; one that can is exported when the run prepares) or not ONNX, unknown graph optimization level, inputs that cannot be bound.
struct RegistryInfo {
  int64_t default_seq_len = 0;
  int64_t max_seq_len = 0;
  bool exportable = false;  // `ngbench export` can write its file: a missing one is exported on first use
};
RunConfig validate_config(const RunConfig& config, const std::optional<RegistryInfo>& registry);

// Bytes of the model file and of its external data files (the weights' size on disk).
int64_t model_bytes_on_disk(const std::string& path);

}  // namespace ngbench::onnx
