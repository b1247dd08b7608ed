#include "backends/cuda/kineto_session.h"

#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAEvent.h>
#include <c10/cuda/CUDAFunctions.h>
#include <cuda_runtime_api.h>

#include "backends/cuda/kineto_trace.h"

namespace ngbench::backends::cuda {

KinetoSession::~KinetoSession() {
  if (!active_) return;
  try {
    iteration_.reset();
    stop_kineto();
  } catch (...) {  // nothing was recorded: nothing to keep
  }
}

void KinetoSession::begin(bool record_shapes) {
  c10::cuda::device_synchronize();
  start_kineto({record_shapes});
  active_ = true;
}

void KinetoSession::begin_iteration() {
  iteration_ = std::make_unique<at::RecordFunction>(at::RecordScope::USER_SCOPE);
  if (iteration_->isActive()) iteration_->before(kIterationScope);
}

void KinetoSession::end_iteration() {
  c10::cuda::device_synchronize();  // the iteration's kernels end inside its span
  iteration_.reset();               // ends the record function
}

ProfiledTrace KinetoSession::end() {
  active_ = false;
  return stop_kineto();
}

double time_on_device(const std::function<void()>& forward) {
  const auto stream = at::cuda::getCurrentCUDAStream();
  at::cuda::CUDAEvent start(cudaEventDefault), end(cudaEventDefault);
  start.record(stream);
  forward();
  end.record(stream);
  end.synchronize();
  return static_cast<double>(start.elapsed_time(end));
}

}  // namespace ngbench::backends::cuda
