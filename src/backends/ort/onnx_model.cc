#include "backends/ort/onnx_model.h"

#include <cstring>
#include <fstream>
#include <functional>
#include <numeric>
#include <sstream>
#include <unordered_set>

#include "core/error.h"

namespace ngbench::onnx {

namespace {

// Protobuf wire format: a message is a sequence of (key, value); key = field << 3 | wire type.
enum Wire { kVarint = 0, kFixed64 = 1, kBytes = 2, kFixed32 = 5 };

class Reader {
 public:
  Reader(const char* p, size_t n, const std::string* source) : p_(p), end_(p + n), source_(source) {}
  bool done() const { return p_ >= end_; }

  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) fail("truncated varint");
      const auto b = static_cast<uint8_t>(*p_++);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    fail("varint longer than 10 bytes");
  }

  // Reads a key; returns the field number and sets `wire`.
  uint32_t key(int& wire) {
    const uint64_t k = varint();
    wire = static_cast<int>(k & 7);
    const uint64_t field = k >> 3;
    if (field == 0) fail("field number 0");
    return static_cast<uint32_t>(field);
  }

  Reader sub() {
    const uint64_t n = varint();
    if (n > static_cast<uint64_t>(end_ - p_)) fail("length past the end of the file (truncated?)");
    Reader r(p_, static_cast<size_t>(n), source_);
    p_ += n;
    return r;
  }

  std::string bytes() {
    Reader r = sub();
    return std::string(r.p_, r.end_);
  }

  uint32_t fixed32() {
    if (end_ - p_ < 4) fail("truncated fixed32");
    uint32_t v;
    std::memcpy(&v, p_, 4);
    p_ += 4;
    return v;
  }

  void skip(int wire) {
    switch (wire) {
      case kVarint: varint(); break;
      case kFixed64:
        if (end_ - p_ < 8) fail("truncated fixed64");
        p_ += 8;
        break;
      case kBytes: sub(); break;
      case kFixed32: fixed32(); break;
      default: fail("unsupported wire type " + std::to_string(wire) + " (not an ONNX file?)");
    }
  }

  // A repeated int64 field: packed (one length-delimited run) or one varint.
  void int64s(int wire, std::vector<int64_t>& out) {
    if (wire == kBytes) {
      Reader r = sub();
      while (!r.done()) out.push_back(static_cast<int64_t>(r.varint()));
    } else if (wire == kVarint) {
      out.push_back(static_cast<int64_t>(varint()));
    } else {
      skip(wire);
    }
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(*source_ + ": not a valid ONNX model: " + what);
  }

 private:
  const char* p_;
  const char* end_;
  const std::string* source_;
};

std::string format_float(float f) {
  std::ostringstream os;
  os << f;
  return os.str();
}

// AttributeProto: name 1, f 2, i 3, s 4, t 5, g 6, floats 7, ints 8, strings 9, type 20.
void read_attribute(Reader r, Node& node) {
  std::string name, text;
  std::vector<int64_t> ints;
  while (!r.done()) {
    int wire;
    switch (r.key(wire)) {
      case 1: name = r.bytes(); break;
      case 2:
        if (wire == kFixed32) {
          const uint32_t bits = r.fixed32();
          float f;
          std::memcpy(&f, &bits, 4);
          text = format_float(f);
        } else {
          r.skip(wire);
        }
        break;
      case 3: text = std::to_string(static_cast<int64_t>(r.varint())); break;
      case 4: text = r.bytes(); break;
      case 8: r.int64s(wire, ints); break;
      default: r.skip(wire);
    }
  }
  if (text.empty() && !ints.empty()) {
    for (size_t i = 0; i < ints.size(); ++i) text += (i ? "," : "") + std::to_string(ints[i]);
  }
  if (!name.empty()) node.attributes[name] = text;
}

// NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, domain 7.
Node read_node(Reader r) {
  Node n;
  while (!r.done()) {
    int wire;
    switch (r.key(wire)) {
      case 1: n.inputs.push_back(r.bytes()); break;
      case 2: n.outputs.push_back(r.bytes()); break;
      case 3: n.name = r.bytes(); break;
      case 4: n.op_type = r.bytes(); break;
      case 5: read_attribute(r.sub(), n); break;
      case 7: n.domain = r.bytes(); break;
      default: r.skip(wire);
    }
  }
  return n;
}

// TensorShapeProto.Dimension: dim_value 1, dim_param 2.
Dim read_dim(Reader r) {
  Dim d;
  while (!r.done()) {
    int wire;
    switch (r.key(wire)) {
      case 1: d.value = static_cast<int64_t>(r.varint()); break;
      case 2: d.param = r.bytes(); break;
      default: r.skip(wire);
    }
  }
  return d;
}

// ValueInfoProto: name 1, type 2 -> TypeProto.tensor_type 1 -> elem_type 1, shape 2 -> dim 1.
ValueInfo read_value_info(Reader r) {
  ValueInfo v;
  while (!r.done()) {
    int wire;
    const uint32_t f = r.key(wire);
    if (f == 1) {
      v.name = r.bytes();
    } else if (f == 2) {
      Reader type = r.sub();
      while (!type.done()) {
        int w2;
        if (type.key(w2) != 1) {
          type.skip(w2);
          continue;
        }
        Reader tensor = type.sub();
        while (!tensor.done()) {
          int w3;
          const uint32_t f3 = tensor.key(w3);
          if (f3 == 1) {
            v.elem_type = static_cast<int32_t>(tensor.varint());
          } else if (f3 == 2) {
            v.has_shape = true;
            Reader shape = tensor.sub();
            while (!shape.done()) {
              int w4;
              if (shape.key(w4) == 1) {
                v.dims.push_back(read_dim(shape.sub()));
              } else {
                shape.skip(w4);
              }
            }
          } else {
            tensor.skip(w3);
          }
        }
      }
    } else {
      r.skip(wire);
    }
  }
  return v;
}

