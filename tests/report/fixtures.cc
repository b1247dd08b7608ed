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
  r.config.batch = 1;
  r.config.seq_len = 4;
  r.config.attention = "eager";
  r.config.allocator = "retain";
  r.context.allocator = "retain (test)";
  r.page_faults_per_iter = 12.5;
  r.config.threads = 2;
  r.context.machine = {"host", "Some CPU", 2, 1 << 30, "Linux"};
  r.context.threads = 2;
  r.context.interop_threads = 1;
  r.context.git_commit = "abc";
  r.context.torch_version = "2.11.0";
  r.context.taxonomy = "eager@1.0.0";
  r.context.timestamp = "2026-11-23T00:00:00Z";
  r.model = {"NLP", "hf:gpt2", 1234};
  r.latency_ms = summarize({1.0, 1.1, 0.9});
  r.breakdown = attribution::attribute(t, taxonomy::Taxonomy::builtin("eager"));
  r.overhead = r.breakdown.profiled_ms.median / r.latency_ms.median;
  return r;
}

}  // namespace ngbench::report::testing
