// The ort flow. Map of the lifecycle (backends/backend.h):
//  prepare: load the model's structure (onnx_model.h), bind its inputs
//    (ort_config.h, ort_inputs.h), open the timed session (profiling off);
//  run: one Session::Run of the timed session, or of the profiled one
//    between begin_profiling and end_profiling;
//  begin_profiling: a second session, SessionOptions profiling on and the
//    optimized graph saved; paused, runs go to the timed session again;
//  end_profiling: the profile is parsed keeping only the marked runs
//    (ort_profile.h); the optimized graph says what every fused node took in
//    (fusion.h): that goes into the node's scope name, and a Conv that carries
//    a fused activation or sum (NCHWc) is named "Conv+<what>" so that it is
//    never classified as a plain GEMM. The fusion analysis is kept for fusion().
#include "backends/ort/ort_backend.h"

#include <onnxruntime_cxx_api.h>
#include <onnxruntime_session_options_config_keys.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>

#include "backends/export_tool.h"
#include "backends/ort/fusion.h"
#include "backends/ort/onnx_model.h"
#include "backends/ort/ort_config.h"
#include "backends/ort/ort_inputs.h"
#include "backends/ort/ort_profile.h"
#include "core/context.h"
#include "core/error.h"
#include "models/registry.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::backends {

namespace {

namespace fs = std::filesystem;

constexpr const char* kExportFormat = "onnx";

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

// A session with the names of its outputs.
struct Session {
  Session(const std::string& path, const Ort::SessionOptions& options)
      : session(ort_env(), path.c_str(), options) {
    Ort::AllocatorWithDefaultOptions alloc;
    for (size_t i = 0; i < session.GetOutputCount(); ++i) {
      names.push_back(session.GetOutputNameAllocated(i, alloc).get());
    }
    for (const auto& n : names) outputs.push_back(n.c_str());
  }
  void run(const onnx::OrtInputs& in) {
    session.Run(Ort::RunOptions{nullptr}, in.name_ptrs.data(), in.values.data(), in.values.size(), outputs.data(),
                outputs.size());
  }
  Ort::Session session;
  std::vector<std::string> names;
  std::vector<const char*> outputs;
};

// Ort::Exception becomes ngbench::Error, so that a failed run says "onnxruntime: ...".
template <class F>
auto ort_call(F&& f) {
  try {
    return f();
  } catch (const Ort::Exception& e) {
    throw Error(std::string("onnxruntime: ") + e.what());
  }
}

std::optional<onnx::RegistryInfo> registry_info(const RunConfig& c) {
  if (!c.model_file.empty()) return std::nullopt;
  const models::ModelEntry& m = models::find_model(c.model);
  std::error_code ec;
  bool exportable = false;
  if (!fs::is_regular_file(onnx::onnx_path(c), ec)) {  // only then is the export tool asked
    const auto& models = exportable_models(kExportFormat);
    exportable = std::find(models.begin(), models.end(), c.model) != models.end();
  }
  return onnx::RegistryInfo{m.takes_seq_len ? m.default_seq_len : 0, m.max_seq_len, exportable};
}

class OrtBackend : public Backend {
 public:
  RunConfig validate(const RunConfig& config) const override {
    return onnx::validate_config(config, registry_info(config));
  }

  int64_t estimate_bytes(const RunConfig& c) const override {
    // A session holds the weights and prepacked copies of the GEMM weights; add
    // the built-in model's activations when the file is one of its exports.
    // (A second session is kept open only where it fits: see prepare().)
    const int64_t weights = onnx::model_bytes_on_disk(onnx::onnx_path(c));
    if (!c.model_file.empty()) return 2 * weights;
    const models::ModelEntry& m = models::find_model(c.model);
    return 2 * weights + m.estimate_bytes(c.batch, c.seq_len, m.layers);
  }

  ModelSummary describe_model(const RunConfig& c) const override {
    if (c.model_file.empty()) return Backend::describe_model(c);
    return ModelSummary{"custom", "onnx:" + c.model_file, onnx::load_model(c.model_file).parameter_count()};
  }

  std::string exported_model_path(const RunConfig& c) const override { return onnx::onnx_path(c); }

  void prepare(const RunConfig& config, const taxonomy::Taxonomy& taxonomy) override {
    config_ = config;
    taxonomy_ = std::make_unique<taxonomy::Taxonomy>(taxonomy);
    path_ = onnx::onnx_path(config);
    if (config.model_file.empty()) {
      // A built-in model's export, made on first use (its batch and sequence dimensions stay dynamic).
      export_on_first_use({kExportFormat, config.model, path_, std::max<int64_t>(2, config.batch), config.seq_len});
    }
    model_ = onnx::load_model(path_);
    const auto bindings = onnx::bind_inputs(model_, config.batch, config.seq_len, onnx::shapes(config), path_);
    // 0 threads: one per logical CPU, as for libtorch (ORT's own default would be the physical cores).
    threads_ =
        config.threads > 0 ? config.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    ort_call([&] {
      inputs_ = onnx::make_ort_inputs(bindings, config.seed);
      timed_ = std::make_unique<Session>(path_, session_options());
      return 0;
    });
    // Interleaving keeps the timed session open beside the profiled one: only where both fit twice over.
    const int64_t available = available_memory_bytes();
    interleave_ = available <= 0 || 2 * estimate_bytes(config) < available / 2;
  }

  RuntimeInfo runtime() const override {
    // Sequential execution: nodes run one after another on the calling thread.
    return {{"onnxruntime", Ort::GetVersionString()}, threads_, 1};
  }

