#include "cli/options.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <filesystem>
#include <map>
#include <type_traits>

#include "backends/backend.h"

namespace ngbench::cli {

namespace {

// A default as --help shows it: integers as such, other numbers without trailing zeros.
template <typename T>
std::string fmt_default(T v) {
  if constexpr (std::is_integral_v<T>) {
    return std::to_string(v);
  } else {
    std::ostringstream os;
    os << v;
    return os.str();
  }
}

// Parses one number strictly; throws CLI::ValidationError naming the flag,
// the value and, when it is out of the type's range, the range.
template <typename T>
T parse_number(const std::string& text, const std::string& flag) {
  if constexpr (std::is_floating_point_v<T>) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) throw CLI::ValidationError(flag, "'" + text + "' is not a number");
    if (!std::isfinite(v)) throw CLI::ValidationError(flag, "'" + text + "' is not a finite number");
    return static_cast<T>(v);
  } else {
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range) {
      throw CLI::ValidationError(flag, "'" + text + "' is out of range; valid: " +
                                           std::to_string(std::numeric_limits<T>::min()) + " to " +
                                           std::to_string(std::numeric_limits<T>::max()));
    }
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      throw CLI::ValidationError(flag, "'" + text + "' is not an integer");
    }
    return value;
  }
}

// A single value stored in RunConfig; numbers parsed strictly (parse_number).
template <typename T>
OptionRow::Bind field(T RunConfig::*member) {
  return [member](CLI::App& app, const char* flags, const std::string& help, SweepConfig& s) -> CLI::Option* {
    if constexpr (std::is_arithmetic_v<T>) {
      std::string shown = fmt_default(s.base.*member);
      const std::string flag = flags;
      return app
          .add_option_function<std::string>(
              flags, [member, &s, flag](const std::string& v) { s.base.*member = parse_number<T>(v, flag); }, help)
          ->default_str(shown);
    } else {
      return app.add_option(flags, s.base.*member, help)->capture_default_str();
    }
  };
}

// Parses one list item strictly; throws CLI::ValidationError naming the item.
template <typename T>
T parse_item(const std::string& item, const std::string& flag) {
  if (item.empty()) throw CLI::ValidationError(flag, "empty item in the list");
  if constexpr (std::is_same_v<T, std::string>) {
    return item;
  } else {
    return parse_number<T>(item, flag);
  }
}

// A swept list stored in SweepConfig: comma-separated and repeatable
// ("-b 1,8" or "-b 1 -b 8"); an empty or malformed item is an error.
template <typename T>
OptionRow::Bind list(std::vector<T> SweepConfig::*member) {
  return [member](CLI::App& app, const char* flags, const std::string& help, SweepConfig& s) {
    std::string shown;
    for (const auto& v : s.*member) {
      if constexpr (std::is_same_v<T, std::string>) {
        shown += (shown.empty() ? "" : ",") + v;
      } else {
        shown += (shown.empty() ? "" : ",") + std::to_string(v);
      }
    }
    const std::string flag = flags;
    auto* opt = app.add_option_function<std::vector<std::string>>(
        flags,
        [member, &s, flag](const std::vector<std::string>& raw) {
          std::vector<T> values;
          for (const auto& arg : raw) {
            size_t begin = 0;
            while (true) {
              const size_t comma = arg.find(',', begin);
              values.push_back(parse_item<T>(arg.substr(begin, comma - begin), flag));
              if (comma == std::string::npos) break;
              begin = comma + 1;
            }
          }
          s.*member = std::move(values);
        },
        help);
    return opt->default_str(shown);
  };
}

// A flag that sets a RunConfig bool to `value`.
OptionRow::Bind set_flag(bool RunConfig::*member, bool value) {
  return [member, value](CLI::App& app, const char* flags, const std::string& help, SweepConfig& s) {
    return app.add_flag_callback(flags, [&s, member, value] { s.base.*member = value; }, help);
  };
}

