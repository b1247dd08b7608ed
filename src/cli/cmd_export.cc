// `ngbench export --model M --format F [--out FILE]`: writes a built-in
// model's reference implementation (random weights) as the file a flow runs,
// with the project's Python tool for that format (backends/export_tool.h);
// the formats are those of the registry's flows. The configuration options
// (--dtype, --threads, the flow's own such as --freezing) go through the flow's
// backend, which validates them, names the file and adds its tool arguments
// (a format whose file fixes them, as AOTInductor's, needs them).
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
    for (const auto& [model, why] : backends::unsupported_models(format)) {
      fmt::print("  {} unsupported: {} ({})\n", format, model, why);
    }
  }
  return kExitOk;
}

// The settings of an export beyond the model and the example input.
struct ExportSettings {
  RunConfig config;                 // dtype, device, threads, layers, attention
  BackendOptions options;           // the flow's own options given (--name value)
};

int run_export(backends::ExportRequest request, const ExportSettings& settings) {
  const auto& registry = backends::backend_registry();
  const auto entry = std::find_if(registry.begin(), registry.end(),
                                  [&](const backends::BackendEntry& e) { return e.export_format == request.format; });
  if (entry == registry.end()) {
    throw Error(fmt::format("unknown export format '{}'; valid in this build: {}", request.format,
                            fmt::join(export_formats(), ", ")));
  }
  for (const auto& option : settings.options) {
    const std::string& name = option.first;
    const bool own = std::any_of(entry->options.begin(), entry->options.end(),
                                 [&](const backends::BackendOption& o) { return o.name == name; });
    if (!own) throw Error(fmt::format("--{} is not an option of flow {} (format {})", name, entry->flow, request.format));
  }
  // The flow's own view of the configuration: its defaults, its file, its tool's arguments.
  RunConfig c = settings.config;
  c.model = request.model;
  c.flow = entry->flow;
  c.batch = request.batch;
  c.seq_len = request.seq_len;
  c.backend_options = settings.options;
  const auto backend = backends::find_backend(entry->flow, c.device).create();
  request.args = backend->export_arguments(c);  // checks the flow's settings
  if (request.out.empty()) request.out = backend->exported_model_path(c);
  const std::string meta = backends::run_export_tool(request);
  fmt::print("wrote {}\n{}\n", request.out, meta);
  return kExitOk;
}

}  // namespace

Command export_command() {
  return {"export", "export a reference model to the file format a flow runs (onnx: flow ort)",
          [](CLI::App& app, const std::string&) -> Action {
            auto o = std::make_shared<backends::ExportRequest>();
            auto settings = std::make_shared<ExportSettings>();
            auto list = std::make_shared<bool>(false);
            o->format = "onnx";
            auto* model = app.add_option("-m,--model", o->model, "the built-in model to export (--list shows which)");
            app.add_flag("--list", *list, "list the models each format exports")->excludes(model);
            app.add_option("--format", o->format, "export format (" + fmt::format("{}", fmt::join(export_formats(), ", ")) + ")")
                ->capture_default_str();
            app.add_option("-o,--out", o->out,
                           "output file (default: where the format's flow looks: onnx/<model>.onnx, aoti/<model>/<key>.pt2)");
            app.add_option("-b,--batch", o->batch,
                           "batch of the example input (onnx: the dimension stays dynamic; aoti: fixed)")
                ->capture_default_str();
            app.add_option("-s,--seq-len", o->seq_len,
                           "sequence length of the example input (onnx: stays dynamic; aoti: fixed); 0: the model's "
                           "default")
                ->capture_default_str();
            RunConfig& c = settings->config;
            app.add_option("--dtype", c.dtype, "dtype of a format that fixes it (aoti)")->capture_default_str();
            app.add_option("--device", c.device, "device of a format compiled for one (aoti)")->capture_default_str();
            app.add_option("-t,--threads", c.threads,
                           "threads of a format that fixes them (aoti); 0: one per logical CPU")
                ->capture_default_str();
            app.add_option("--layers", c.layers, "build N of a language model's layers (aoti; 0: all)")
                ->capture_default_str();
            app.add_option("--attention", c.attention, "eager or sdpa (Hugging Face models; aoti)");
            // The flows' own value options (e.g. --freezing of flow inductor), checked against the format's flow.
            std::vector<std::string> seen;
            for (const auto& e : backends::backend_registry()) {
              if (e.export_format.empty()) continue;
              for (const auto& opt : e.options) {
                if (opt.kind != backends::BackendOption::Kind::kValue) continue;
                if (std::find(seen.begin(), seen.end(), opt.name) != seen.end()) continue;
                seen.push_back(opt.name);
                app.add_option_function<std::string>(
                       "--" + opt.name, [settings, name = opt.name](const std::string& v) {
                         settings->options[name] = {v};
                       },
                       fmt::format("flow {}: {}", e.flow, opt.help))
                    ->type_name(opt.hint);
              }
            }
            return [o, settings, list] {
              if (*list) return list_exportable();
              if (o->model.empty()) throw Error("ngbench export needs --model NAME (ngbench export --list shows them)");
              return run_export(*o, *settings);
            };
          }};
}

}  // namespace ngbench::cli
