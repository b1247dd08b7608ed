#include "backends/ort/ort_config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>

#include "core/error.h"
#include "core/result_name.h"

namespace ngbench::onnx {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

bool contains_any(const std::string& text, std::initializer_list<const char*> words) {
  const std::string t = lower(text);
  for (const char* w : words) {
    if (t.find(w) != std::string::npos) return true;
  }
  return false;
}

bool is_integer(int32_t t) {
  return t == kInt64 || t == kInt32 || t == kInt16 || t == kInt8 || t == kUint8 || t == kUint16 ||
         t == kUint32 || t == kUint64;
}

bool is_float(int32_t t) { return t == kFloat || t == kFloat16 || t == kDouble || t == kBfloat16; }

std::string join_dims(const std::vector<int64_t>& d) {
  std::string s;
  for (size_t i = 0; i < d.size(); ++i) s += (i ? "x" : "") + std::to_string(d[i]);
  return s;
}

std::string describe_dims(const ValueInfo& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.dims.size(); ++i) {
    const Dim& d = v.dims[i];
    s += (i ? "," : "") + (d.fixed() ? std::to_string(d.value) : (d.param.empty() ? "?" : d.param));
  }
  return s + "]";
}

// "name=1x3x224x224" -> (name, dims); throws naming the bad item.
std::pair<std::string, std::vector<int64_t>> parse_shape(const std::string& item) {
  const auto eq = item.rfind('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
    throw Error("--shape '" + item + "' is malformed; use NAME=D1xD2x... (e.g. pixel_values=1x3x224x224)");
  }
  std::vector<int64_t> dims;
  const std::string spec = item.substr(eq + 1);
  size_t begin = 0;
  while (true) {
    const size_t x = spec.find('x', begin);
    const std::string part = spec.substr(begin, x - begin);
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() || v < 1) {
      throw Error("--shape '" + item + "': dimension '" + part + "' is not a positive integer");
    }
    dims.push_back(v);
    if (x == std::string::npos) break;
    begin = x + 1;
  }
  return {item.substr(0, eq), dims};
}

std::map<std::string, std::vector<int64_t>> parse_shapes(const Model& model, const std::vector<std::string>& shapes,
                                                         const std::string& source) {
  std::map<std::string, std::vector<int64_t>> out;
  for (const auto& item : shapes) {
    auto [name, dims] = parse_shape(item);
    bool known = false;
    std::string valid;
    for (const auto& in : model.inputs) {
      known = known || in.name == name;
      valid += (valid.empty() ? "" : ", ") + in.name;
    }
    if (!known) throw Error("--shape names input '" + name + "', which " + source + " does not have; inputs: " + valid);
    out[name] = dims;
  }
  return out;
}

// Whether dynamic dimension `i` of input `v` is a sequence length.
bool is_sequence_dim(const ValueInfo& v, size_t i) {
  if (i == 0) return false;
  if (contains_any(v.dims[i].param, {"seq", "len", "token", "position", "past", "total"})) return true;
  return is_integer(v.elem_type) && v.dims.size() == 2 && i == 1;
}

// Vocabulary size behind token-id input `name`: the row count of the initializer
// that a Gather takes rows of with it (the embedding table). 0 when not found.
int64_t vocab_of(const Model& model, const std::string& name) {
  std::map<std::string, const Initializer*> inits;
  for (const auto& t : model.initializers) inits[t.name] = &t;
  int64_t vocab = 0;
  for (const auto& n : model.nodes) {
    if (n.op_type != "Gather" || n.inputs.size() < 2 || n.inputs[1] != name) continue;
    const auto it = inits.find(n.inputs[0]);
    if (it == inits.end() || it->second->dims.empty()) continue;
    const int64_t rows = it->second->dims[0];
    vocab = vocab == 0 ? rows : std::min(vocab, rows);
  }
  return vocab;
}

}  // namespace

const std::vector<std::string>& graph_opt_levels() {
  static const std::vector<std::string> levels = {"disabled", "basic", "extended", "all"};
  return levels;
}

std::string graph_opt(const RunConfig& config) {
  return backend_option(config.backend_options, kOptGraphOpt, kDefaultGraphOpt);
}

std::vector<std::string> shapes(const RunConfig& config) {
  return backend_option_list(config.backend_options, kOptShape);
}

