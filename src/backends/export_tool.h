#pragma once
// Exports a built-in model's reference implementation (Hugging Face or
// torchvision, random weights) to a file a flow runs, by running the
// project's Python tool tools/export_<format>.py with the project's Python
// (NGBENCH_PYTHON at run time, else the one configured at build time).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ngbench::backends {

struct ExportRequest {
  std::string format;  // "onnx" -> tools/export_onnx.py
  std::string model;   // a built-in model's name
  std::string out;     // the file to write
  int64_t batch = 1;   // the example input (dynamic dimensions stay dynamic)
  int64_t seq_len = 0; // 0: the model's default
  std::vector<std::string> args;  // more arguments for the tool (Backend::export_arguments)
};

// Runs the tool; returns its result line (JSON). Throws ngbench::Error with
// the tool's own one-line message: a missing Python package (and how to get
// it), a model the tool cannot export, or the failure with its log's path.
std::string run_export_tool(const ExportRequest& request);

// The built-in models the tool of `format` exports (its --list-models), asked
// once per process; empty when the tool or its Python cannot run.
const std::vector<std::string>& exportable_models(const std::string& format);

// The built-in models the tool of `format` cannot export, each with the reason
// (its --list-unsupported: "name<TAB>reason" lines); empty when the tool or its
// Python cannot run, or it lists none.
std::map<std::string, std::string> unsupported_models(const std::string& format);

// Exports request.model to request.out unless that file exists (the cache of
// earlier runs): into a temporary folder beside it, then moved into place, so
// that an interrupted export leaves no file behind that looks complete.
void export_on_first_use(const ExportRequest& request);

}  // namespace ngbench::backends
