#pragma once
// What a configuration of flow inductor means, decided without libtorch: its
// own options, which package it runs (a package of a built-in model lives in a
// cache keyed by every setting the compile fixes), the arguments of the export
// that makes it, and whether a package fits the configuration and this machine.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backends/inductor/sidecar.h"
#include "core/run_config.h"

namespace ngbench::inductor {

// The flow's own options (RunConfig::backend_options), declared in its registry entry.
inline constexpr const char* kOptAoti = "aoti";          // --aoti FILE.pt2: run this package (sidecar FILE.json)
inline constexpr const char* kOptFreezing = "freezing";  // --freezing on|off
inline constexpr const char* kDefaultFreezing = "on";
inline constexpr const char* kExportFormat = "aoti";
inline constexpr const char* kCacheDir = "aoti";         // packages of built-in models: aoti/<model>/<key>.pt2

// The CPU flags that decide the vector ISA of Inductor's C++ kernels; equal to
// tools/export_aoti.py's ISA_FLAGS (a test checks).
const std::vector<std::string>& isa_flags();

// The ISA-relevant flags among a /proc/cpuinfo text's first "flags" (x86) or
// "Features" (Arm) line, sorted.
std::vector<std::string> parse_cpu_flags(const std::string& cpuinfo);

// What the package must match on this machine.
struct Machine {
  std::string torch_version;           // the libtorch ngbench runs ("2.11.0+cu130")
  std::vector<std::string> cpu_flags;  // parse_cpu_flags(/proc/cpuinfo)
  int logical_cpus = 1;
};

// This machine (reads /proc/cpuinfo).
Machine this_machine(const std::string& torch_version);

// What the model registry says about a built-in model (nullopt for --aoti FILE).
struct RegistryInfo {
  bool takes_seq_len = false;
  int64_t default_seq_len = 0;
  int64_t max_seq_len = 0;
  int64_t layers = 0;                  // repeated layers of the full model
  bool text = false;                   // a language model (--layers applies on this flow)
  std::string default_attention;       // "" when --attention does not apply
};

// "on" or "off" (the default: on).
std::string freezing(const RunConfig& config);

// Threads the package runs with: --threads, or one per logical CPU for 0.
int64_t threads_in_effect(const RunConfig& config, const Machine& machine);

// The package of a configuration: --aoti FILE, else the cache entry of a built-in model,
// aoti/<model>/<model>__<device>__<dtype>__b<B>__s<S>[__l<N>][__attn-<A>]__t<T>__freezing-<on|off>__torch<V>__isa<H>.pt2
// (H: 8 hex digits of a hash of the CPU's ISA flags).
std::string package_path(const RunConfig& config, const Machine& machine);

// The export tool's arguments for a configuration of a built-in model (after the common
// --model/--out/--batch/--seq-len): dtype, device, threads, freezing, layers, attention.
std::vector<std::string> export_arguments(const RunConfig& config, const Machine& machine);

// The checks of `ngbench run` for a configuration of flow inductor. Resolves the
// flow's options (freezing), seq_len (the model's default; an --aoti package's own)
// and attention (the model's default). Throws ngbench::Error with one line.
RunConfig validate_config(const RunConfig& config, const std::optional<RegistryInfo>& registry);

// Whether a package's sidecar fits a configuration and this machine; throws
// ngbench::Error naming the file, what differs and the fix (export it again, or
// change the option). `package_bytes` is the package's size on disk (a truncated
// or replaced package differs from the sidecar's record).
void check_package(const Sidecar& sidecar, const RunConfig& config, const Machine& machine, int64_t package_bytes);

}  // namespace ngbench::inductor
