#include "synthetic_results.h"

#include <cmath>
#include <optional>
#include <random>

#include "attribution/attribute.h"
#include "core/error.h"
#include "core/stability.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::report::testing {

namespace {

constexpr int64_t B = -1;  // the batch dimension

SynthOp op(std::string name, double us, std::vector<std::vector<int64_t>> inputs, double exponent = 0.8) {
  return {std::move(name), RecordKind::kOp, us, exponent, std::move(inputs), {}};
}
SynthOp gemm(std::string name, double us, std::vector<std::vector<int64_t>> inputs) {
  return op(std::move(name), us, std::move(inputs), 0.95);
}
SynthOp scope(std::string name, std::vector<SynthOp> children, std::vector<std::vector<int64_t>> inputs) {
  return {std::move(name), RecordKind::kScope, 0, 0.8, std::move(inputs), std::move(children)};
}

std::vector<SynthModel> build_models() {
  std::vector<SynthModel> m;
  {  // ViT: normalization is the top non-GEMM group.
    SynthModel v{"vit-fixture", "IC", "fixture:vit_b_16", 0, 86000000, "EncoderBlock", 3};
    const std::vector<int64_t> x{B, 197, 768};
    v.prologue = {gemm("aten::conv2d", 900, {{B, 3, 224, 224}, {768, 3, 16, 16}}), op("aten::flatten", 20, {{B, 768, 14, 14}}),
                  op("aten::cat", 30, {{B, 196, 768}}), op("aten::add", 40, {x, {1, 197, 768}})};
    v.layer = {op("aten::layer_norm", 160, {x}), gemm("aten::linear", 700, {x, {2304, 768}}),
               op("aten::scaled_dot_product_attention", 400, {{B, 12, 197, 64}}),
               gemm("aten::linear", 240, {x, {768, 768}}), op("aten::add", 60, {x, x}),
               op("aten::layer_norm", 150, {x}), gemm("aten::linear", 950, {x, {3072, 768}}),
               op("aten::gelu", 120, {{B, 197, 3072}}), gemm("aten::linear", 930, {{B, 197, 3072}, {768, 3072}}),
               op("aten::add", 60, {x, x})};
    v.epilogue = {op("aten::layer_norm", 150, {x}), op("aten::select", 5, {x}), gemm("aten::linear", 60, {{B, 768}, {1000, 768}})};
    m.push_back(v);
  }
  {  // Swin: memory (window shuffles) dominates; one op no rule knows.
    SynthModel s{"swin-fixture", "IC", "fixture:swin_t", 0, 28000000, "SwinTransformerBlock", 3};
    const std::vector<int64_t> x{B, 56, 56, 96};
    s.prologue = {gemm("aten::conv2d", 500, {{B, 3, 224, 224}, {96, 3, 4, 4}}), op("aten::permute", 40, {{B, 96, 56, 56}}),
                  op("aten::layer_norm", 120, {x})};
    s.layer = {op("aten::layer_norm", 120, {x}),   op("aten::roll", 150, {x}),
               op("aten::permute", 220, {x}),      op("aten::reshape", 180, {x}),
               gemm("aten::linear", 500, {{B * 64, 49, 96}, {288, 96}}),
               op("aten::softmax", 160, {{B * 64, 3, 49, 49}}),
               op("custom::window_shift", 90, {x}),
               gemm("aten::matmul", 260, {{B * 64, 3, 49, 49}, {B * 64, 3, 49, 32}}),
               op("aten::contiguous", 240, {x}),   op("aten::add", 70, {x, x}),
               gemm("aten::linear", 800, {x, {384, 96}}), op("aten::gelu", 110, {{B, 56, 56, 384}}),
               gemm("aten::linear", 780, {{B, 56, 56, 384}, {96, 384}})};
    s.epilogue = {op("aten::adaptive_avg_pool1d", 30, {{B, 768, 49}}), gemm("aten::linear", 40, {{B, 768}, {1000, 768}})};
    m.push_back(s);
  }
  {  // DETR: two normalization variants (a frozen batch norm module and aten::batch_norm).
    SynthModel d{"detr-fixture", "OD", "fixture:detr_resnet50", 0, 41000000, "", 2};
    const std::vector<int64_t> f{B, 256, 50, 50};
    d.prologue = {gemm("aten::conv2d", 1200, {{B, 3, 800, 800}, {64, 3, 7, 7}}),
                  scope("DetrFrozenBatchNorm2d",
                        {op("aten::mul", 180, {{B, 64, 400, 400}, {1, 64, 1, 1}}),
                         op("aten::add", 170, {{B, 64, 400, 400}, {1, 64, 1, 1}})},
                        {{B, 64, 400, 400}}),
                  op("aten::relu", 90, {{B, 64, 400, 400}}), op("aten::max_pool2d", 140, {{B, 64, 400, 400}})};
    d.layer = {gemm("aten::conv2d", 900, {f, {256, 256, 3, 3}}),
               scope("DetrFrozenBatchNorm2d", {op("aten::mul", 160, {f, {1, 256, 1, 1}}), op("aten::add", 150, {f, {1, 256, 1, 1}})}, {f}),
               op("aten::batch_norm", 210, {f, {256}, {256}}), op("aten::relu", 70, {f}),
               gemm("aten::linear", 500, {{B, 2500, 256}, {768, 256}}), op("aten::softmax", 120, {{B, 8, 100, 2500}}),
               op("aten::layer_norm", 90, {{B, 100, 256}}), op("aten::add", 50, {{B, 100, 256}, {B, 100, 256}})};
    d.epilogue = {gemm("aten::linear", 60, {{B, 100, 256}, {92, 256}}), op("aten::sigmoid", 20, {{B, 100, 4}})};
    m.push_back(d);
  }
  {  // SegFormer: a depthwise-conv module counted as GEMM, upsampling.
    SynthModel s{"segformer-fixture", "IS", "fixture:segformer_b0", 0, 3700000, "SegformerLayer", 2};
    const std::vector<int64_t> x{B, 4096, 32};
    s.prologue = {gemm("aten::conv2d", 300, {{B, 3, 512, 512}, {32, 3, 7, 7}}), op("aten::layer_norm", 110, {x})};
    s.layer = {op("aten::layer_norm", 110, {x}), gemm("aten::linear", 180, {x, {32, 32}}),
               op("aten::softmax", 150, {{B, 1, 4096, 256}}), gemm("aten::linear", 200, {{B, 4096, 128}, {128, 32}}),
               scope("SegformerDWConv", {gemm("aten::conv2d", 260, {{B, 128, 64, 64}, {128, 1, 3, 3}})}, {{B, 4096, 128}}),
               op("aten::gelu", 130, {{B, 4096, 128}}), op("aten::add", 40, {x, x})};
    s.epilogue = {op("aten::upsample_bilinear2d", 420, {{B, 256, 64, 64}}), op("aten::cat", 120, {{B, 256, 128, 128}}),
                  gemm("aten::conv2d", 500, {{B, 1024, 128, 128}, {256, 1024, 1, 1}})};
    m.push_back(s);
  }
  {  // GPT-2: the GELU module (a scope rule) is the top non-GEMM group.
    SynthModel g{"gpt2-fixture", "NLP", "fixture:gpt2", 32, 124000000, "GPT2Block", 3};
    const std::vector<int64_t> x{B, 32, 768};
    g.prologue = {op("aten::embedding", 40, {{50257, 768}, {B, 32}}), op("aten::embedding", 20, {{1024, 768}, {1, 32}}),
                  op("aten::add", 15, {x, {1, 32, 768}})};
    g.layer = {op("aten::layer_norm", 35, {x}), gemm("aten::addmm", 300, {{2304}, {B * 32, 768}, {768, 2304}}),
               op("aten::split", 10, {{B, 32, 2304}}), op("aten::view", 6, {x}), op("aten::permute", 8, {{B, 32, 12, 64}}),
               gemm("aten::matmul", 60, {{B, 12, 32, 64}, {B, 12, 64, 32}}), op("aten::div", 25, {{B, 12, 32, 32}}),
               op("aten::where", 30, {{1, 1, 32, 32}, {B, 12, 32, 32}}), op("aten::softmax", 45, {{B, 12, 32, 32}}),
               gemm("aten::matmul", 55, {{B, 12, 32, 32}, {B, 12, 32, 64}}), op("aten::permute", 8, {{B, 12, 32, 64}}),
               op("aten::contiguous", 30, {{B, 32, 12, 64}}), gemm("aten::addmm", 110, {{768}, {B * 32, 768}, {768, 768}}),
               op("aten::add", 18, {x, x}), op("aten::layer_norm", 35, {x}),
               gemm("aten::addmm", 420, {{3072}, {B * 32, 768}, {768, 3072}}),
               scope("NewGELUActivation",
                     {op("aten::mul", 40, {{B, 32, 3072}}), op("aten::pow", 60, {{B, 32, 3072}}),
                      op("aten::add", 40, {{B, 32, 3072}}), op("aten::tanh", 70, {{B, 32, 3072}}),
                      op("aten::mul", 45, {{B, 32, 3072}})},
                     {{B, 32, 3072}}),
               gemm("aten::addmm", 410, {{768}, {B * 32, 3072}, {3072, 768}}), op("aten::add", 18, {x, x})};
    g.epilogue = {op("aten::layer_norm", 35, {x}), gemm("aten::linear", 900, {x, {50257, 768}})};
    m.push_back(g);
  }
  {  // BERT: layer norms after every sub-layer.
    SynthModel b{"bert-fixture", "NLP", "fixture:bert-base-uncased", 32, 110000000, "BertLayer", 3};
    const std::vector<int64_t> x{B, 32, 768};
    b.prologue = {op("aten::embedding", 35, {{30522, 768}, {B, 32}}), op("aten::embedding", 15, {{2, 768}, {B, 32}}),
                  op("aten::embedding", 15, {{512, 768}, {1, 32}}), op("aten::add", 20, {x, x}),
                  op("aten::layer_norm", 40, {x})};
    b.layer = {gemm("aten::linear", 110, {x, {768, 768}}), gemm("aten::linear", 110, {x, {768, 768}}),
               gemm("aten::linear", 110, {x, {768, 768}}), op("aten::view", 6, {x}), op("aten::permute", 8, {{B, 32, 12, 64}}),
               op("aten::scaled_dot_product_attention", 90, {{B, 12, 32, 64}, {B, 12, 32, 64}, {B, 12, 32, 64}}),
               op("aten::reshape", 25, {{B, 32, 12, 64}}), gemm("aten::linear", 110, {x, {768, 768}}),
               op("aten::add", 18, {x, x}), op("aten::layer_norm", 60, {x}),
               gemm("aten::linear", 420, {x, {3072, 768}}), op("aten::gelu", 80, {{B, 32, 3072}}),
               gemm("aten::linear", 410, {{B, 32, 3072}, {768, 3072}}), op("aten::add", 18, {x, x}),
               op("aten::layer_norm", 60, {x})};
    b.epilogue = {op("aten::select", 4, {x}), gemm("aten::linear", 20, {{B, 768}, {768, 768}}), op("aten::tanh", 5, {{B, 768}})};
    m.push_back(b);
  }
  {  // Llama: 32 decoder layers, RMSNorm modules and SiLU; profiled with --layers 1 (depth-scaled).
    SynthModel l{"llama-fixture", "NLP", "fixture:llama2-7b", 32, 6700000000, "LlamaDecoderLayer", 32};
    const std::vector<int64_t> x{B, 32, 4096};
    const auto rms_norm = [&] {
      return scope("LlamaRMSNorm",
                   {op("aten::pow", 30, {x}), op("aten::mean", 25, {x}), op("aten::add", 8, {{B, 32, 1}}),
                    op("aten::rsqrt", 8, {{B, 32, 1}}), op("aten::mul", 30, {x, {B, 32, 1}}), op("aten::mul", 30, {{4096}, x})},
                   {x});
    };
    l.prologue = {op("aten::embedding", 60, {{32000, 4096}, {B, 32}})};
    l.layer = {rms_norm(), gemm("aten::linear", 900, {x, {4096, 4096}}), gemm("aten::linear", 900, {x, {4096, 4096}}),
               gemm("aten::linear", 900, {x, {4096, 4096}}), op("aten::mul", 20, {{B, 32, 32, 128}, {1, 32, 1, 128}}),
               op("aten::cat", 25, {{B, 32, 32, 64}, {B, 32, 32, 64}}), op("aten::neg", 10, {{B, 32, 32, 64}}),
               op("aten::scaled_dot_product_attention", 300, {{B, 32, 32, 128}, {B, 32, 32, 128}, {B, 32, 32, 128}}),
               gemm("aten::linear", 900, {x, {4096, 4096}}), op("aten::add", 20, {x, x}), rms_norm(),
               gemm("aten::linear", 2400, {x, {11008, 4096}}), op("aten::silu", 90, {{B, 32, 11008}}),
               gemm("aten::linear", 2400, {x, {11008, 4096}}), op("aten::mul", 60, {{B, 32, 11008}, {B, 32, 11008}}),
               gemm("aten::linear", 2400, {{B, 32, 11008}, {4096, 11008}}), op("aten::add", 20, {x, x})};
    l.epilogue = {rms_norm(), gemm("aten::linear", 7000, {x, {32000, 4096}})};
    m.push_back(l);
  }
  return m;
}

// Seeded standard normal from mt19937_64 (specified by the standard, unlike
// std::normal_distribution), so fixtures are the same with every library.
class Noise {
 public:
  explicit Noise(uint64_t seed) : rng_(seed) {}
  double normal() {
    const double u1 = (static_cast<double>(rng_() >> 11) + 0.5) / 9007199254740992.0;
    const double u2 = (static_cast<double>(rng_() >> 11) + 0.5) / 9007199254740992.0;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double factor(double sd) { return std::max(0.2, 1.0 + sd * normal()); }

 private:
  std::mt19937_64 rng_;
};

struct Emitter {
  const taxonomy::Taxonomy& tax;
  const SynthOptions& opt;
  Noise& noise;
  double iteration_factor = 1;
  int64_t t = 0;  // ns
  ProfiledTrace trace;

