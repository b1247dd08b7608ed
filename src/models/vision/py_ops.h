#pragma once
// Python idioms of torchvision's detection code whose aten ops must be
// reproduced exactly: tensor constructors from Python numbers and lists,
// indexing with slices, Python's int(), max() and min() on 0-d tensors.
// (hf::py_number / hf::py_tensor cover `x * 0.5` and torch.tensor(float).)
#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <variant>
#include <vector>

namespace ngbench::models::vision::py {

// torch.tensor(v) for a Python int (int64): empty, to, lift_fresh, detach_.
at::Tensor tensor(int64_t v);

// torch.tensor(v, dtype=dtype, device=device) for a Python float.
at::Tensor tensor(double v, at::ScalarType dtype, at::Device device);

// torch.as_tensor(values, dtype=dtype, device=device) for a list of Python
// numbers: empty, to, lift_fresh (no detach_).
at::Tensor as_tensor(const std::vector<double>& values, at::ScalarType dtype, at::Device device);

// One slice of Python indexing, t[..., start:stop, ...] on `dim` (step 1): no op
// when start == 0 and stop >= t.size(dim) (torch's applySlice skips it), else aten::slice.
at::Tensor slice(const at::Tensor& t, int64_t dim, int64_t start, int64_t stop);

// Python's t[start:stop] with that single slice as the whole index: always
// aten::slice on dim 0 (torch's get_item disables the no-op skip for it).
at::Tensor slice0(const at::Tensor& t, int64_t start, int64_t stop);

// t[start:stop] with every other index a full slice: as slice(), but aten::alias
// when nothing was sliced (torch returns an alias, never the tensor itself).
at::Tensor getitem_slice(const at::Tensor& t, int64_t dim, int64_t start, int64_t stop);

// int(t) / a 0-d tensor used as an index: aten::item.
int64_t item(const at::Tensor& t);

// Python's bool(t) for a 0-d tensor: aten::is_nonzero.
bool truth(const at::Tensor& t);

// A value that is either a Python int or a 0-d int64 tensor, as Python's max()
// and min() return one or the other.
using IntOrTensor = std::variant<int64_t, at::Tensor>;

// max(t, n) with t a 0-d tensor and n an int: Python evaluates `n > t`, i.e.
// t.__lt__(n) (aten::lt, then is_nonzero); returns n if true, else t.
IntOrTensor max(const at::Tensor& t, int64_t n);

// min(t, n): `n < t`, i.e. t.__gt__(n) (aten::gt, is_nonzero); returns n if true, else t.
IntOrTensor min(const at::Tensor& t, int64_t n);

// a - b for a Python int or tensor a and a tensor b: aten::sub, or aten::rsub for an int.
at::Tensor minus(const IntOrTensor& a, const at::Tensor& b);

// The int a slice bound gives: the int itself, or item() of the tensor.
int64_t index_value(const IntOrTensor& v);

}  // namespace ngbench::models::vision::py