// --int8-outliers N|detected into RunConfig::int8_outliers (kInt8OutliersDetected for "detected").
OptionRow::Bind int8_outliers() {
  return [](CLI::App& app, const char* flags, const std::string& help, SweepConfig& s) {
    const std::string flag = flags;
    return app
        .add_option_function<std::string>(
            flags,
            [&s, flag](const std::string& v) {
              if (v == "detected") {
                s.base.int8_outliers = kInt8OutliersDetected;
                return;
              }
              const std::string valid = "; valid: a number of columns (0 or more) or detected";
              int64_t n = -1;
              try {
                n = parse_number<int64_t>(v, flag);
              } catch (const CLI::ValidationError&) {
                throw CLI::ValidationError(flag, "'" + v + "' is neither a number nor 'detected'" + valid);
              }
              if (n < 0) throw CLI::ValidationError(flag, "'" + v + "' is invalid" + valid);
              s.base.int8_outliers = n;
            },
            help)
        ->default_str(std::to_string(s.base.int8_outliers));
  };
}

OptionRow::Bind quiet() {
  return [](CLI::App& app, const char* flags, const std::string& help, SweepConfig& s) {
    return app.add_flag_callback(flags, [&s] { s.quiet = true; }, help);
  };
}

// An option a backend declares (backends/backend.h), stored in
// RunConfig::backend_options under its name.
CLI::Option* add_backend_option(CLI::App& app, const backends::FlowOption& f, SweepConfig& s, CLI::App* parent) {
  using Kind = backends::BackendOption::Kind;
  const backends::BackendOption& o = f.option;
  const std::string flags = "--" + o.name;
  switch (o.kind) {
    case Kind::kValue:
      return app.add_option_function<std::string>(
          flags, [&s, name = o.name](const std::string& v) { s.base.backend_options[name] = {v}; }, o.help);
    case Kind::kList:
      return app
          .add_option_function<std::vector<std::string>>(
              flags, [&s, name = o.name](const std::vector<std::string>& v) { s.base.backend_options[name] = v; },
              o.help)
          ->expected(1)
          ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    case Kind::kFlag:
      return app.add_flag_callback(flags, [&s, name = o.name] { s.base.backend_options[name] = {"true"}; }, o.help);
    case Kind::kModelFile:
      // The model is the file, named by its file name, on this flow unless --flow says otherwise.
      return app.add_option_function<std::string>(
          flags,
          [&s, parent, flow = f.flow](const std::string& path) {
            s.base.model_file = path;
            s.models = {std::filesystem::path(path).filename().string()};
            if (parent->count("--flow") == 0) s.base.flow = flow;
          },
          o.help);
  }
  return nullptr;
}

}  // namespace

