#include "fixtures.h"

#include "attribution/attribute.h"

namespace ngbench::report::testing {

RunResult sample_result() {
  ProfiledTrace t;
  const ArgInfo x{ArgInfo::Kind::kTensor, {1, 4, 8}, "float32"};
  const ArgInfo s{ArgInfo::Kind::kScalar, {}, ""};
  const ArgInfo l{ArgInfo::Kind::kTensorList, {2}, "float32"};
  t.iterations = {{0, 1000000}, {2000000, 3100000}};
  t.records = {
      {"aten::addmm", RecordKind::kOp, 0, 500000, -1, 0, 0, {x, x, s}},
      {"NewGELUActivation", RecordKind::kScope, 500000, 700000, -1, 0, 0, {x}},
      {"aten::mul", RecordKind::kOp, 500000, 600000, 1, 1, 0, {x, s}},
      {"weird::op, \"quoted\"", RecordKind::kOp, 700000, 900000, -1, 0, 0, {l}},
      {"aten::addmm", RecordKind::kOp, 2000000, 2600000, -1, 0, 0, {x, x, s}},
      {"NewGELUActivation", RecordKind::kScope, 2600000, 2800000, -1, 0, 0, {x}},
      {"weird::op, \"quoted\"", RecordKind::kOp, 2800000, 3000000, -1, 0, 0, {l}},
  };
  RunResult r;
  r.config.model = "gpt2-tiny";
  r.config.flow = "eager";
  r.config.batch = 1;
  r.config.seq_len = 4;
  r.config.attention = "eager";
  r.config.quant = "int8-lt";
  r.config.int8_outliers = kInt8OutliersDetected;
  r.config.allocator = "retain";
  r.context.allocator = "retain (test)";
  r.page_faults_per_iter = 12.5;
  r.config.threads = 2;
  r.context.machine = {"host", "Some CPU", 2, 1 << 30, "Linux"};
  r.context.threads = 2;
  r.context.interop_threads = 1;
  r.context.git_commit = "abc";
  r.context.runtime = {"libtorch", "2.11.0"};
  r.context.libtorch_version = "2.11.0";
  r.context.taxonomy = "eager@1.0.0";
  r.context.timestamp = "2026-11-23T00:00:00Z";
  r.model_info = {"NLP", "hf:gpt2", 1234};
  r.latency_ms = summarize({1.0, 1.1, 0.9});
  r.breakdown = attribution::attribute(t, taxonomy::Taxonomy::builtin("eager"));
  r.overhead = r.breakdown.profiled_ms.median / r.latency_ms.median;
  return r;
}

RunResult complete_result() {
  RunResult r = sample_result();
  r.status = "failed";
  r.error = "not an error";
  RunConfig& c = r.config;
  c.batch = 3;
  c.allocator = "system";
  c.model = "model.onnx";
  c.model_file = "dir/model.onnx";
  c.flow = "some-flow";
  c.device = "some-device";
  c.dtype = "bfloat16";
  c.layers = 1;
  c.warmup = 4;
  c.warmup_max_s = 7.5;
  c.iters = 21;
  c.min_time_s = 1.5;
  c.max_time_s = 30;
  c.target_ci = 0.05;
  c.strict = true;
  c.profile_iters = 11;
  c.record_shapes = false;
  c.seed = 9;
  c.taxonomy_file = "rules.json";
  c.raw_trace = true;
  c.images = "photos/";
  c.text_file = "text.txt";
  c.score_threshold = 0.25;
  c.out_dir = "out";
  c.overwrite = true;
  c.backend_options = {{"graph-opt", {"disabled"}}, {"shape", {"x=1x3", "y=2"}}};
  RunContext& x = r.context;
  x.ngbench_version = "0.2.0";
  x.git_dirty = true;
  x.build_type = "Debug";
  x.compiler = "g++ 12";
  x.command_line = "ngbench run";
  x.runtime = {"some-runtime", "1.2.3"};
  r.model_info.parameters = 99;
  Breakdown& b = r.breakdown;
  b.other_thread_records = 3;
  b.other_thread_ms = 0.5;
  b.records_outside_iterations = 2;
  b.basis = "device";
  b.depth_scale = 1.5;
  b.ops[0].device_ms = 0.25;
  DeviceSummary& d = b.device;
  d = {0.8, 0.6, 0.2, 0.75, 0.7, 0.6, 0.59, 12, {0.6, 0.6}, b.groups};
  r.energy = {true, "counter", 2.0, 0.1, 250.0, 20};
  r.extrapolation = {true, 1, 2, 2.0, "GPT2Block", 3.0};
  r.warmup = {{5, true, 0.1}, {2, true, 10.5}};
  r.stability = {"unstable", {"bimodal"}, 0.05, 0.9, 1.1, 0.1, 0.05, true, 0.2, 1.5, 2, 4};
  r.inputs = {{"a.png", 480, 640, 224, 224, 0, ""}, {"text.txt", 0, 0, 0, 0, 3, "ba7816bf"}};
  r.workload_counts = {{"detections", 7}};
  FusionSummary& f = r.fusion;
  f.analyzed = true;
  f.method = "matched by name";
  f.original_nodes = 10;
  f.optimized_nodes = 6;
  f.original_gemm = 2;
  f.original_non_gemm = 8;
  f.kept_non_gemm = 1;
  f.replaced_non_gemm = 1;
  f.fused_with_gemm = 2;
  f.fused_non_gemm = 2;
  f.folded_non_gemm = 1;
  f.removed_non_gemm = 1;
  f.new_unmatched = 1;
  f.by_type = {{"Add", "Element-wise arithmetic", 8, 1, 1, 2, 2, 1, 1}};
  f.patterns = {{"FusedMatMul", "MatMul+Mul", true, true, 2}};
  c.phase = "decode";
  c.kv_cache = "off";
  c.gen_tokens = 4;
  r.decode = {true, 16, 4, 2, 1, 125.0, {{1, 17, 0.5, 3, 0.4, 0.25}}, {1, 2, 0.5, 0.25, "Memory"},
              {3, 4, 0.6, 0.3, "Normalization"}};
  return r;
}

}  // namespace ngbench::report::testing
