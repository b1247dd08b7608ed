#pragma once
// One profiled phase on device 'cuda' through Kineto (kineto_trace.h), as the
// runner drives it (backends/backend.h): each profiled pass inside one
// kIterationScope range whose kernels end inside it. Flows on the GPU (flow
// cuda, inductor's CUDA entry) forward their profiling methods to it. Also the
// timed pass measured with CUDA events.
#include <ATen/record_function.h>

#include <functional>
#include <memory>

#include "core/op_record.h"

namespace ngbench::backends::cuda {

class KinetoSession {
 public:
  KinetoSession() = default;
  KinetoSession(const KinetoSession&) = delete;
  KinetoSession& operator=(const KinetoSession&) = delete;
  // A phase left running (a run that failed while profiling) is stopped: the
  // next configuration needs the profiler off. Nothing of it is kept.
  ~KinetoSession();

  void begin(bool record_shapes);
  void begin_iteration();
  // Waits for the pass's kernels, so that they end inside its range.
  void end_iteration();
  ProfiledTrace end();

 private:
  std::unique_ptr<at::RecordFunction> iteration_;
  bool active_ = false;
};

// Runs `forward` once between two CUDA events on the current stream; the
// device's milliseconds for it.
double time_on_device(const std::function<void()>& forward);

}  // namespace ngbench::backends::cuda