const std::vector<OptionRow>& run_options() {
  static const std::vector<OptionRow> rows = {
      {"-m,--model", "NAME[,NAME...]", "models to run (ngbench list models)", list(&SweepConfig::models)},
      {"-b,--batch", "N[,N...]", "batch sizes", list(&SweepConfig::batches)},
      {"-s,--seq-len", "N[,N...]", "sequence lengths of text models; 0 is each model's default",
       list(&SweepConfig::seq_lens)},
      {"--layers", "N", "build N of the model's repeated layers and scale their time to the full depth; 0: all",
       field(&RunConfig::layers)},
      {"--attention", "NAME", "Hugging Face models' attention implementation: eager or sdpa; default: the "
       "model's (ngbench list models)", field(&RunConfig::attention)},
      {"--quant", "SCHEME[,SCHEME...]", "quantize the decoder layers' linear projections (the LM head stays in "
       "--dtype): none, int8-lt (LLM.int8(), bitsandbytes), int8-dynamic, int8-weight (torchao), int8-fbgemm (CPU), "
       "fp8 (CUDA); docs/quantization.md", list(&SweepConfig::quants)},
      {"--int8-outliers", "N|detected", "int8-lt: outlier columns per quantized Linear, a fixed seeded set (the "
       "detection still runs on the data), or detected: the columns the data has (threshold 6.0)",
       int8_outliers()},
      {"--phase", "NAME[,NAME...]", "text decoders (gpt2, llama, mixtral): prefill (one forward over --seq-len "
       "tokens) or decode (a --seq-len-token context, not timed, then --gen-tokens greedy steps of one token over "
       "the KV cache, each step timed and profiled); docs/decode.md", list(&SweepConfig::phases)},
      {"--kv-cache", "on|off", "prefill of a text decoder: fill Hugging Face's DynamicCache as its forward does by "
       "default (on) or not (off, use_cache=False); default: on where the model has one", field(&RunConfig::kv_cache)},
      {"--gen-tokens", "N", "decode: tokens generated per sequence; a step's context grows from --seq-len to "
       "--seq-len + N - 1", field(&RunConfig::gen_tokens)},
      {"--images", "PATH", "image file or directory for vision models (default: the shipped photographs)",
       field(&RunConfig::images)},
      {"--text", "FILE", "text models: token ids from this file's UTF-8 bytes (byte mod vocab, repeated to the "
       "sequence length) instead of random ids", field(&RunConfig::text_file)},
      {"--score-threshold", "X", "detection models' box score threshold (emulate a trained model's detections)",
       field(&RunConfig::score_threshold)},
      {"--flow", "NAME", "execution flow (ngbench list flows); its own options follow under its name",
       field(&RunConfig::flow)},
      {"--device", "NAME", "device to run on", field(&RunConfig::device)},
      {"--dtype", "NAME", "float32, bfloat16 or float16", field(&RunConfig::dtype)},
      {"-t,--threads", "N", "intra-op threads; 0 is one per logical CPU", field(&RunConfig::threads)},
      {"--allocator", "MODE", "heap policy: retain (freed memory stays in the process: steady-state operator "
       "times) or system (the C library's defaults, as in a stock Python process: large element-wise ops pay "
       "page faults)", field(&RunConfig::allocator)},
      {"--warmup", "N", "warm-up iterations at least, before each phase; then until the iteration times stop "
       "drifting", field(&RunConfig::warmup)},
      {"--warmup-time", "S", "seconds a phase's warm-up may go on waiting for stable iteration times",
       field(&RunConfig::warmup_max_s)},
      {"--iters", "N", "timed iterations at least (observer off); decode: sequences of --gen-tokens steps", field(&RunConfig::iters)},
      {"--min-time", "S", "the timed phase runs for at least S seconds", field(&RunConfig::min_time_s)},
      {"--max-time", "S", "past --iters, the timed phase goes on until the median's 95% interval is within "
       "--target-ci, for at most S seconds", field(&RunConfig::max_time_s)},
      {"--target-ci", "X", "relative half-width of the median's 95% interval the timed phase aims for (0.02: 2%)",
       field(&RunConfig::target_ci)},
      {"--strict", "", "an unstable result (the tool's own verdict: interval, bimodality, drift, other load, "
       "overhead, coverage) is a failed one", set_flag(&RunConfig::strict, true)},
      {"--profile-iters", "N", "profiled iterations (observer on); decode: sequences of --gen-tokens steps", field(&RunConfig::profile_iters)},
      {"--seed", "N", "seed of weights and inputs", field(&RunConfig::seed)},
      {"--no-shapes", "", "do not record operator input shapes (less observer overhead)",
       set_flag(&RunConfig::record_shapes, false)},
      {"--raw-trace", "", "also write every raw record to <out>/raw/ (for debugging attribution)",
       set_flag(&RunConfig::raw_trace, true)},
      {"--taxonomy", "FILE", "rule file replacing the flow's built-in taxonomy", field(&RunConfig::taxonomy_file)},
      {"-o,--out", "DIR", "directory for result files", field(&RunConfig::out_dir)},
      {"-q,--quiet", "", "no progress lines while it runs", quiet()},
      {"--overwrite", "", "replace a result file that holds another configuration (e.g. of an older ngbench whose "
       "file names carried fewer settings); without it such a run is refused", set_flag(&RunConfig::overwrite, true)},
  };
  return rows;
}

void add_run_options(CLI::App& app, SweepConfig& sweep) {
  if (sweep.base.flow.empty()) sweep.base.flow = backends::default_flow();
  for (const auto& row : run_options()) {
    CLI::Option* opt = row.bind(app, row.flags, row.help, sweep);
    if (row.hint[0] != '\0') opt->type_name(row.hint);
  }
  // Each flow's own options, under a heading of their own.
  std::map<std::string, CLI::Option_group*> groups;
  CLI::Option* model = app.get_option_no_throw("--model");
  for (const auto& f : backends::backend_options()) {
    auto& group = groups[f.flow];
    if (group == nullptr) group = app.add_option_group("flow " + f.flow, "options of flow " + f.flow);
    CLI::Option* opt = add_backend_option(*group, f, sweep, &app);
    if (!f.option.hint.empty()) opt->type_name(f.option.hint);
    if (f.option.kind == backends::BackendOption::Kind::kModelFile && model) opt->excludes(model);
  }
}

}  // namespace ngbench::cli
