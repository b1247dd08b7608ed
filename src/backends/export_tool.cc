#include "backends/export_tool.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/error.h"

#ifndef NGBENCH_TOOLS_DIR
#define NGBENCH_TOOLS_DIR "tools"
#endif
#ifndef NGBENCH_PYTHON_DEFAULT
#define NGBENCH_PYTHON_DEFAULT "python3"
#endif

namespace ngbench::backends {

namespace {

namespace fs = std::filesystem;

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

// The export tool: $NGBENCH_TOOLS_DIR, else the source tree this binary was built from.
std::string tool_path(const std::string& format) {
  const char* env = std::getenv("NGBENCH_TOOLS_DIR");
  const fs::path tool = fs::path(env && *env ? env : NGBENCH_TOOLS_DIR) / ("export_" + format + ".py");
  std::error_code ec;
  if (!fs::is_regular_file(tool, ec)) {
    throw Error(fmt::format("the export tool {} is missing; set NGBENCH_TOOLS_DIR to the tools/ directory of an "
                            "ngbench source tree",
                            tool.string()));
  }
  return tool.string();
}

}  // namespace

std::string run_export_tool(const ExportRequest& o) {
  const std::string tool = tool_path(o.format);
  const char* py_env = std::getenv("NGBENCH_PYTHON");
  const std::string python = py_env && *py_env ? py_env : NGBENCH_PYTHON_DEFAULT;
  const std::string& out = o.out;
  const fs::path log = fs::temp_directory_path() / fmt::format("ngbench-export-{}.log", ::getpid());
  const std::string cmd =
      fmt::format("{} {} --model {} --out {} --batch {} --seq-len {} > {} 2>&1", quote(python), quote(tool),
                  quote(o.model), quote(out), o.batch, o.seq_len, quote(log.string()));
  std::printf("exporting %s to %s with %s (this takes a while)\n", o.model.c_str(), out.c_str(), tool.c_str());
  std::fflush(stdout);
  const int raw = std::system(cmd.c_str());
  const int status = raw == -1 ? -1 : (WIFEXITED(raw) ? WEXITSTATUS(raw) : 128);
  // The tool's own one-line message ("export_onnx: ...") and its result (a JSON line).
  const std::string prefix = "export_" + o.format + ": ";
  std::string message, meta, last;
  {
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(prefix, 0) == 0) message = line.substr(prefix.size());
      if (!line.empty() && line[0] == '{') meta = line;
      if (!line.empty()) last = line;
    }
  }
  std::error_code ec;
  if (status == 0) {
    fs::remove(log, ec);
    return meta;
  }
  if (status == 127) throw Error(fmt::format("'{}' was not found; set NGBENCH_PYTHON to a Python 3 interpreter", python));
  if (status == 3) throw Error("the export tool has " + message);
  if (status == 2) throw Error(message.empty() ? last : message);
  throw Error(fmt::format("export failed: {} (full log: {})", message.empty() ? last : message, log.string()));
}


}  // namespace ngbench::backends
