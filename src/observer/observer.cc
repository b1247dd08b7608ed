// Map: callbacks (hot path) -> per-thread RawBuffer -> collect() -> OpRecord.
#include "observer/observer.h"

#include <ATen/core/ivalue.h>
#include <ATen/record_function.h>
#include <c10/core/ScalarType.h>

#include <chrono>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace ngbench::observer {

namespace {

// Input encoding in the shape arena, per input: tag, then for tensors
// dtype, ndim and the sizes; for tensor lists the count, then each tensor.
enum Tag : int64_t { kTensorTag = 0, kScalarTag = 1, kNoneTag = 2, kOtherTag = 3, kListTag = 4, kUndefTag = 5 };

struct RawRecord {
  const char* name;     // interned or schema-owned: valid for the process
  int64_t start_ns;
  int64_t end_ns;
  int32_t parent;
  int32_t depth;
  uint32_t shape_begin;  // [shape_begin, shape_end) in the thread's arena
  uint32_t shape_end;
  bool scope;
};

struct RawBuffer {
  uint64_t thread = 0;
  std::vector<RawRecord> records;
  std::vector<int64_t> shapes;
  std::vector<int32_t> open;  // indices of records whose end has not been seen
};

struct Registry {
  std::mutex mu;
  std::vector<std::unique_ptr<RawBuffer>> buffers;
  std::unordered_map<std::string, std::unique_ptr<std::string>> names;  // interned scope names
  std::vector<IterationSpan> iterations;
  ObserverOptions options;
  uint64_t generation = 0;  // bumps on start(), so threads register again
  bool installed = false;
  at::CallbackHandle handle = 0;
};

Registry& registry() {
  static Registry r;
  return r;
}

thread_local RawBuffer* t_buffer = nullptr;
thread_local uint64_t t_generation = ~0ull;

int64_t now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

RawBuffer& thread_buffer() {
  Registry& r = registry();
  if (t_buffer != nullptr && t_generation == r.generation) return *t_buffer;
  std::lock_guard<std::mutex> lock(r.mu);
  auto buf = std::make_unique<RawBuffer>();
  buf->thread = r.buffers.size();
  buf->records.reserve(r.options.reserve_records);
  buf->shapes.reserve(r.options.record_shapes ? r.options.reserve_records * 8 : 0);
  buf->open.reserve(256);
  t_buffer = buf.get();
  t_generation = r.generation;
  r.buffers.push_back(std::move(buf));
  return *t_buffer;
}

const char* intern(const char* name) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.names.find(name);
  if (it == r.names.end()) it = r.names.emplace(name, std::make_unique<std::string>(name)).first;
  return it->second->c_str();
}

void encode_tensor(std::vector<int64_t>& out, const at::Tensor& t) {
  if (!t.defined()) {
    out.push_back(kUndefTag);
    return;
  }
  out.push_back(kTensorTag);
  out.push_back(static_cast<int64_t>(t.scalar_type()));
  const auto sizes = t.sizes();
  out.push_back(static_cast<int64_t>(sizes.size()));
  out.insert(out.end(), sizes.begin(), sizes.end());
}

void encode_inputs(std::vector<int64_t>& out, c10::ArrayRef<const c10::IValue> inputs) {
  for (const auto& v : inputs) {
    if (v.isTensor()) {
      encode_tensor(out, v.toTensor());
    } else if (v.isTensorList()) {
      const auto list = v.toTensorList();
      out.push_back(kListTag);
      out.push_back(static_cast<int64_t>(list.size()));
      for (const at::Tensor& t : list) encode_tensor(out, t);
    } else if (v.isScalar()) {
      out.push_back(kScalarTag);
    } else if (v.isNone()) {
      out.push_back(kNoneTag);
    } else {
      out.push_back(kOtherTag);
    }
  }
}

