#pragma once
// Post-processed observer records: what one profiled run saw, as plain data.
//
// The observer (src/observer/) fills these after a run from its raw buffers;
// attribution (src/attribution/) turns them into a breakdown. Tests and recorded
// fixtures build them directly, which is why this header does not need libtorch.
#include <cstdint>
#include <string>
#include <vector>

namespace ngbench {

// One input of an operator or module scope.
struct ArgInfo {
  enum class Kind : uint8_t { kTensor, kScalar, kTensorList, kNone, kOther };
  Kind kind = Kind::kOther;
  std::vector<int64_t> shape;  // tensor sizes; empty for a 0-d tensor and for non-tensors
  std::string dtype;           // e.g. "float32"; empty for non-tensors

  bool operator==(const ArgInfo& o) const {
    return kind == o.kind && shape == o.shape && dtype == o.dtype;
  }
};

enum class RecordKind : uint8_t {
  kOp,     // a dispatcher operator (aten::addmm, torchvision::nms, ...)
  kScope,  // a named module scope opened by a model (NewGELUActivation, ...)
};

struct OpRecord {
  std::string name;
  RecordKind kind = RecordKind::kOp;
  int64_t start_ns = 0;  // steady clock, nanoseconds
  int64_t end_ns = 0;
  int32_t parent = -1;   // index of the enclosing record on the same thread, -1 at top level
  int32_t depth = 0;     // nesting depth on its thread (ops and scopes both count)
  uint64_t thread = 0;   // observer's thread number; the thread that ran the model is 0
  std::vector<ArgInfo> inputs;  // empty unless shapes were recorded

  int64_t duration_ns() const { return end_ns - start_ns; }
};

// A stable text key for an input signature, e.g.
// "float32[2,8,64];float32[64];s;-" (s: scalar, -: none, ?: other).
std::string signature(const std::vector<ArgInfo>& inputs);

// One profiled iteration: the wall-clock span of one forward pass.
struct IterationSpan {
  int64_t start_ns = 0;
  int64_t end_ns = 0;
};

// One activity on an accelerator: a kernel, a memory copy or a memset, with
// times on the same clock as the OpRecords.
struct DeviceRecord {
  enum class Kind : uint8_t { kKernel, kMemcpy, kMemset };
  std::string name;
  Kind kind = Kind::kKernel;
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  int64_t stream = 0;
  int32_t launched_by = -1;  // index of the innermost OpRecord active at launch; -1: unknown

  int64_t duration_ns() const { return end_ns - start_ns; }
};

// Everything one profiled phase recorded. Records are in start order per thread,
// parents before children. `device` is empty for host-only flows.
struct ProfiledTrace {
  std::vector<OpRecord> records;
  std::vector<IterationSpan> iterations;
  std::vector<DeviceRecord> device;
};

}  // namespace ngbench