  std::vector<ArgInfo> args(const SynthOp& o) const {
    std::vector<ArgInfo> out;
    for (auto shape : o.inputs) {
      for (auto& d : shape) d = d == B ? opt.batch : (d < 0 ? -d * opt.batch : d);
      out.push_back({ArgInfo::Kind::kTensor, shape, "float32"});
    }
    return out;
  }
  double scale_of(const SynthOp& o) const {
    std::optional<size_t> g = o.kind == RecordKind::kScope ? tax.scope_group(o.name) : tax.op_group(o.name);
    if (!g) return 1.0;
    const auto it = opt.group_scale.find(tax.groups()[*g].name);
    return it == opt.group_scale.end() ? 1.0 : it->second;
  }
  // Emits `o` and its children; `scale` is the enclosing unit's group scale (0: not inside one).
  void emit(const SynthOp& o, int32_t parent, int32_t depth, double scale) {
    const bool unit = scale == 0 && (o.kind == RecordKind::kOp || tax.scope_group(o.name));
    const double s = unit ? scale_of(o) : scale;
    const auto index = static_cast<int32_t>(trace.records.size());
    trace.records.push_back({o.name, o.kind, t, t, parent, depth, 0, args(o)});
    t += 500;  // dispatch overhead
    if (o.children.empty()) {
      const double us = o.us * std::pow(static_cast<double>(opt.batch), o.batch_exponent) * (s == 0 ? 1 : s) *
                        iteration_factor * noise.factor(opt.noise);
      t += static_cast<int64_t>(us * 1000);
    }
    for (const auto& c : o.children) emit(c, index, depth + 1, s);
    trace.records[static_cast<size_t>(index)].end_ns = t;
    t += 1000;  // gap to the next op
  }
};

}  // namespace

const std::vector<SynthModel>& synth_models() {
  static const std::vector<SynthModel> models = build_models();
  return models;
}

const SynthModel& synth_model(const std::string& name) {
  for (const auto& m : synth_models()) {
    if (m.name == name) return m;
  }
  throw Error("no synthetic model " + name);
}

static void fill_run_info(RunResult& r, const SynthModel& model, int64_t batch, const std::string& flow) {
  r.config.model = model.name;
  r.config.flow = flow;
  r.config.batch = batch;
  r.config.seq_len = model.seq_len;
  r.config.threads = 0;  // as asked: one per logical CPU; context.threads says 2 were in effect
  r.context.machine = {"fixture-host", "Synthetic CPU @ 3.0GHz", 2, int64_t{24} << 30, "Linux 6.1.0"};
  r.context.threads = 2;
  r.context.interop_threads = 1;
  r.context.ngbench_version = "0.1.0";
  r.context.git_commit = "fixture";
  r.context.build_type = "Release";
  r.context.compiler = "GNU 12.2.0";
  r.context.runtime = {"libtorch", "2.11.0"};
  r.context.libtorch_version = "2.11.0";
  r.context.taxonomy = "eager@1.0.0";
  r.context.timestamp = "2026-01-01T00:00:00Z";
  r.context.command_line = "make_report_fixtures (synthetic)";
  r.model_info = {model.task, model.reference, model.parameters};
}

namespace {

// The profiled phase: `iterations` iterations of the model (noise 0: nominal).
ProfiledTrace emit_iterations(const SynthModel& model, const SynthOptions& options, Noise& noise,
                              const taxonomy::Taxonomy& tax, int iterations) {
  Emitter e{tax, options, noise};
  for (int k = 0; k < iterations; ++k) {
    e.iteration_factor = noise.factor(options.noise / 3);
    const int64_t start = e.t;
    for (const auto& o : model.prologue) e.emit(o, -1, 0, 0);
    for (int l = 0; l < (options.layers > 0 ? options.layers : model.layers); ++l) {
      int32_t parent = -1;
      if (!model.block_scope.empty()) {
        parent = static_cast<int32_t>(e.trace.records.size());
        e.trace.records.push_back({model.block_scope, RecordKind::kScope, e.t, e.t, -1, 0, 0, {}});
      }
      for (const auto& o : model.layer) e.emit(o, parent, parent < 0 ? 0 : 1, 0);
      if (parent >= 0) e.trace.records[static_cast<size_t>(parent)].end_ns = e.t;
    }
    for (const auto& o : model.epilogue) e.emit(o, -1, 0, 0);
    e.trace.iterations.push_back({start, e.t});
    e.t += 200000;
  }
  return std::move(e.trace);
}

}  // namespace

RunResult synth_result(const SynthModel& model, const SynthOptions& options) {
  const auto tax = taxonomy::Taxonomy::builtin("eager");
  Noise noise(options.seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(options.batch));
  const ProfiledTrace trace = emit_iterations(model, options, noise, tax, options.profile_iters);
  SynthOptions exact = options;
  exact.noise = 0;
  const ProfiledTrace nominal = emit_iterations(model, exact, noise, tax, 1);
  const auto& it = nominal.iterations.front();
  const double nominal_ms = static_cast<double>(it.end_ns - it.start_ns) / 1e6;
  RunResult r;
  fill_run_info(r, model, options.batch, options.flow);
  r.config.iters = options.iters;
  r.config.profile_iters = options.profile_iters;
  // options.seed draws the synthetic noise; the configuration's own seed (of weights and inputs) stays 0, so
  // that the fixtures keep the short names of default settings (core/result_name.h).
  r.config.layers = options.layers;
  // Depth scaling as the runner does it (runner.cc fill_result): layer ops x L / N.
  attribution::AttributionOptions depth;
  if (options.layers > 0 && options.layers < model.layers) {
    depth.layer_scope = model.block_scope;
    depth.layer_factor = static_cast<double>(model.layers) / options.layers;
  }
  r.breakdown = attribution::attribute(trace, tax, depth);
  std::vector<double> latency;
  const double base = nominal_ms * 0.97;  // the observer's overhead is gone in the timed phase
  for (int i = 0; i < options.iters; ++i) latency.push_back(base * noise.factor(options.noise / 2));
  r.latency_ms = summarize(latency);
  r.overhead = r.latency_ms.median > 0 ? r.breakdown.profiled_ms.median / r.latency_ms.median : 0;
  if (!depth.layer_scope.empty()) {
    Extrapolation& x = r.extrapolation;
    x.applied = true;
    x.layers_built = options.layers;
    x.layers_total = model.layers;
    x.factor = depth.layer_factor;
    x.layer_scope = depth.layer_scope;
    x.latency_ms = r.latency_ms.median * r.breakdown.depth_scale;
  }
  r.stability = judge_stability(r, options.other_load_cpus, 2, 4);  // as the runner judges (runner.cc)
  return r;
}

RunResult synth_failed(const SynthModel& model, int64_t batch, const std::string& error) {
  RunResult r;
  fill_run_info(r, model, batch, "eager");
  r.status = "failed";
  r.error = error;
  return r;
}

}  // namespace ngbench::report::testing
