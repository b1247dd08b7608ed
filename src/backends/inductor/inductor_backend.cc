// Flow inductor. Map of the lifecycle (backends/backend.h):
//  validate: the flow's options and the package (package_config.h): an existing
//    package's sidecar must fit the configuration and this machine; a missing one
//    must be one the export tool can compile (else: why not, in one line);
//  prepare: export on first use (backends/export_tool.h), the sidecar checked
//    again, the provenance read from the package and analyzed
//    (kernel_analysis.h), libtorch.so made loadable for the package's .so, the
//    package loaded (AOTIModelPackageLoader), inputs drawn from the sidecar;
//  run: one pass of the loaded package;
//  profiling (CPU): the operator observer, as for eager, pausable; the records
//    are labeled with the provenance (trace_labels.h) in end_profiling.
#include "backends/inductor/inductor_backend.h"

#include <ATen/Functions.h>
#include <ATen/Parallel.h>
#include <ATen/core/Generator.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>
#include <caffe2/serialize/inline_container.h>
#include <dlfcn.h>
#include <torch/csrc/inductor/aoti_package/model_package_loader.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "backends/export_tool.h"
#include "backends/inductor/inductor_runner.h"
#include "backends/inductor/provenance.h"
#include "backends/inductor/trace_labels.h"
#include "core/error.h"
#include "models/registry.h"
#include "observer/observer_session.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::backends {

namespace {

namespace fs = std::filesystem;
using inductor::kExportFormat;

std::string first_line(const std::string& s) {
  const auto nl = s.find('\n');
  return nl == std::string::npos ? s : s.substr(0, nl);
}

int64_t file_bytes(const std::string& path) {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  return ec ? -1 : static_cast<int64_t>(n);
}

// The package's generated .so links libtorch.so and libtorch_cpu.so without an
// RPATH. libtorch_cpu.so is loaded already (ngbench links it); libtorch.so is
// loaded here, from the same folder, so that the dynamic loader finds both by
// their SONAME when the package's .so is opened. No environment variable needed.
void make_libtorch_loadable() {
  static std::once_flag once;
  static std::string error;
  std::call_once(once, [] {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&at::get_num_threads), &info) == 0 || info.dli_fname == nullptr) {
      error = "cannot locate libtorch_cpu.so in this process";
      return;
    }
    const fs::path lib = fs::path(info.dli_fname).parent_path() / "libtorch.so";
    if (dlopen(lib.c_str(), RTLD_NOW | RTLD_GLOBAL) == nullptr) {
      const char* why = dlerror();
      error = "cannot load " + lib.string() + " (AOTInductor packages link it): " + (why ? why : "unknown error");
    }
  });
  if (!error.empty()) throw Error(error + "; run scripts/setup.sh (it makes the project's Python environment whole)");
}

// kernel_information.json from inside the package (a zip archive).
std::string read_provenance(const std::string& package) {
  try {
    caffe2::serialize::PyTorchStreamReader reader(package);
    if (!reader.hasRecord(inductor::kKernelInformation)) {
      throw Error(package + ": the package has no kernel provenance (kernel_information.json; compiled without "
                            "trace.provenance_tracking_level=1); export it again with ngbench export --format aoti");
    }
    auto [data, size] = reader.getRecord(inductor::kKernelInformation);
    return std::string(static_cast<const char*>(data.get()), size);
  } catch (const c10::Error& e) {
    throw Error(package + ": not a readable AOTInductor package (" + first_line(e.what_without_backtrace()) +
                "); delete it and export it again (ngbench export --format aoti)");
  }
}

// The "provenance" section of the run's rule file (the built-in one, or the user's --taxonomy file).
inductor::ProvenanceRules provenance_rules(const taxonomy::Taxonomy& t) {
  const std::string prefix = "built-in ";
  if (t.source().rfind(prefix, 0) == 0) {
    const auto& files = taxonomy::builtin_rule_files();
    const auto it = files.find(t.source().substr(prefix.size()));
    if (it != files.end()) return inductor::parse_provenance_rules(it->second, t.source());
    return {};
  }
  std::ifstream in(t.source());
  std::ostringstream text;
  text << in.rdbuf();
  return inductor::parse_provenance_rules(text.str(), t.source());
}

at::ScalarType scalar_type(const std::string& dtype, const std::string& source) {
  if (dtype == "float32") return at::kFloat;
  if (dtype == "bfloat16") return at::kBFloat16;
  if (dtype == "float16") return at::kHalf;
  if (dtype == "int64") return at::kLong;
  if (dtype == "int32") return at::kInt;
  if (dtype == "bool") return at::kBool;
  throw Error(source + ": input dtype '" + dtype + "' is not one flow inductor feeds; export the package again");
}