std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& fn) {
  RawBuffer& buf = thread_buffer();
  const bool scope = fn.scope() == at::RecordScope::USER_SCOPE;
  RawRecord rec;
  // Operator names ("ns::op") point into the dispatcher's schemas, which live
  // for the process. Any other name (a user scope's; a named range such as an
  // AOTInductor kernel's, "graph_0_cpp_fused_3") is a string the RecordFunction
  // owns (libtorch keeps std::variant<std::string, schema>), so copy it.
  const char* name = fn.name();
  rec.name = scope || std::strstr(name, "::") == nullptr ? intern(name) : name;
  rec.parent = buf.open.empty() ? -1 : buf.open.back();
  rec.depth = static_cast<int32_t>(buf.open.size());
  rec.scope = scope;
  rec.shape_begin = static_cast<uint32_t>(buf.shapes.size());
  if (fn.needsInputs()) encode_inputs(buf.shapes, fn.inputs());
  rec.shape_end = static_cast<uint32_t>(buf.shapes.size());
  rec.end_ns = 0;
  buf.open.push_back(static_cast<int32_t>(buf.records.size()));
  rec.start_ns = now();  // last, so the bookkeeping above is not charged to the op
  buf.records.push_back(rec);
  return nullptr;
}

void on_end(const at::RecordFunction& /*fn*/, at::ObserverContext* /*ctx*/) {
  const int64_t t = now();
  RawBuffer& buf = thread_buffer();
  // Start and end callbacks nest per thread; an end without its start (the
  // observer was installed mid-op) is ignored.
  if (buf.open.empty()) return;
  buf.records[buf.open.back()].end_ns = t;
  buf.open.pop_back();
}

std::string dtype_name(int64_t code) {
  // c10's names ("Float", "BFloat16") mapped to the dtype names the CLI and torch use.
  switch (static_cast<c10::ScalarType>(code)) {
    case c10::ScalarType::Float: return "float32";
    case c10::ScalarType::Double: return "float64";
    case c10::ScalarType::Half: return "float16";
    case c10::ScalarType::BFloat16: return "bfloat16";
    case c10::ScalarType::Long: return "int64";
    case c10::ScalarType::Int: return "int32";
    case c10::ScalarType::Short: return "int16";
    case c10::ScalarType::Char: return "int8";
    case c10::ScalarType::Byte: return "uint8";
    case c10::ScalarType::Bool: return "bool";
    default: return c10::toString(static_cast<c10::ScalarType>(code));
  }
}

// Decodes one tensor entry at shapes[i]; returns the index after it.
size_t decode_tensor(const std::vector<int64_t>& s, size_t i, ArgInfo& arg) {
  if (s[i] == kUndefTag) {
    arg.kind = ArgInfo::Kind::kNone;
    return i + 1;
  }
  arg.kind = ArgInfo::Kind::kTensor;
  arg.dtype = dtype_name(s[i + 1]);
  const auto ndim = static_cast<size_t>(s[i + 2]);
  arg.shape.assign(s.begin() + static_cast<ptrdiff_t>(i + 3), s.begin() + static_cast<ptrdiff_t>(i + 3 + ndim));
  return i + 3 + ndim;
}

std::vector<ArgInfo> decode_inputs(const std::vector<int64_t>& s, size_t begin, size_t end) {
  std::vector<ArgInfo> args;
  size_t i = begin;
  while (i < end) {
    ArgInfo arg;
    switch (s[i]) {
      case kTensorTag:
      case kUndefTag:
        i = decode_tensor(s, i, arg);
        break;
      case kListTag: {
        // A tensor list is one input: its shape is the member count, its dtype
        // the first member's.
        const auto n = static_cast<size_t>(s[i + 1]);
        arg.kind = ArgInfo::Kind::kTensorList;
        arg.shape = {static_cast<int64_t>(n)};
        i += 2;
        for (size_t k = 0; k < n; ++k) {
          ArgInfo member;
          i = decode_tensor(s, i, member);
          if (k == 0) arg.dtype = member.dtype;
        }
        break;
      }
      case kScalarTag: arg.kind = ArgInfo::Kind::kScalar; ++i; break;
      case kNoneTag: arg.kind = ArgInfo::Kind::kNone; ++i; break;
      default: arg.kind = ArgInfo::Kind::kOther; ++i; break;
    }
    args.push_back(std::move(arg));
  }
  return args;
}

}  // namespace

