#pragma once
// Synthetic but realistic results for report tests: a few models of each task
// (IC, OD, IS, NLP) as op sequences with nominal durations, turned into an
// observer trace with seeded noise and attributed with the eager taxonomy.
// tests/report/fixtures/results/ was written by make_report_fixtures from
// these; tests also build variants in memory (a group made 30% faster, a
// repeat with another seed).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/run_result.h"

namespace ngbench::report::testing {

struct SynthOp {
  std::string name;
  RecordKind kind = RecordKind::kOp;
  double us = 10;             // nominal duration at batch 1
  double batch_exponent = 0.8;  // duration grows as batch^exponent
  std::vector<std::vector<int64_t>> inputs;  // float32 tensor shapes; dim 0 == -1 is the batch
  std::vector<SynthOp> children;  // ops inside a scope (or an op's nested ops)
};

struct SynthModel {
  std::string name, task, reference;
  int64_t seq_len = 0;
  int64_t parameters = 0;
  std::string block_scope;  // transparent scope around each layer ("" for none)
  int layers = 2;
  std::vector<SynthOp> prologue, layer, epilogue;
};

struct SynthOptions {
  int64_t batch = 1;
  uint64_t seed = 1;
  int profile_iters = 10;
  int iters = 20;
  double noise = 0.03;                    // relative sd of each op's duration
  std::map<std::string, double> group_scale;  // multiply the time of a group's ops
  std::string flow = "eager";
  int layers = 0;  // build this many of the model's layers and depth-scale (--layers); 0: all
  double other_load_cpus = 0;  // other work on the (2-CPU) machine while it "measured": judged as the runner does
};

// vit-fixture, swin-fixture (IC), detr-fixture (OD), segformer-fixture (IS),
// gpt2-fixture, bert-fixture, llama-fixture (NLP; 32 layers, profiled
// depth-scaled from 1 in the fixtures).
const std::vector<SynthModel>& synth_models();
const SynthModel& synth_model(const std::string& name);

RunResult synth_result(const SynthModel& model, const SynthOptions& options);

// A failed run of `model` at `batch` (status "failed", error set, no breakdown).
RunResult synth_failed(const SynthModel& model, int64_t batch, const std::string& error);

}  // namespace ngbench::report::testing