std::string default_onnx_path(const std::string& model) { return "onnx/" + model + ".onnx"; }

std::string onnx_path(const RunConfig& config) {
  return config.model_file.empty() ? default_onnx_path(config.model) : config.model_file;
}

std::string kept_files_prefix(const RunConfig& c) {
  return (fs::path(c.out_dir) / "ort-files" / result_stem(c)).string();
}

bool takes_seq_len(const Model& model, const std::vector<std::string>& shapes) {
  std::set<std::string> given;
  for (const auto& s : shapes) given.insert(s.substr(0, s.rfind('=')));
  for (const auto& v : model.inputs) {
    if (given.count(v.name)) continue;
    for (size_t i = 0; i < v.dims.size(); ++i) {
      if (!v.dims[i].fixed() && is_sequence_dim(v, i)) return true;
    }
  }
  return false;
}

std::vector<InputBinding> bind_inputs(const Model& model, int64_t batch, int64_t seq_len,
                                      const std::vector<std::string>& shapes, const std::string& source) {
  const auto explicit_shapes = parse_shapes(model, shapes, source);
  std::vector<InputBinding> out;
  for (const auto& v : model.inputs) {
    InputBinding b;
    b.name = v.name;
    b.elem_type = v.elem_type;
    if (!is_integer(v.elem_type) && !is_float(v.elem_type) && v.elem_type != kBool) {
      throw Error(source + ": input '" + v.name + "' has type " + elem_type_name(v.elem_type) +
                  ", which ngbench cannot fill (numbers and bool only)");
    }
    const auto given = explicit_shapes.find(v.name);
    if (given != explicit_shapes.end()) {
      if (v.has_shape && given->second.size() != v.dims.size()) {
        throw Error("--shape " + v.name + "=" + join_dims(given->second) + " has rank " +
                    std::to_string(given->second.size()) + " but the input is " + describe_dims(v));
      }
      for (size_t i = 0; v.has_shape && i < v.dims.size(); ++i) {
        if (v.dims[i].fixed() && v.dims[i].value != given->second[i]) {
          throw Error("--shape " + v.name + "=" + join_dims(given->second) + " contradicts the model's fixed shape " +
                      describe_dims(v));
        }
      }
      b.shape = given->second;
    } else {
      if (!v.has_shape) {
        throw Error(source + ": input '" + v.name + "' has no shape in the model; give it with --shape " + v.name +
                    "=D1xD2x...");
      }
      for (size_t i = 0; i < v.dims.size(); ++i) {
        const Dim& d = v.dims[i];
        if (d.fixed()) {
          if (i == 0 && v.dims.size() > 1 && d.value != batch) {
            throw Error(source + ": input '" + v.name + "' " + describe_dims(v) + " has a fixed batch of " +
                        std::to_string(d.value) + "; use --batch " + std::to_string(d.value) +
                        " (or re-export it with a dynamic batch)");
          }
          b.shape.push_back(d.value);
        } else if (i == 0) {
          b.shape.push_back(batch);
        } else if (is_sequence_dim(v, i)) {
          if (seq_len < 1) {
            throw Error(source + ": input '" + v.name + "' " + describe_dims(v) +
                        " has a dynamic sequence dimension; give --seq-len N");
          }
          b.shape.push_back(seq_len);
        } else {
          throw Error(source + ": input '" + v.name + "' " + describe_dims(v) + " has dynamic dimension " +
                      std::to_string(i) + (d.param.empty() ? "" : " ('" + d.param + "')") +
                      "; give the whole shape with --shape " + v.name + "=D1xD2x...");
        }
      }
    }
    if (is_integer(v.elem_type)) {
      if (contains_any(v.name, {"mask"})) {
        b.fill = Fill::kOnes;
      } else if (contains_any(v.name, {"token_type", "segment"})) {
        b.fill = Fill::kZeros;
      } else if (contains_any(v.name, {"position"})) {
        b.fill = Fill::kPositions;
      } else {
        b.fill = Fill::kTokens;
        b.vocab = vocab_of(model, v.name);
        // Without an embedding table in sight, small ids are valid for any vocabulary.
        if (b.vocab <= 0) b.vocab = 100;
      }
    } else if (v.elem_type == kBool) {
      b.fill = Fill::kOnes;
    } else {
      b.fill = Fill::kRandom;
    }
    out.push_back(std::move(b));
  }
  return out;
}