struct Observer::State {
  ObserverOptions options;
  bool running = false;
  bool paused = false;
};

Observer::Observer(ObserverOptions options) : state_(std::make_unique<State>()) {
  state_->options = options;
}

Observer::~Observer() {
  if (state_->running) stop();
}

int64_t Observer::now_ns() { return now(); }

void Observer::start() {
  Registry& r = registry();
  {
    std::lock_guard<std::mutex> lock(r.mu);
    if (r.installed) throw Error("an operator observer is already installed; only one may run at a time");
    r.options = state_->options;
    r.installed = true;
  }
  {
    // Fresh buffers: threads register again, the calling thread first (thread 0).
    std::lock_guard<std::mutex> lock(r.mu);
    r.buffers.clear();
    r.iterations.clear();
    ++r.generation;
  }
  thread_buffer();
  install_callbacks();
  state_->running = true;
}

void Observer::install_callbacks() {
  registry().handle = at::addGlobalCallback(
      at::RecordFunctionCallback(&on_start, &on_end)
          .needsInputs(state_->options.record_shapes)
          .scopes({at::RecordScope::FUNCTION, at::RecordScope::USER_SCOPE}));
}

void Observer::pause() {
  if (!state_->running || state_->paused) return;
  at::removeCallback(registry().handle);
  state_->paused = true;
}

void Observer::resume() {
  if (!state_->running || !state_->paused) return;
  install_callbacks();
  state_->paused = false;
}

void Observer::stop() {
  if (!state_->running) return;
  Registry& r = registry();
  if (!state_->paused) at::removeCallback(r.handle);
  std::lock_guard<std::mutex> lock(r.mu);
  r.installed = false;
  state_->running = false;
  state_->paused = false;
}

void Observer::begin_iteration() {
  registry().iterations.push_back({now(), 0});
}

void Observer::end_iteration() {
  auto& its = registry().iterations;
  NGBENCH_CHECK(!its.empty() && its.back().end_ns == 0, "end_iteration without begin_iteration");
  its.back().end_ns = now();
}

void Observer::clear() {
  // Keeps each thread's buffers (and their already-touched pages) for reuse.
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  for (auto& b : r.buffers) {
    b->records.clear();
    b->shapes.clear();
    b->open.clear();
  }
  r.iterations.clear();
}

ProfiledTrace Observer::collect() const {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  ProfiledTrace out;
  out.iterations = r.iterations;
  size_t total = 0;
  for (const auto& b : r.buffers) total += b->records.size();
  out.records.reserve(total);
  for (const auto& b : r.buffers) {
    // Records still open when the observer stopped are dropped; remap parents.
    std::vector<int32_t> index(b->records.size(), -1);
    for (size_t i = 0; i < b->records.size(); ++i) {
      const RawRecord& raw = b->records[i];
      if (raw.end_ns == 0) continue;
      index[i] = static_cast<int32_t>(out.records.size());
      OpRecord rec;
      rec.name = raw.name;
      rec.kind = raw.scope ? RecordKind::kScope : RecordKind::kOp;
      rec.start_ns = raw.start_ns;
      rec.end_ns = raw.end_ns;
      rec.parent = raw.parent < 0 ? -1 : index[static_cast<size_t>(raw.parent)];
      rec.depth = raw.depth;
      rec.thread = b->thread;
      rec.inputs = decode_inputs(b->shapes, raw.shape_begin, raw.shape_end);
      out.records.push_back(std::move(rec));
    }
  }
  return out;
}

}  // namespace ngbench::observer
