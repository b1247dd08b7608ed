#include "models/vision/py_ops.h"

#include <ATen/ATen.h>
#include <ATen/InitialTensorOptions.h>

#include "models/hf_layers.h"

namespace ngbench::models::vision::py {

namespace {

// torch/csrc/utils/tensor_new.cpp (internal_new_from_data): a CPU tensor is
// allocated and filled without dispatch, moved with to(device, dtype), lifted.
at::Tensor new_from_data(const std::vector<double>& values, bool scalar, at::ScalarType dtype,
                         at::Device device) {
  std::vector<int64_t> sizes;
  if (!scalar) sizes.push_back(static_cast<int64_t>(values.size()));
  at::Tensor t = at::empty(sizes, at::initialTensorOptions().dtype(dtype).pinned_memory(false));
  {
    // Filling is not an op in Python; keep it out of the observer.
    at::RecordFunctionGuard no_record(false);
    at::Tensor src = at::from_blob(const_cast<double*>(values.data()), sizes, at::kDouble);
    t.copy_(src);
  }
  t = t.to(device, dtype, /*non_blocking=*/false, /*copy=*/false);
  return at::lift_fresh(t);
}

}  // namespace

at::Tensor tensor(int64_t v) {
  at::Tensor t = new_from_data({static_cast<double>(v)}, true, at::kLong, at::kCPU);
  t.detach_();
  return t;
}

at::Tensor tensor(double v, at::ScalarType dtype, at::Device device) { return hf::py_tensor(v, dtype, device); }

at::Tensor as_tensor(const std::vector<double>& values, at::ScalarType dtype, at::Device device) {
  return new_from_data(values, false, dtype, device);
}

at::Tensor slice(const at::Tensor& t, int64_t dim, int64_t start, int64_t stop) {
  if (start == 0 && t.size(dim) <= stop) return t;
  return t.slice(dim, start, stop, 1);
}

at::Tensor slice0(const at::Tensor& t, int64_t start, int64_t stop) { return t.slice(0, start, stop, 1); }

at::Tensor getitem_slice(const at::Tensor& t, int64_t dim, int64_t start, int64_t stop) {
  at::Tensor r = slice(t, dim, start, stop);
  return r.is_same(t) ? at::alias(t) : r;
}

int64_t item(const at::Tensor& t) { return t.item().toLong(); }

bool truth(const at::Tensor& t) { return t.is_nonzero(); }

IntOrTensor max(const at::Tensor& t, int64_t n) {
  if (truth(at::lt(t, c10::Scalar(n)))) return n;
  return t;
}

IntOrTensor min(const at::Tensor& t, int64_t n) {
  if (truth(at::gt(t, c10::Scalar(n)))) return n;
  return t;
}

at::Tensor minus(const IntOrTensor& a, const at::Tensor& b) {
  if (const auto* n = std::get_if<int64_t>(&a)) return at::rsub(b, c10::Scalar(*n));
  return at::sub(std::get<at::Tensor>(a), b);
}

int64_t index_value(const IntOrTensor& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  return item(std::get<at::Tensor>(v));
}

}  // namespace ngbench::models::vision::py