std::optional<inductor::RegistryInfo> registry_info(const RunConfig& c) {
  if (!c.model_file.empty()) return std::nullopt;
  const models::ModelEntry& m = models::find_model(c.model);
  inductor::RegistryInfo r;
  r.takes_seq_len = m.takes_seq_len;
  r.default_seq_len = m.default_seq_len;
  r.max_seq_len = m.max_seq_len;
  r.layers = m.layers;
  r.text = m.input_kind == models::InputKind::kTokenIds;
  r.default_attention = m.default_attention;
  return r;
}

// A built-in model without a package yet: one the export tool compiles, or why not.
void check_exportable(const RunConfig& c, const std::string& path) {
  const auto& models = exportable_models(kExportFormat);
  if (std::find(models.begin(), models.end(), c.model) != models.end()) return;
  const auto unsupported = unsupported_models(kExportFormat);
  const auto it = unsupported.find(c.model);
  if (it != unsupported.end()) throw Error("model " + c.model + " is not supported on flow inductor: " + it->second);
  if (models.empty()) {
    throw Error("no AOTInductor package for " + c.model + " at " + path + " and the export tool cannot run (its "
                "Python lacks torch?); run scripts/setup.sh, or set NGBENCH_PYTHON to a Python with torch");
  }
  throw Error("model " + c.model + " has no AOTInductor export (tools/export_aoti.py compiles: " +
              [&] {
                std::string s;
                for (const auto& m : models) s += (s.empty() ? "" : ", ") + m;
                return s;
              }() +
              ")");
}

class InductorCpuBackend : public InductorBackend {
 public:
  std::optional<double> run() override {
    forward();
    return std::nullopt;
  }

  void begin_profiling(const ProfileOptions& options) override { session_.begin(options.record_shapes); }
  void begin_iteration() override { session_.begin_iteration(); }
  void end_iteration() override { session_.end_iteration(); }
  bool can_pause_profiling() const override { return true; }
  void pause_profiling() override { session_.pause(); }
  void resume_profiling() override { session_.resume(); }
  ProfiledTrace end_profiling() override {
    // Collected while the package is loaded: the kernel ranges' names live in its .so.
    return label(session_.end());
  }


 private:
  observer::ObserverSession session_;
};

}  // namespace

InductorBackend::InductorBackend() : machine_(inductor::this_machine(NGBENCH_TORCH_VERSION)) {}

InductorBackend::~InductorBackend() = default;

RunConfig InductorBackend::validate(const RunConfig& config) const {
  RunConfig c = config;
  if (!c.model_file.empty()) {
    // --aoti FILE: the package's own settings, unless the run gives them.
    std::error_code ec;
    if (!fs::is_regular_file(c.model_file, ec)) throw Error("AOTInductor package '" + c.model_file + "' does not exist");
    const inductor::Sidecar s = inductor::load_sidecar(inductor::sidecar_path(c.model_file));
    if (c.seq_len == 0) c.seq_len = s.seq_len;
    if (c.backend_options.count(inductor::kOptFreezing) == 0) {
      c.backend_options[inductor::kOptFreezing] = {s.freezing ? "on" : "off"};
    }
    c = inductor::validate_config(c, std::nullopt);
    inductor::check_package(s, c, machine_, file_bytes(c.model_file));
    return c;
  }
  c = inductor::validate_config(c, registry_info(c));
  const std::string path = inductor::package_path(c, machine_);
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    inductor::check_package(inductor::load_sidecar(inductor::sidecar_path(path)), c, machine_, file_bytes(path));
  } else {
    check_exportable(c, path);
  }
  return c;
}

int64_t InductorBackend::estimate_bytes(const RunConfig& c) const {
  // The package's constants (weights) are held once, plus the built-in model's activations.
  const int64_t package = std::max<int64_t>(0, file_bytes(inductor::package_path(c, machine_)));
  if (!c.model_file.empty()) return 2 * package;
  const models::ModelEntry& m = models::find_model(c.model);
  const int64_t activations = m.estimate_bytes(c.batch, c.seq_len, c.layers > 0 ? c.layers : m.layers);
  return package + activations;
}

ModelSummary InductorBackend::describe_model(const RunConfig& c) const {
  if (c.model_file.empty()) return Backend::describe_model(c);
  const inductor::Sidecar s = inductor::load_sidecar(inductor::sidecar_path(c.model_file));
  return ModelSummary{"custom", "aoti:" + c.model_file + (s.reference.empty() ? "" : " (" + s.reference + ")"),
                      s.parameters};
}

std::string InductorBackend::exported_model_path(const RunConfig& c) const {
  return inductor::package_path(c.model_file.empty() ? inductor::validate_config(c, registry_info(c)) : c, machine_);
}

