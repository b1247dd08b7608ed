#pragma once
// The structure of an ONNX model file, read without ONNX Runtime or protobuf:
// a small reader of the protobuf wire format that keeps what ngbench needs
// (nodes with their inputs, outputs and scalar attributes, graph inputs with
// their shapes, initializer names and dimensions) and skips tensor data.
//
// Used to validate `--onnx` runs before anything runs, to bind inputs, to
// count parameters, and to compare a model with ONNX Runtime's optimized graph
// (fusion.h). Nodes inside subgraphs (If/Loop bodies) are not read.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ngbench::onnx {

// TensorProto.DataType values used here.
enum ElemType : int32_t {
  kUndefined = 0,
  kFloat = 1,
  kUint8 = 2,
  kInt8 = 3,
  kUint16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kString = 8,
  kBool = 9,
  kFloat16 = 10,
  kDouble = 11,
  kUint32 = 12,
  kUint64 = 13,
  kBfloat16 = 16,
};

// "float32", "int64", ...; "type<N>" for a code without a name here.
std::string elem_type_name(int32_t type);

struct Node {
  std::string name;
  std::string op_type;
  std::string domain;                          // "" is the default ONNX domain
  std::vector<std::string> inputs;             // "" for an omitted optional input
  std::vector<std::string> outputs;
  std::map<std::string, std::string> attributes;  // scalar and string attributes as text
};

// One dimension of a graph input: a value, or a symbolic name ("batch"), or unknown.
struct Dim {
  int64_t value = -1;   // >= 0 when fixed
  std::string param;    // symbolic name when dynamic; may be empty
  bool fixed() const { return value >= 0; }
};

struct ValueInfo {
  std::string name;
  int32_t elem_type = kUndefined;
  bool has_shape = false;
  std::vector<Dim> dims;
};

struct Initializer {
  std::string name;
  int32_t elem_type = kUndefined;
  std::vector<int64_t> dims;
  std::string external_location;  // file holding the data, relative to the model; empty when inline
};

struct Model {
  int64_t ir_version = 0;
  std::string producer;                       // producer_name and version
  std::map<std::string, int64_t> opsets;      // domain -> version
  std::vector<Node> nodes;                    // the main graph, in file order (topological)
  std::vector<ValueInfo> inputs;              // graph inputs that are not initializers
  std::vector<ValueInfo> outputs;
  std::vector<Initializer> initializers;
  int64_t function_count = 0;                 // model-local functions (their bodies are not read)

  // Elements of every initializer (the parameter count of an exported model).
  int64_t parameter_count() const;
};

// Parses the bytes of a .onnx file; `source` names it in errors. Throws
// ngbench::Error for anything that is not a well-formed ONNX model
// (truncated, not protobuf, no graph).
Model parse_model(const std::string& bytes, const std::string& source);

// Reads and parses a file; throws ngbench::Error naming it when it cannot be read.
Model load_model(const std::string& path);

}  // namespace ngbench::onnx
