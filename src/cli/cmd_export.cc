// `ngbench export --model M --format onnx [--out FILE]`: runs tools/export_onnx.py,
// which builds the model from its published configuration with seeded random
// weights and exports it with torch.onnx.export (docs/onnxruntime.md).
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/ort/ort_config.h"
#include "cli/command.h"
#include "core/error.h"

#ifndef NGBENCH_TOOLS_DIR
#define NGBENCH_TOOLS_DIR "tools"
#endif

namespace ngbench::cli {

namespace {

namespace fs = std::filesystem;

struct ExportOptions {
  std::string model;
  std::string format = "onnx";
  std::string out;  // empty: onnx/<model>.onnx
  int64_t batch = 1;
  int64_t seq_len = 0;
};

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

// The export tool: $NGBENCH_TOOLS_DIR, else the source tree this binary was built from.
std::string tool_path() {
  const char* env = std::getenv("NGBENCH_TOOLS_DIR");
  const fs::path tool = fs::path(env && *env ? env : NGBENCH_TOOLS_DIR) / "export_onnx.py";
  std::error_code ec;
  if (!fs::is_regular_file(tool, ec)) {
    throw Error(fmt::format("the export tool {} is missing; set NGBENCH_TOOLS_DIR to the tools/ directory of an "
                            "ngbench source tree",
                            tool.string()));
  }
  return tool.string();
}

int run_export(const ExportOptions& o) {
  const std::string tool = tool_path();
  const char* py_env = std::getenv("NGBENCH_PYTHON");
  const std::string python = py_env && *py_env ? py_env : "python3";
  const std::string out = o.out.empty() ? onnx::default_onnx_path(o.model) : o.out;
  const fs::path log = fs::temp_directory_path() / fmt::format("ngbench-export-{}.log", ::getpid());
  const std::string cmd =
      fmt::format("{} {} --model {} --out {} --batch {} --seq-len {} > {} 2>&1", quote(python), quote(tool),
                  quote(o.model), quote(out), o.batch, o.seq_len, quote(log.string()));
  fmt::print("exporting {} to {} with {} (torch.onnx.export, dynamo=True; this takes a while)\n", o.model, out, tool);
  std::fflush(stdout);
  const int raw = std::system(cmd.c_str());
  const int status = raw == -1 ? -1 : (WIFEXITED(raw) ? WEXITSTATUS(raw) : 128);
  // The tool's own one-line message ("export_onnx: ...") and its result (a JSON line).
  std::string message, meta, last;
  {
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("export_onnx: ", 0) == 0) message = line.substr(13);
      if (!line.empty() && line[0] == '{') meta = line;
      if (!line.empty()) last = line;
    }
  }
  std::error_code ec;
  if (status == 0) {
    fs::remove(log, ec);
    fmt::print("wrote {}\n{}\n", out, meta);
    return kExitOk;
  }
  if (status == 127) throw Error(fmt::format("'{}' was not found; set NGBENCH_PYTHON to a Python 3 interpreter", python));
  if (status == 3) throw Error("the ONNX export tool has " + message);
  if (status == 2) throw Error(message.empty() ? last : message);
  throw Error(fmt::format("export failed: {} (full log: {})", message.empty() ? last : message, log.string()));
}

}  // namespace

Command export_command() {
  return {"export", "export a reference model to ONNX for flow ort (runs tools/export_onnx.py)",
          [](CLI::App& app, const std::string&) -> Action {
            auto o = std::make_shared<ExportOptions>();
            app.add_option("-m,--model", o->model,
                           "model: gpt2, gpt2-large, gpt2-xl, gpt2-tiny, bert-base-uncased, bert-tiny, vit_b_16, "
                           "swin_t, segformer-b0")
                ->required();
            app.add_option("--format", o->format, "export format")->check(CLI::IsMember({"onnx"}))->capture_default_str();
            app.add_option("-o,--out", o->out, "output file (default onnx/<model>.onnx, where --flow ort looks)");
            app.add_option("-b,--batch", o->batch, "batch of the example input (the dimension stays dynamic)")
                ->capture_default_str();
            app.add_option("-s,--seq-len", o->seq_len,
                           "sequence length of the example input (stays dynamic); 0: the model's default")
                ->capture_default_str();
            return [o] { return run_export(*o); };
          }};
}

}  // namespace ngbench::cli
