#include "backends/export_tool.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

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

// The Python that runs the tools: $NGBENCH_PYTHON, else the project environment's (configured at build time).
std::string python() {
  const char* env = std::getenv("NGBENCH_PYTHON");
  return env && *env ? env : NGBENCH_PYTHON_DEFAULT;
}

}  // namespace

std::string run_export_tool(const ExportRequest& o) {
  const std::string tool = tool_path(o.format);
  const std::string python = ngbench::backends::python();
  const std::string& out = o.out;
  const fs::path log = fs::temp_directory_path() / fmt::format("ngbench-export-{}.log", ::getpid());
  std::string args;
  for (const auto& a : o.args) args += " " + quote(a);
  const std::string cmd =
      fmt::format("{} {} --model {} --out {} --batch {} --seq-len {}{} > {} 2>&1", quote(python), quote(tool),
                  quote(o.model), quote(out), o.batch, o.seq_len, args, quote(log.string()));
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
  if (status == 127) {
    throw Error(fmt::format("'{}' was not found; run scripts/setup.sh (it makes the project's Python environment) or "
                            "set NGBENCH_PYTHON to a Python 3 interpreter with torch",
                            python));
  }
  if (status == 3) throw Error("the export tool has " + message);
  if (status == 2) throw Error(message.empty() ? last : message);
  throw Error(fmt::format("export failed: {} (full log: {})", message.empty() ? last : message, log.string()));
}


const std::vector<std::string>& exportable_models(const std::string& format) {
  static std::map<std::string, std::vector<std::string>> cache;
  const auto hit = cache.find(format);
  if (hit != cache.end()) return hit->second;
  std::vector<std::string>& models = cache[format];
  std::string tool;
  try {
    tool = tool_path(format);
  } catch (const Error&) {
    return models;
  }
  const std::string cmd = fmt::format("{} {} --list-models 2>/dev/null", quote(python()), quote(tool));
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char line[512];
    while (std::fgets(line, sizeof(line), p) != nullptr) {
      std::string name(line);
      name = name.substr(0, name.find_first_of(" \t\n"));
      if (!name.empty()) models.push_back(name);
    }
    ::pclose(p);
  }
  return models;
}

std::map<std::string, std::string> unsupported_models(const std::string& format) {
  std::map<std::string, std::string> out;
  std::string tool;
  try {
    tool = tool_path(format);
  } catch (const Error&) {
    return out;
  }
  const std::string cmd = fmt::format("{} {} --list-unsupported 2>/dev/null", quote(python()), quote(tool));
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char line[2048];
    while (std::fgets(line, sizeof(line), p) != nullptr) {
      std::string s(line);
      const auto tab = s.find('\t');
      if (tab == std::string::npos) continue;
      std::string why = s.substr(tab + 1);
      while (!why.empty() && (why.back() == '\n' || why.back() == '\r')) why.pop_back();
      out[s.substr(0, tab)] = why;
    }
    ::pclose(p);
  }
  return out;
}

void export_on_first_use(const ExportRequest& request) {
  std::error_code ec;
  if (fs::is_regular_file(request.out, ec)) return;
  const fs::path target(request.out);
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const fs::path scratch = dir / fmt::format(".export-{}", ::getpid());
  fs::create_directories(scratch, ec);
  if (ec) throw Error(fmt::format("cannot create '{}' for the export: {}", scratch.string(), ec.message()));
  ExportRequest r = request;
  r.out = (scratch / target.filename()).string();
  std::printf("first use of %s: exporting it once to %s (later runs reuse the file)\n", request.model.c_str(),
              request.out.c_str());
  try {
    run_export_tool(r);
  } catch (...) {
    fs::remove_all(scratch, ec);
    throw;
  }
  // Side files (external weights) first, the model file last: its presence means the export is complete.
  for (const auto& e : fs::directory_iterator(scratch)) {
    if (e.path().filename() != target.filename()) fs::rename(e.path(), dir / e.path().filename());
  }
  fs::rename(scratch / target.filename(), target);
  fs::remove_all(scratch, ec);
}

}  // namespace ngbench::backends