// An initializer's element count; read_initializer has checked that it fits in int64_t.
int64_t element_count(const Initializer& t) {
  return std::accumulate(t.dims.begin(), t.dims.end(), int64_t{1}, std::multiplies<>());
}

// TensorProto: dims 1, data_type 2, name 8, external_data 13 (key 1, value 2); data skipped.
Initializer read_initializer(Reader r) {
  Initializer t;
  while (!r.done()) {
    int wire;
    switch (r.key(wire)) {
      case 1: r.int64s(wire, t.dims); break;
      case 2: t.elem_type = static_cast<int32_t>(r.varint()); break;
      case 8: t.name = r.bytes(); break;
      case 13: {
        Reader e = r.sub();
        std::string key, value;
        while (!e.done()) {
          int w;
          const uint32_t f = e.key(w);
          if (f == 1) {
            key = e.bytes();
          } else if (f == 2) {
            value = e.bytes();
          } else {
            e.skip(w);
          }
        }
        if (key == "location") t.external_location = value;
        break;
      }
      default: r.skip(wire);
    }
  }
  // Its element count must be a number (found by fuzz/onnx_fuzzer.cc: dims whose product overflowed).
  int64_t n = 1;
  for (int64_t d : t.dims) {
    if (d < 0 || __builtin_mul_overflow(n, d, &n)) r.fail("initializer '" + t.name + "' has impossible dims");
  }
  return t;
}

// GraphProto: node 1, initializer 5, input 11, output 12.
void read_graph(Reader r, Model& m) {
  std::vector<ValueInfo> inputs;
  while (!r.done()) {
    int wire;
    switch (r.key(wire)) {
      case 1: m.nodes.push_back(read_node(r.sub())); break;
      case 5: m.initializers.push_back(read_initializer(r.sub())); break;
      case 11: inputs.push_back(read_value_info(r.sub())); break;
      case 12: m.outputs.push_back(read_value_info(r.sub())); break;
      default: r.skip(wire);
    }
  }
  // Before IR version 4 initializers were also listed as inputs; they are not fed.
  std::unordered_set<std::string> init;
  for (const auto& t : m.initializers) init.insert(t.name);
  for (auto& v : inputs) {
    if (!init.count(v.name)) m.inputs.push_back(std::move(v));
  }
}

}  // namespace

std::string elem_type_name(int32_t type) {
  switch (type) {
    case kFloat: return "float32";
    case kUint8: return "uint8";
    case kInt8: return "int8";
    case kUint16: return "uint16";
    case kInt16: return "int16";
    case kInt32: return "int32";
    case kInt64: return "int64";
    case kString: return "string";
    case kBool: return "bool";
    case kFloat16: return "float16";
    case kDouble: return "float64";
    case kUint32: return "uint32";
    case kUint64: return "uint64";
    case kBfloat16: return "bfloat16";
    default: return "type" + std::to_string(type);
  }
}

int64_t Model::parameter_count() const {
  int64_t total = 0;
  for (const auto& t : initializers) total += element_count(t);  // parse_model has checked the sum
  return total;
}

// ModelProto: ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8, functions 25.
Model parse_model(const std::string& bytes, const std::string& source) {
  Model m;
  Reader r(bytes.data(), bytes.size(), &source);
  bool has_graph = false;
  std::string producer_name, producer_version;
  while (!r.done()) {
    int wire;
    const uint32_t field = r.key(wire);
    if (field == 1 && wire == kVarint) {
      m.ir_version = static_cast<int64_t>(r.varint());
    } else if (field == 2 && wire == kBytes) {
      producer_name = r.bytes();
    } else if (field == 3 && wire == kBytes) {
      producer_version = r.bytes();
    } else if (field == 7 && wire == kBytes) {
      read_graph(r.sub(), m);
      has_graph = true;
    } else if (field == 8 && wire == kBytes) {
      Reader op = r.sub();
      std::string domain;
      int64_t version = 0;
      while (!op.done()) {
        int w;
        const uint32_t f = op.key(w);
        if (f == 1) {
          domain = op.bytes();
        } else if (f == 2) {
          version = static_cast<int64_t>(op.varint());
        } else {
          op.skip(w);
        }
      }
      m.opsets[domain] = version;
    } else if (field == 25 && wire == kBytes) {
      r.skip(wire);
      ++m.function_count;
    } else {
      r.skip(wire);
    }
  }
  if (!has_graph || m.ir_version <= 0) r.fail("no graph or IR version (is it an ONNX model?)");
  int64_t parameters = 0;
  for (const auto& t : m.initializers) {
    if (__builtin_add_overflow(parameters, element_count(t), &parameters)) r.fail("the initializers' sizes add up past 2^63");
  }
  m.producer = producer_name + (producer_version.empty() ? "" : " " + producer_version);
  return m;
}

Model load_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read ONNX model '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_model(ss.str(), path);
}

}  // namespace ngbench::onnx
