#pragma once
// Internal to flow inductor: the backend class the CPU and CUDA entries share.
// The device-specific parts (how a pass is timed, how the profiled phase is
// recorded) are virtual; everything about the package (validation, export on
// first use, loading, inputs, provenance, labels, fusion) is here.
#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "backends/inductor/kernel_analysis.h"
#include "backends/inductor/package_config.h"
#include "backends/inductor/sidecar.h"

namespace torch::inductor {
class AOTIModelPackageLoader;
}

namespace ngbench::backends {

class InductorBackend : public Backend {
 public:
  InductorBackend();
  ~InductorBackend() override;

  RunConfig validate(const RunConfig& config) const override;
  int64_t estimate_bytes(const RunConfig& config) const override;
  ModelSummary describe_model(const RunConfig& config) const override;
  std::string exported_model_path(const RunConfig& config) const override;
  std::vector<std::string> export_arguments(const RunConfig& config) const override;

  void prepare(const RunConfig& config, const taxonomy::Taxonomy& taxonomy) override;
  RuntimeInfo runtime() const override;
  FusionSummary fusion() const override;

 protected:
  // One forward pass of the loaded package.
  void forward();
  // After end of profiling: the device's records labeled with the provenance.
  ProfiledTrace label(ProfiledTrace trace) const;

  RunConfig config_;
  inductor::Machine machine_;

 private:
  std::string path_;
  std::unique_ptr<torch::inductor::AOTIModelPackageLoader> loader_;
  std::vector<at::Tensor> inputs_;
  std::unique_ptr<inductor::Sidecar> sidecar_;
  std::unique_ptr<inductor::KernelAnalysis> analysis_;
  std::string layer_scope_;  // depth scaling: the repeated layer's class
  int threads_ = 1;
};

// The CPU backend: the operator observer, pausable.
std::unique_ptr<Backend> make_inductor_cpu_backend();

}  // namespace ngbench::backends
