#pragma once
// The one place that turns a run configuration into what a built-in model is
// built with and fed: its checks and resolved defaults, its options, its
// inputs, its memory estimate. Every flow that builds the built-in models
// (eager on the CPU and on CUDA, ...) goes through these.
//
// This header does not include libtorch.
#include <cstdint>

#include "core/run_config.h"
#include "core/run_result.h"
#include "models/registry.h"

namespace ngbench::models {

// Checks a configuration of a built-in model and resolves its defaults:
// sequence length (0 -> the model's default; refused for models without one),
// --layers, --attention (resolved to the model's default so that results say
// which ran), and the input options that apply to the model's inputs (--text
// for token ids, --images for images, --score-threshold for detection models),
// --quant (a scheme of the device, on a model with decoder layers, at a dtype
// the scheme takes) and --int8-outliers (int8-lt only; 0 to the narrowest
// quantized input width, or detected), --phase / --kv-cache / --gen-tokens (decode on a
// model with a KV cache, the context plus the generated tokens within its positions; kv_cache resolved
// to "on", HF's default, where the model has a cache, "" where it has none).
// Throws ngbench::Error with a one-line message naming the value and the valid
// choices.
RunConfig resolve_config(const RunConfig& config);

// Options of the model of a validated configuration.
ModelOptions model_options(const RunConfig& config);

// Inputs of the model of a validated configuration.
InputSpec input_spec(const RunConfig& config);

// Estimated peak bytes of one forward pass of a validated configuration
// (weights and activations at its dtype, with its --layers).
int64_t estimate_bytes(const RunConfig& config);

// Task, reference and parameter count of a registered model.
ModelSummary summary(const ModelEntry& model);

}  // namespace ngbench::models