std::vector<std::string> InductorBackend::export_arguments(const RunConfig& c) const {
  return inductor::export_arguments(inductor::validate_config(c, registry_info(c)), machine_);
}

void InductorBackend::prepare(const RunConfig& config, const taxonomy::Taxonomy& taxonomy) {
  config_ = config;
  path_ = inductor::package_path(config, machine_);
  if (config.model_file.empty()) {
    export_on_first_use({kExportFormat, config.model, path_, config.batch, config.seq_len, export_arguments(config)});
  }
  sidecar_ = std::make_unique<inductor::Sidecar>(inductor::load_sidecar(inductor::sidecar_path(path_)));
  inductor::check_package(*sidecar_, config, machine_, file_bytes(path_));
  if (config.model_file.empty()) {
    // Depth scaling scales what lies in the registry's repeated layer (runner/runner.cc).
    const models::ModelEntry& m = models::find_model(config.model);
    sidecar_->layer_class = m.layer_scope;
    if (config.layers > 0 && config.layers < m.layers) layer_scope_ = m.layer_scope;
  }
  analysis_ = std::make_unique<inductor::KernelAnalysis>(
      *sidecar_, inductor::parse_kernel_information(read_provenance(path_), path_),
      taxonomy::Taxonomy::builtin("eager"), taxonomy, provenance_rules(taxonomy));

  threads_ = static_cast<int>(inductor::threads_in_effect(config, machine_));
  at::set_num_threads(threads_);  // extern calls (oneDNN, MKL) use libtorch's pool; generated kernels cpp.threads
  make_libtorch_loadable();
  try {
    loader_ = std::make_unique<torch::inductor::AOTIModelPackageLoader>(path_);
  } catch (const c10::Error& e) {
    throw Error(path_ + ": cannot load the AOTInductor package (" + first_line(e.what_without_backtrace()) +
                "); delete it and export it again (ngbench export --format aoti)");
  } catch (const std::exception& e) {
    throw Error(path_ + ": cannot load the AOTInductor package (" + first_line(e.what()) +
                "); delete it and export it again (ngbench export --format aoti)");
  }
  auto gen = at::make_generator<at::CPUGeneratorImpl>(config.seed);
  for (const auto& in : sidecar_->inputs) {
    const at::ScalarType t = scalar_type(in.dtype, sidecar_->path);
    at::Tensor x = at::isIntegralType(t, /*includeBool=*/false)
                       ? at::randint(0, std::max<int64_t>(1, in.high), in.shape, gen, at::TensorOptions().dtype(t))
                       : at::randn(in.shape, gen, at::TensorOptions().dtype(at::kFloat)).to(t);
    inputs_.push_back(x.to(at::Device(config.device)));
  }
}

RuntimeInfo InductorBackend::runtime() const {
  return {{"libtorch AOTInductor", NGBENCH_TORCH_VERSION}, threads_, 1};
}

void InductorBackend::forward() {
  c10::InferenceMode inference;
  try {
    loader_->run(inputs_);
  } catch (const c10::Error& e) {
    throw Error(path_ + ": the package failed to run (" + first_line(e.what_without_backtrace()) + ")");
  }
}

ProfiledTrace InductorBackend::label(ProfiledTrace trace) const {
  inductor::label_trace(trace, *analysis_, layer_scope_);
  return trace;
}

FusionSummary InductorBackend::fusion() const { return analysis_ ? analysis_->fusion() : FusionSummary{}; }

std::unique_ptr<Backend> make_inductor_cpu_backend() { return std::make_unique<InductorCpuBackend>(); }

BackendEntry inductor_cpu_backend_entry() {
  using Kind = BackendOption::Kind;
  BackendEntry e;
  e.flow = "inductor";
  e.device = "cpu";
  e.description = "TorchInductor ahead of time (AOTInductor .pt2 packages, exported on first use), every kernel "
                  "classified by its provenance";
  e.taxonomy = "inductor";
  e.options = {
      {inductor::kOptAoti, "FILE", "run this AOTInductor package (its sidecar FILE.json beside it; implies "
       "--flow inductor; excludes --model)", Kind::kModelFile},
      {inductor::kOptFreezing, "on|off", "compile with freezing (weights as constants: folding, prepacking, "
       "conv+bn folding) (default: on)", Kind::kValue},
  };
  e.export_format = kExportFormat;
  e.study_variants = {{"freezing-off", {{inductor::kOptFreezing, {"off"}}}},
                      {"freezing-on", {{inductor::kOptFreezing, {"on"}}}}};
  e.create = [] { return make_inductor_cpu_backend(); };
  return e;
}

}  // namespace ngbench::backends
