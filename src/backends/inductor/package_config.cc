#include "backends/inductor/package_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/error.h"
#include "core/file_hash.h"

namespace ngbench::inductor {

namespace {

namespace fs = std::filesystem;

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string isa_key(const Machine& m) { return sha256_hex(join(m.cpu_flags, " ")).substr(0, 8); }

// The fix for a package that does not fit: a cached one is made again by deleting it; a given one by exporting.
std::string fix_for(const RunConfig& c, const std::string& file) {
  if (c.model_file.empty()) {
    return fmt::format("delete {} (the next run exports it again), or run ngbench export --format aoti --model {}",
                       file, c.model);
  }
  return "export it again for this configuration (ngbench export --format aoti --out FILE.pt2 ...) or change the "
         "run's options to the package's";
}

}  // namespace

const std::vector<std::string>& isa_flags() {
  static const std::vector<std::string> flags = {
      "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512vl", "avx512bw", "avx512_vnni",
      "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8", "asimd", "sve", "sve2"};
  return flags;
}

std::vector<std::string> parse_cpu_flags(const std::string& cpuinfo) {
  std::istringstream in(cpuinfo);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("flags", 0) != 0 && line.rfind("Features", 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::istringstream words(line.substr(colon + 1));
    std::vector<std::string> have;
    for (std::string w; words >> w;) have.push_back(w);
    std::vector<std::string> out;
    for (const auto& f : isa_flags()) {
      if (std::find(have.begin(), have.end(), f) != have.end()) out.push_back(f);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  return {};
}

Machine this_machine(const std::string& torch_version) {
  Machine m;
  m.torch_version = torch_version;
  std::ifstream in("/proc/cpuinfo");
  std::ostringstream text;
  text << in.rdbuf();
  m.cpu_flags = parse_cpu_flags(text.str());
  m.logical_cpus = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  return m;
}

std::string freezing(const RunConfig& config) {
  return backend_option(config.backend_options, kOptFreezing, kDefaultFreezing);
}

int64_t threads_in_effect(const RunConfig& config, const Machine& machine) {
  return config.threads > 0 ? config.threads : machine.logical_cpus;
}

std::string package_path(const RunConfig& c, const Machine& m) {
  if (!c.model_file.empty()) return c.model_file;
  std::string key = fmt::format("{}__{}__{}__b{}__s{}", c.model, c.device, c.dtype, c.batch, c.seq_len);
  if (c.layers > 0) key += fmt::format("__l{}", c.layers);
  if (!c.attention.empty()) key += "__attn-" + c.attention;
  key += fmt::format("__t{}__freezing-{}__torch{}", threads_in_effect(c, m), freezing(c), m.torch_version);
  if (c.device == "cpu") key += "__isa" + isa_key(m);
  return (fs::path(kCacheDir) / c.model / (key + ".pt2")).string();
}

std::vector<std::string> export_arguments(const RunConfig& c, const Machine& m) {
  std::vector<std::string> args = {"--dtype",   c.dtype, "--device", c.device, "--threads",
                                   std::to_string(threads_in_effect(c, m)), "--freezing", freezing(c)};
  if (c.layers > 0) args.insert(args.end(), {"--layers", std::to_string(c.layers)});
  if (!c.attention.empty()) args.insert(args.end(), {"--attention", c.attention});
  return args;
}

RunConfig validate_config(const RunConfig& config, const std::optional<RegistryInfo>& registry) {
  RunConfig c = config;
  const std::string f = freezing(c);
  if (f != "on" && f != "off") throw Error("--freezing " + f + " is invalid; valid: on, off");
  c.backend_options[kOptFreezing] = {f};
  if (!c.text_file.empty() || !c.images.empty() || c.score_threshold >= 0) {
    throw Error(std::string("flow inductor feeds the package random inputs of the exported shapes "
                            "(docs/inductor.md); omit ") +
                (!c.text_file.empty() ? "--text" : !c.images.empty() ? "--images" : "--score-threshold"));
  }
  if (c.quant != RunConfig().quant || c.int8_outliers != RunConfig().int8_outliers) {
    throw Error("--quant " + c.quant + " quantizes a built-in model's projections as it is built; flow inductor "
                "runs the package as compiled (omit --quant and --int8-outliers, or use --flow eager)");
  }
  if (c.dtype != "float32" && c.dtype != "bfloat16" && c.dtype != "float16") {
    throw Error("dtype '" + c.dtype + "' is not supported by flow inductor; valid: float32, bfloat16, float16");
  }
  if (!registry) {  // --aoti FILE: the package's own settings are checked against its sidecar when it is read
    if (c.layers != 0) throw Error("--layers builds part of a built-in model; --aoti runs the package as compiled");
    return c;
  }
  if (registry->takes_seq_len) {
    if (c.seq_len == 0) c.seq_len = registry->default_seq_len;
    if (c.seq_len < 1 || (registry->max_seq_len > 0 && c.seq_len > registry->max_seq_len)) {
      throw Error(fmt::format("sequence length {} is impossible for {}; valid: 1 to {}", c.seq_len, c.model,
                              registry->max_seq_len));
    }
  } else if (c.seq_len != 0) {
    throw Error(fmt::format("model {} takes no sequence length (got {}); omit --seq-len", c.model, c.seq_len));
  }
  if (c.layers != 0 && (!registry->text || c.layers < 0 || c.layers > registry->layers)) {
    throw Error(registry->text ? fmt::format("--layers {} is invalid for {}; valid: 1 to {}", c.layers, c.model,
                                             registry->layers)
                               : fmt::format("--layers applies to the language models on flow inductor; {} is "
                                             "compiled whole (omit --layers)", c.model));
  }
  if (registry->default_attention.empty()) {
    if (!c.attention.empty()) throw Error("--attention does not apply to " + c.model + "; omit it");
  } else {
    if (c.attention.empty()) c.attention = registry->default_attention;
    if (c.attention != "sdpa" && c.attention != "eager") {
      throw Error("--attention " + c.attention + " is invalid; valid: sdpa, eager");
    }
  }
  return c;
}

void check_package(const Sidecar& s, const RunConfig& c, const Machine& m, int64_t package_bytes) {
  const std::string& file = s.path;
  auto differs = [&](const std::string& what, const std::string& package, const std::string& run) {
    throw Error(fmt::format("{}: compiled for {} {}, this run has {}; {}", file, what, package, run, fix_for(c, file)));
  };
  if (package_bytes != s.package_bytes) {
    throw Error(fmt::format("{}: the package {} has {} bytes, its sidecar says {} (truncated or replaced); {}", file,
                            s.package, package_bytes, s.package_bytes, fix_for(c, file)));
  }
  if (s.torch != m.torch_version) differs("torch", s.torch, m.torch_version);
  if (s.device != c.device) differs("device", s.device, c.device);
  if (s.device == "cpu" && s.cpu_flags != m.cpu_flags) {
    differs("the CPU ISA", fmt::format("'{}' (flags {})", s.cpu_isa, join(s.cpu_flags, " ")),
            "flags " + join(m.cpu_flags, " "));
  }
  if (s.device == "cpu" && s.threads != threads_in_effect(c, m)) {
    differs("threads", std::to_string(s.threads), std::to_string(threads_in_effect(c, m)) + " (--threads)");
  }
  if (s.dtype != c.dtype) differs("dtype", s.dtype, c.dtype);
  if (s.batch != c.batch) differs("batch", std::to_string(s.batch), std::to_string(c.batch));
  if (s.seq_len != c.seq_len) differs("sequence length", std::to_string(s.seq_len), std::to_string(c.seq_len));
  if (s.freezing != (freezing(c) == "on")) {
    differs("freezing", s.freezing ? "on" : "off", freezing(c) + " (--freezing)");
  }
  if (c.model_file.empty()) {
    if (s.model != c.model) differs("model", s.model, c.model);
    if (s.layers != c.layers) differs("layers", std::to_string(s.layers), std::to_string(c.layers));
    if (s.attention != c.attention) differs("attention", s.attention, c.attention);
  }
}

}  // namespace ngbench::inductor