RunConfig validate_config(const RunConfig& config, const std::optional<RegistryInfo>& registry) {
  RunConfig c = config;
  const auto& levels = graph_opt_levels();
  const std::string level = graph_opt(c);
  if (std::find(levels.begin(), levels.end(), level) == levels.end()) {
    std::string valid;
    for (const auto& l : levels) valid += (valid.empty() ? "" : ", ") + l;
    throw Error("unknown graph optimization level '" + level + "'; valid: " + valid);
  }
  c.backend_options[kOptGraphOpt] = {level};  // results record the level that ran
  if (c.layers != 0) {
    throw Error("--layers builds part of a built-in model; flow ort runs the whole ONNX file (omit --layers)");
  }
  if (!c.attention.empty()) {
    throw Error("--attention " + c.attention + " picks how a built-in model is written; flow ort runs the ONNX file "
                "as exported (omit --attention)");
  }
  if (c.quant != RunConfig().quant || c.int8_outliers != RunConfig().int8_outliers) {
    throw Error("--quant " + c.quant + " quantizes a built-in model's projections as it is built; flow ort runs the "
                "ONNX file as exported (omit --quant and --int8-outliers, or use --flow eager)");
  }
  if (!c.text_file.empty() || !c.images.empty() || c.score_threshold >= 0) {
    throw Error(std::string("flow ort fills the ONNX model's inputs itself (docs/onnxruntime.md); omit ") +
                (!c.text_file.empty() ? "--text" : !c.images.empty() ? "--images" : "--score-threshold"));
  }
  if (c.dtype != "float32") {
    throw Error("flow ort runs the model file as exported (float32); --dtype " + c.dtype + " is not supported");
  }
  const std::string path = onnx_path(c);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    if (!c.model_file.empty()) throw Error("ONNX model file '" + path + "' does not exist");
    if (!registry || !registry->exportable) {
      throw Error("no ONNX file for model " + c.model + " at " + path + " and the export tool cannot make one; pass "
                  "--onnx FILE (ngbench export --list shows what exports)");
    }
    // Exported when the run prepares (the file's inputs are then checked as it is bound).
    if (c.seq_len == 0) c.seq_len = registry->default_seq_len;
    if (registry->max_seq_len > 0 && c.seq_len > registry->max_seq_len) {
      throw Error("sequence length " + std::to_string(c.seq_len) + " is impossible for " + c.model + "; valid: 1 to " +
                  std::to_string(registry->max_seq_len));
    }
    return c;
  }
  const Model model = load_model(path);
  if (model.inputs.empty()) throw Error(path + ": the model has no inputs to feed");
  const std::vector<std::string> explicit_shapes = shapes(c);
  if (takes_seq_len(model, explicit_shapes)) {
    if (c.seq_len == 0 && registry) c.seq_len = registry->default_seq_len;
    if (c.seq_len < 1) {
      throw Error(path + " has a dynamic sequence dimension; give --seq-len N");
    }
    if (registry && registry->max_seq_len > 0 && c.seq_len > registry->max_seq_len) {
      throw Error("sequence length " + std::to_string(c.seq_len) + " is impossible for " + c.model + "; valid: 1 to " +
                  std::to_string(registry->max_seq_len));
    }
  } else if (c.seq_len != 0) {
    throw Error("model " + c.model + " (" + path + ") takes no sequence length (got " + std::to_string(c.seq_len) +
                "); omit --seq-len");
  }
  bind_inputs(model, c.batch, c.seq_len, explicit_shapes, path);  // throws for inputs that cannot be bound
  return c;
}

int64_t model_bytes_on_disk(const std::string& path) {
  std::error_code ec;
  int64_t total = static_cast<int64_t>(fs::file_size(path, ec));
  if (ec) return 0;
  std::set<std::string> locations;
  for (const auto& t : load_model(path).initializers) {
    if (!t.external_location.empty()) locations.insert(t.external_location);
  }
  for (const auto& loc : locations) {
    const auto size = fs::file_size(fs::path(path).parent_path() / loc, ec);
    if (!ec) total += static_cast<int64_t>(size);
  }
  return total;
}

}  // namespace ngbench::onnx
