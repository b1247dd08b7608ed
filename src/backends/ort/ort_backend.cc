// The ort flow. Map of measure():
//  1. load the model's structure (onnx_model.h) and bind its inputs (ort_config.h);
//  2. timed session (profiling off): warm-up, then one wall-clock sample per Run;
//  3. profiled session (a second session, SessionOptions profiling on, the
//     optimized graph saved): its own warm-up, then the profiled runs; the
//     profile is parsed keeping only the profiled runs (ort_profile.h);
//  4. the optimized graph names what every fused node took in (fusion.h); that
//     goes into the node's scope name, and a Conv that carries a fused
//     activation or sum (NCHWc) is named "Conv+<what>" so that it is never
//     classified as a plain GEMM.
#include "backends/ort/ort_backend.h"

#include <onnxruntime_cxx_api.h>
#include <onnxruntime_session_options_config_keys.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>

#include "backends/ort/fusion.h"
#include "backends/ort/onnx_model.h"
#include "backends/ort/ort_config.h"
#include "backends/ort/ort_profile.h"
#include "core/allocator.h"
#include "core/error.h"
#include "models/registry.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::backends {

namespace {

namespace fs = std::filesystem;

Ort::Env& ort_env() {
  // One environment per process; errors only (the optimized-graph warning is expected).
  static Ort::Env env(ORT_LOGGING_LEVEL_ERROR, "ngbench");
  return env;
}

GraphOptimizationLevel opt_level(const std::string& name) {
  if (name == "disabled") return ORT_DISABLE_ALL;
  if (name == "basic") return ORT_ENABLE_BASIC;
  if (name == "extended") return ORT_ENABLE_EXTENDED;
  if (name == "all") return ORT_ENABLE_ALL;
  throw Error("unknown graph optimization level '" + name + "'");
}

uint16_t to_half(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000;
  int32_t exp = static_cast<int32_t>((x >> 23) & 0xff) - 127 + 15;
  uint32_t mant = x & 0x7fffff;
  if (exp <= 0) return static_cast<uint16_t>(sign);            // flush tiny values to zero
  if (exp >= 31) return static_cast<uint16_t>(sign | 0x7c00);  // overflow to infinity
  return static_cast<uint16_t>(sign | (static_cast<uint32_t>(exp) << 10) | (mant >> 13));
}

size_t elem_size(int32_t t) {
  switch (t) {
    case onnx::kFloat: case onnx::kInt32: case onnx::kUint32: return 4;
    case onnx::kInt64: case onnx::kUint64: case onnx::kDouble: return 8;
    case onnx::kFloat16: case onnx::kBfloat16: case onnx::kInt16: case onnx::kUint16: return 2;
    default: return 1;
  }
}

template <typename T>
void put(std::vector<uint8_t>& buf, size_t i, T v) {
  std::memcpy(buf.data() + i * sizeof(T), &v, sizeof(T));
}

void put_value(std::vector<uint8_t>& buf, size_t i, int32_t type, double v) {
  switch (type) {
    case onnx::kFloat: put(buf, i, static_cast<float>(v)); break;
    case onnx::kDouble: put(buf, i, v); break;
    case onnx::kFloat16: put(buf, i, to_half(static_cast<float>(v))); break;
    case onnx::kBfloat16: {
      const float f = static_cast<float>(v);
      uint32_t x;
      std::memcpy(&x, &f, 4);
      put(buf, i, static_cast<uint16_t>(x >> 16));
      break;
    }
    case onnx::kInt64: put(buf, i, static_cast<int64_t>(v)); break;
    case onnx::kUint64: put(buf, i, static_cast<uint64_t>(v)); break;
    case onnx::kInt32: put(buf, i, static_cast<int32_t>(v)); break;
    case onnx::kUint32: put(buf, i, static_cast<uint32_t>(v)); break;
    case onnx::kInt16: put(buf, i, static_cast<int16_t>(v)); break;
    case onnx::kUint16: put(buf, i, static_cast<uint16_t>(v)); break;
    case onnx::kInt8: put(buf, i, static_cast<int8_t>(v)); break;
    default: put(buf, i, static_cast<uint8_t>(v)); break;  // uint8, bool
  }
}

// Input tensors with their own storage; the Ort::Values point into it.
struct Inputs {
  std::vector<std::vector<uint8_t>> data;
  std::vector<Ort::Value> values;
  std::vector<std::string> names;
  std::vector<const char*> name_ptrs;
};

Inputs make_inputs(const std::vector<onnx::InputBinding>& bindings, uint64_t seed) {
  Inputs in;
  std::mt19937_64 rng(seed);
  const Ort::MemoryInfo mem = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
  in.data.reserve(bindings.size());
  for (const auto& b : bindings) {
    size_t count = 1;
    for (int64_t d : b.shape) count *= static_cast<size_t>(d);
    std::vector<uint8_t> buf(count * elem_size(b.elem_type));
    const size_t last = b.shape.empty() ? 1 : static_cast<size_t>(b.shape.back());
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_int_distribution<int64_t> token(0, std::max<int64_t>(b.vocab, 1) - 1);
    for (size_t i = 0; i < count; ++i) {
      double v = 0;
      switch (b.fill) {
        case onnx::Fill::kTokens: v = static_cast<double>(token(rng)); break;
        case onnx::Fill::kOnes: v = 1; break;
        case onnx::Fill::kZeros: v = 0; break;
        case onnx::Fill::kPositions: v = static_cast<double>(i % last); break;
        case onnx::Fill::kRandom: v = normal(rng); break;
      }
      put_value(buf, i, b.elem_type, v);
    }
    in.data.push_back(std::move(buf));
    auto& stored = in.data.back();
    in.values.push_back(Ort::Value::CreateTensor(mem, stored.data(), stored.size(), b.shape.data(), b.shape.size(),
                                                 static_cast<ONNXTensorElementDataType>(b.elem_type)));
    in.names.push_back(b.name);
  }
  for (const auto& n : in.names) in.name_ptrs.push_back(n.c_str());
  return in;
}

std::vector<std::string> output_names(const Ort::Session& s) {
  Ort::AllocatorWithDefaultOptions alloc;
  std::vector<std::string> out;
  for (size_t i = 0; i < s.GetOutputCount(); ++i) out.push_back(s.GetOutputNameAllocated(i, alloc).get());
  return out;
}

void run_once(Ort::Session& s, const Inputs& in, const std::vector<const char*>& outs) {
  s.Run(Ort::RunOptions{nullptr}, in.name_ptrs.data(), in.values.data(), in.values.size(), outs.data(), outs.size());
}

double elapsed_ms(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// A private temporary directory, removed with its contents.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("ngbench-ort-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Names the records after the optimized graph: scopes get what a fused node took
// in, NCHWc Convs with a fused sum or activation become "Conv+Add+Relu" etc.
void label_records(ProfiledTrace& trace, const onnx::Model& optimized, const onnx::FusionAnalysis& fusion) {
  std::unordered_map<std::string, const onnx::Node*> nodes;
  for (const auto& n : optimized.nodes) nodes[n.name] = &n;
  std::unordered_map<std::string, const onnx::FusedNode*> fused;
  for (const auto& f : fusion.fused) fused[f.name] = &f;
  for (auto& r : trace.records) {
    if (r.kind != RecordKind::kOp || r.parent < 0) continue;
    OpRecord& scope = trace.records[static_cast<size_t>(r.parent)];
    const std::string node = scope.name;
    const auto f = fused.find(node);
    if (f != fused.end()) scope.name = node + " {" + f->second->pattern() + "}";
    const auto n = nodes.find(node);
    if (n == nodes.end() || n->second->domain != "com.microsoft.nchwc" || r.name != "Conv") continue;
    const onnx::Node& conv = *n->second;
    if (conv.inputs.size() >= 4 && !conv.inputs[3].empty()) r.name += "+Add";
    const auto act = conv.attributes.find("activation");
    if (act != conv.attributes.end() && !act->second.empty()) r.name += "+" + act->second;
  }
}

class OrtBackend : public Backend {
 public:
  Measurement measure(const RunConfig& config) override {
    try {
      return measure_impl(config);
    } catch (const Ort::Exception& e) {
      throw Error(std::string("onnxruntime: ") + e.what());
    }
  }

 private:
  Measurement measure_impl(const RunConfig& config) {
    Measurement m;
    m.runtime_version = ort_runtime_version();
    const std::string path = onnx::onnx_path(config);
    const onnx::Model model = onnx::load_model(path);
    const auto bindings = onnx::bind_inputs(model, config.batch, config.seq_len, config.shapes, path);
    // 0 threads: one per logical CPU, as for libtorch (ORT's own default would be the physical cores).
    const int threads =
        config.threads > 0 ? config.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    m.threads = threads;
    m.interop_threads = 1;  // sequential execution: nodes run one after another on the calling thread

    auto options = [&] {
      Ort::SessionOptions o;
      o.SetIntraOpNumThreads(threads);
      o.SetInterOpNumThreads(1);
      o.SetExecutionMode(ORT_SEQUENTIAL);
      o.SetGraphOptimizationLevel(opt_level(config.graph_opt));
      return o;
    };
    const Inputs inputs = make_inputs(bindings, config.seed);

    {  // Timed phase: its own session, profiling off.
      Ort::Session session(ort_env(), path.c_str(), options());
      const auto names = output_names(session);
      std::vector<const char*> outs;
      for (const auto& n : names) outs.push_back(n.c_str());
      for (int i = 0; i < config.warmup; ++i) run_once(session, inputs, outs);
      const int64_t faults = minor_page_faults();
      for (int i = 0; i < config.iters; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        run_once(session, inputs, outs);
        m.timed_ms.push_back(elapsed_ms(t0));
      }
      m.page_faults_per_iter = static_cast<double>(minor_page_faults() - faults) / config.iters;
    }

    // Profiled phase: a second session with ORT's profiler on. Its profile holds
    // everything from the session's creation on: warm-up runs are dropped by
    // keeping only the last profile_iters model_run events (ort_profile.h).
    ScratchDir scratch;
    fs::path optimized = scratch.path() / "optimized.onnx";
    if (config.keep_ort_files) {
      optimized = onnx::kept_files_prefix(config) + ".optimized.onnx";
    }
    const std::string data_file = optimized.filename().string() + ".data";
    std::string profile_path;
    int runs = 0;
    {
      Ort::SessionOptions o = options();
      o.EnableProfiling((scratch.path() / "profile").c_str());
      o.SetOptimizedModelFilePath(optimized.c_str());
      // Weights go to a side file, so the graph itself stays small to read back.
      o.AddConfigEntry(kOrtSessionOptionsOptimizedModelExternalInitializersFileName, data_file.c_str());
      o.AddConfigEntry(kOrtSessionOptionsOptimizedModelExternalInitializersMinSizeInBytes, "1024");
      Ort::Session session(ort_env(), path.c_str(), o);
      const auto names = output_names(session);
      std::vector<const char*> outs;
      for (const auto& n : names) outs.push_back(n.c_str());
      const int warm = std::max(1, config.warmup);
      for (int i = 0; i < warm; ++i) run_once(session, inputs, outs);
      for (int i = 0; i < config.profile_iters; ++i) run_once(session, inputs, outs);
      runs = warm + config.profile_iters;
      Ort::AllocatorWithDefaultOptions alloc;
      profile_path = session.EndProfilingAllocated(alloc).get();
    }
    ort::ProfileOptions po;
    po.profiled_runs = config.profile_iters;
    po.expected_runs = runs;
    po.record_shapes = config.record_shapes;
    ort::Profile profile = ort::load_profile(profile_path, po);
    if (profile.node_events == 0) throw Error(profile_path + ": the ORT profile has no node events");

    const onnx::Model opt_model = onnx::load_model(optimized.string());
    const auto taxonomy = config.taxonomy_file.empty() ? taxonomy::Taxonomy::builtin("ort")
                                                       : taxonomy::Taxonomy::load_file(config.taxonomy_file);
    label_records(profile.trace, opt_model, onnx::analyze_fusion(model, opt_model, taxonomy));
    m.trace = std::move(profile.trace);

    if (config.keep_ort_files) {
      const fs::path kept = onnx::kept_files_prefix(config) + ".ort-profile.json";
      fs::copy_file(profile_path, kept, fs::copy_options::overwrite_existing);
    }
    std::error_code ec;
    fs::remove(profile_path, ec);
    return m;
  }
};

}  // namespace

BackendEntry ort_backend_entry() {
  BackendEntry e;
  e.name = "ort";
  e.description = "ONNX Runtime, CPU execution provider (ONNX models: --onnx FILE or ngbench export)";
  e.devices = {"cpu"};
  e.taxonomy = "ort";
  e.create = [] { return std::make_unique<OrtBackend>(); };
  e.runs_files = true;
  e.validate = [](const RunConfig& c, const models::ModelEntry* registered) {
    // The file decides: its inputs' dynamic dimensions say whether it takes a sequence length.
    std::optional<onnx::RegistryInfo> info;
    if (registered) {
      info = onnx::RegistryInfo{registered->takes_seq_len ? registered->default_seq_len : 0, registered->max_seq_len};
    }
    return onnx::validate_config(c, info);
  };
  e.estimate_bytes = [](const RunConfig& c, const models::ModelEntry* registered) {
    // ORT holds the weights and prepacked copies of the GEMM weights; add the
    // built-in model's activations when the file is one of its exports.
    const int64_t weights = onnx::model_bytes_on_disk(onnx::onnx_path(c));
    if (registered == nullptr) return 2 * weights;
    return 2 * weights + registered->estimate_bytes(c.batch, c.seq_len, registered->layers);
  };
  e.describe_file = [](const RunConfig& c) {
    return ModelSummary{"custom", "onnx:" + c.onnx_file, onnx::load_model(c.onnx_file).parameter_count()};
  };
  return e;
}


std::string ort_runtime_version() { return "onnxruntime " + Ort::GetVersionString(); }

}  // namespace ngbench::backends