  std::optional<double> run() override {
    ort_call([&] {
      if (profiled_ && !paused_) {
        profiled_->run(inputs_);
        ++profiled_runs_;
      } else {
        if (!timed_) timed_ = std::make_unique<Session>(path_, session_options());
        timed_->run(inputs_);
      }
      return 0;
    });
    return std::nullopt;
  }

  // Paused, runs go to the timed session, which stays open meanwhile
  // (estimate_bytes counts the weights of both sessions).
  bool can_pause_profiling() const override { return interleave_; }
  void pause_profiling() override { paused_ = true; }
  void resume_profiling() override { paused_ = false; }

  void begin_profiling(const ProfileOptions& options) override {
    record_shapes_ = options.record_shapes;
    paused_ = false;
    if (!interleave_) timed_.reset();  // the weights held once
    scratch_ = std::make_unique<ScratchDir>();
    const bool keep = backend_flag(config_.backend_options, onnx::kOptKeepFiles);
    if (keep) fs::create_directories(fs::path(onnx::kept_files_prefix(config_)).parent_path());
    optimized_ = keep ? fs::path(onnx::kept_files_prefix(config_) + ".optimized.onnx")
                      : scratch_->path() / "optimized.onnx";
    const std::string data_file = optimized_.filename().string() + ".data";
    ort_call([&] {
      Ort::SessionOptions o = session_options();
      o.EnableProfiling((scratch_->path() / "profile").c_str());
      o.SetOptimizedModelFilePath(optimized_.c_str());
      // Weights go to a side file, so the graph itself stays small to read back.
      o.AddConfigEntry(kOrtSessionOptionsOptimizedModelExternalInitializersFileName, data_file.c_str());
      o.AddConfigEntry(kOrtSessionOptionsOptimizedModelExternalInitializersMinSizeInBytes, "1024");
      profiled_ = std::make_unique<Session>(path_, o);
      return 0;
    });
    profiled_runs_ = 0;
    marked_runs_ = 0;
  }

  // ORT's profile cannot be marked: the parser keeps the last marked_runs_
  // model_run events, which the lifecycle guarantees are the marked ones.
  void begin_iteration() override { ++marked_runs_; }
  void end_iteration() override {}

  ProfiledTrace end_profiling() override {
    const std::string profile_path = ort_call([&] {
      Ort::AllocatorWithDefaultOptions alloc;
      return std::string(profiled_->session.EndProfilingAllocated(alloc).get());
    });
    profiled_.reset();
    timed_.reset();
    ort::ProfileOptions po;
    po.profiled_runs = marked_runs_;
    po.expected_runs = profiled_runs_;
    po.record_shapes = record_shapes_;
    ort::Profile profile = ort::load_profile(profile_path, po);
    if (profile.node_events == 0) throw Error(profile_path + ": the ORT profile has no node events");

    const onnx::Model optimized = onnx::load_model(optimized_.string());
    onnx::FusionAnalysis analysis = onnx::analyze_fusion(model_, optimized, *taxonomy_);
    label_records(profile.trace, optimized, analysis);
    fusion_ = analysis;  // the counts (FusionSummary), without the per-node list

    if (backend_flag(config_.backend_options, onnx::kOptKeepFiles)) {
      const fs::path kept = onnx::kept_files_prefix(config_) + ".ort-profile.json";
      fs::copy_file(profile_path, kept, fs::copy_options::overwrite_existing);
    }
    std::error_code ec;
    fs::remove(profile_path, ec);
    scratch_.reset();
    return std::move(profile.trace);
  }

  FusionSummary fusion() const override { return fusion_; }

 private:
  Ort::SessionOptions session_options() const {
    Ort::SessionOptions o;
    o.SetIntraOpNumThreads(threads_);
    o.SetInterOpNumThreads(1);
    o.SetExecutionMode(ORT_SEQUENTIAL);
    o.SetGraphOptimizationLevel(opt_level(onnx::graph_opt(config_)));
    return o;
  }

  RunConfig config_;
  std::unique_ptr<taxonomy::Taxonomy> taxonomy_;
  std::string path_;
  onnx::Model model_;
  int threads_ = 1;
  onnx::OrtInputs inputs_;
  std::unique_ptr<Session> timed_, profiled_;
  std::unique_ptr<ScratchDir> scratch_;
  fs::path optimized_;
  bool record_shapes_ = true;
  bool paused_ = false;
  bool interleave_ = false;
  int profiled_runs_ = 0, marked_runs_ = 0;
  FusionSummary fusion_;
};

}  // namespace

BackendEntry ort_backend_entry() {
  using Kind = BackendOption::Kind;
  BackendEntry e;
  e.flow = "ort";
  e.device = "cpu";
  e.description = "ONNX Runtime, CPU execution provider (ONNX models: --onnx FILE or ngbench export)";
  e.taxonomy = "ort";
  e.options = {
      {onnx::kOptOnnx, "FILE", "profile this ONNX model (implies --flow ort; excludes --model)", Kind::kModelFile},
      {onnx::kOptShape, "NAME=D1xD2...", "shape of an input with dynamic dimensions (repeatable); others are "
       "bound from --batch and --seq-len", Kind::kList},
      {onnx::kOptGraphOpt, "LEVEL", "graph optimizations: disabled, basic, extended or all (default: all)",
       Kind::kValue},
      {onnx::kOptKeepFiles, "", "keep ORT's profile and optimized graph beside the results", Kind::kFlag},
  };
  e.export_format = kExportFormat;
  e.unfused = {{onnx::kOptGraphOpt, {"disabled"}}};
  e.create = [] { return std::make_unique<OrtBackend>(); };
  return e;
}

}  // namespace ngbench::backends
