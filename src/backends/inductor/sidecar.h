#pragma once
// The sidecar of an AOTInductor package (FILE.json beside FILE.pt2, written by
// tools/export_aoti.py): what the package was compiled from and for. The
// exported graph's nodes (the provenance's "pre_grad_nodes" name them), the
// inputs to feed, and every setting fixed at compile time (torch version,
// CPU ISA, threads, dtype, shapes, freezing). No libtorch.
#include <cstdint>
#include <string>
#include <vector>

namespace ngbench::inductor {

inline constexpr int kSidecarSchema = 2;  // 2: compiled without grad (freezing takes effect), inductor_patches

// One call_function node of the exported graph (torch.export, strict=False).
struct GraphNode {
  std::string name;    // the node's name, e.g. "addmm_3"
  std::string target;  // "aten::addmm" for an ATen overload, else the target's text ("<built-in function getitem>")
  bool is_op = false;  // an operator overload (aten, prims, torchvision, ...), not a Python function
  std::vector<std::vector<int64_t>> shapes;  // output shapes (symbolic dimensions as -1)
  std::vector<std::string> modules;          // module classes enclosing it, outermost first
  std::string depends_on;                    // "input" (the model's input), "params" (weights only), "none"
};

struct PackageInput {
  std::string name;
  std::string dtype;  // "float32", "int64", ...
  std::vector<int64_t> shape;
  int64_t high = 0;   // integer inputs: values are drawn from [0, high)
};

struct Sidecar {
  std::string path;  // where it was read from
  std::string model;
  std::string reference;
  std::string package;        // the package's file name
  int64_t package_bytes = 0;  // its size when written
  std::string torch;          // torch.__version__ of the compile
  std::string device;
  std::string dtype;
  int64_t batch = 0;
  int64_t seq_len = 0;
  int64_t layers = 0;          // built layers (0: all)
  int64_t layers_total = 0;    // layers of the full model
  std::string layer_class;     // class of one repeated layer
  std::string attention;       // "" (the model's default), "sdpa" or "eager"
  int64_t threads = 0;         // cpp.threads of the generated kernels
  bool freezing = false;
  std::string cpu_isa;                 // Inductor's vector ISA, e.g. "AVX512 AVX512_VNNI"
  std::vector<std::string> cpu_flags;  // the exporting CPU's ISA-relevant flags, sorted
  std::vector<PackageInput> inputs;
  int64_t parameters = 0;
  std::vector<GraphNode> nodes;
};

// Parses a sidecar's text; `source` names it in errors. Throws ngbench::Error
// (one line naming the file and the fix) on malformed JSON, a missing field or
// another schema version.
Sidecar parse_sidecar(const std::string& text, const std::string& source);

// Reads `path`; a missing or unreadable file is an ngbench::Error naming it.
Sidecar load_sidecar(const std::string& path);

// FILE.pt2 -> FILE.json.
std::string sidecar_path(const std::string& package_path);

}  // namespace ngbench::inductor
