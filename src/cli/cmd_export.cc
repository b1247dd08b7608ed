// `ngbench export --model M --format F [--out FILE]`: writes a built-in
// model's reference implementation (random weights) as the file a flow runs,
// with the project's Python tool for that format (backends/export_tool.h);
// the formats are those of the registry's flows.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "backends/export_tool.h"
#include "cli/command.h"
#include "core/error.h"

namespace ngbench::cli {

namespace {

std::vector<std::string> export_formats() {
  std::vector<std::string> out;
  for (const auto& e : backends::backend_registry()) {
    if (!e.export_format.empty() && std::find(out.begin(), out.end(), e.export_format) == out.end()) {
      out.push_back(e.export_format);
    }
  }
  return out;
}

int list_exportable() {
  for (const auto& format : export_formats()) {
    fmt::print("{}: {}\n", format, fmt::join(backends::exportable_models(format), ", "));
  }
  return kExitOk;
}

int run_export(backends::ExportRequest request) {
  const auto& registry = backends::backend_registry();
  const auto entry = std::find_if(registry.begin(), registry.end(),
                                  [&](const backends::BackendEntry& e) { return e.export_format == request.format; });
  if (entry == registry.end()) {
    throw Error(fmt::format("unknown export format '{}'; valid in this build: {}", request.format,
                            fmt::join(export_formats(), ", ")));
  }
  if (request.out.empty()) {
    RunConfig c;
    c.model = request.model;
    c.flow = entry->flow;
    request.out = entry->create()->exported_model_path(c);
  }
  const std::string meta = backends::run_export_tool(request);
  fmt::print("wrote {}\n{}\n", request.out, meta);
  return kExitOk;
}

}  // namespace

Command export_command() {
  return {"export", "export a reference model to the file format a flow runs (onnx: flow ort)",
          [](CLI::App& app, const std::string&) -> Action {
            auto o = std::make_shared<backends::ExportRequest>();
            auto list = std::make_shared<bool>(false);
            o->format = "onnx";
            auto* model = app.add_option("-m,--model", o->model, "the built-in model to export (--list shows which)");
            app.add_flag("--list", *list, "list the models each format exports")->excludes(model);
            app.add_option("--format", o->format, "export format (" + fmt::format("{}", fmt::join(export_formats(), ", ")) + ")")
                ->capture_default_str();
            app.add_option("-o,--out", o->out, "output file (default: where the format's flow looks, onnx/<model>.onnx)");
            app.add_option("-b,--batch", o->batch, "batch of the example input (the dimension stays dynamic)")
                ->capture_default_str();
            app.add_option("-s,--seq-len", o->seq_len,
                           "sequence length of the example input (stays dynamic); 0: the model's default")
                ->capture_default_str();
            return [o, list] {
              if (*list) return list_exportable();
              if (o->model.empty()) throw Error("ngbench export needs --model NAME (ngbench export --list shows them)");
              return run_export(*o);
            };
          }};
}

}  // namespace ngbench::cli
