#pragma once
// What identifies a configuration, and the file name its results get.
//
// A result's name carries every setting that makes two runs measure different
// things, so that runs with different settings never share a file:
//   <model>__<flow>__<device>__<dtype>__b<batch>__s<seq_len>
//   then, where they differ from the defaults: __l<layers>, __attn-eager, __q-<scheme> (--quant),
//   __outliers<N> or __outliers-detected (--int8-outliers), __t<threads>,
//   __seed<seed>, __alloc-<mode>, __noshapes, the flow's own options (__<name>-<value>),
//   and __h<8 hex digits>: a hash of the settings that are paths or numbers too long to
//   spell (model file, taxonomy file, images, text file, score threshold).
// Measurement effort (warm-up, iterations, time budgets) and where results go
// are not part of the identity: a rerun with more iterations replaces its result.
#include <string>

#include "core/run_config.h"

namespace ngbench {

// The canonical form of what a configuration measures (a JSON object, keys sorted).
std::string config_identity(const RunConfig& config);

// File stem of a configuration's results, e.g. "gpt2__eager__cpu__float32__b1__s128"
// ("__l4" for --layers 4, "__seed7" for --seed 7, "__graph-opt-all" for flow ort's option, ...).
std::string result_stem(const RunConfig& config);

}  // namespace ngbench
