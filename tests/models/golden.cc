#include "golden.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "observer/observer.h"

namespace ngbench::models::testing {

namespace {

// ngbench's dtype names (the observer's) -> the profiler's (c10's C++ type names).
std::string profiler_dtype(const std::string& dtype) {
  if (dtype == "float32") return "float";
  if (dtype == "float64") return "double";
  if (dtype == "float16") return "c10::Half";
  if (dtype == "bfloat16") return "c10::BFloat16";
  if (dtype == "int64") return "long int";
  if (dtype == "int32") return "int";
  if (dtype == "int16") return "short int";
  if (dtype == "int8") return "signed char";
  if (dtype == "uint8") return "unsigned char";
  return dtype;  // "bool" and anything else
}

std::string type_of(const ArgInfo& a) {
  switch (a.kind) {
    case ArgInfo::Kind::kTensor: return profiler_dtype(a.dtype);
    case ArgInfo::Kind::kScalar: return "Scalar";
    case ArgInfo::Kind::kTensorList: return "TensorList";
    case ArgInfo::Kind::kNone: return "";
    case ArgInfo::Kind::kOther: return "<other>";
  }
  return "?";
}

// A list of equal-length lists of token ids -> int64 [rows, cols].
at::Tensor ids_from_json(const nlohmann::json& rows) {
  std::vector<int64_t> flat;
  int64_t cols = 0;
  for (const auto& row : rows) {
    const auto r = row.get<std::vector<int64_t>>();
    cols = static_cast<int64_t>(r.size());
    flat.insert(flat.end(), r.begin(), r.end());
  }
  return at::tensor(flat, at::kLong).view({static_cast<int64_t>(rows.size()), cols});
}

std::string golden_path(const std::string& file) {
  return std::string(NGBENCH_SOURCE_DIR) + "/tests/models/golden/" + file;
}

}  // namespace

Golden load_golden(const std::string& name) {
  const std::string path = golden_path(name + ".json");
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read golden " + path);
  const nlohmann::json j = nlohmann::json::parse(in);
  if (j.at("schema_version").get<int>() != 1) throw std::runtime_error("unknown golden schema in " + path);
  Golden g;
  g.model = j.at("model").get<std::string>();
  g.reference = j.at("reference").get<std::string>();
  g.attention = j.at("attention").get<std::string>();
  g.batch = j.at("batch").get<int64_t>();
  g.seq_len = j.at("seq_len").get<int64_t>();
  g.parameters = j.at("parameters").get<int64_t>();
  g.config = j.at("config");
  g.dtype = j.value("dtype", std::string("float32"));
  g.experts = j.value("experts", std::string());
  g.weights = j.value("weights", std::string());
  if (j.contains("input_ids")) g.input_ids = ids_from_json(j.at("input_ids"));
  g.phase = j.value("phase", std::string("prefill"));
  g.kv_cache = j.value("kv_cache", false);
  if (j.contains("generated_ids")) g.generated_ids = ids_from_json(j.at("generated_ids"));
  for (const auto& op : j.at("ops")) {
    SeenOp s;
    s.name = op.at("name").get<std::string>();
    // A tensor list's entry could be a list of lists; none of these models has one.
    s.shapes = op.at("input_shapes").get<std::vector<std::vector<int64_t>>>();
    s.types = op.at("input_types").get<std::vector<std::string>>();
    s.module = op.at("module").is_null() ? "" : op.at("module").get<std::string>();
    g.ops.push_back(std::move(s));
  }
  return g;
}

GoldenWeights load_weights(const std::string& stem) {
  const std::string index_path = golden_path(stem + ".weights.json");
  std::ifstream index_in(index_path);
  if (!index_in) throw std::runtime_error("cannot read " + index_path);
  const nlohmann::json index = nlohmann::json::parse(index_in);
  if (index.at("schema_version").get<int>() != 1) throw std::runtime_error("unknown schema in " + index_path);
  const std::string bin_path = golden_path(stem + ".weights.bin");
  std::ifstream bin(bin_path, std::ios::binary);
  if (!bin) throw std::runtime_error("cannot read " + bin_path);
  const std::string blob((std::istreambuf_iterator<char>(bin)), std::istreambuf_iterator<char>());

  GoldenWeights w;
  w.input_ids = ids_from_json(index.at("input_ids"));
  for (const auto& t : index.at("tensors")) {
    const auto name = t.at("name").get<std::string>();
    if (t.at("dtype").get<std::string>() != "float32") throw std::runtime_error(name + ": not float32");
    const auto shape = t.at("shape").get<std::vector<int64_t>>();
    const auto offset = t.at("offset").get<size_t>();
    int64_t numel = 1;
    for (int64_t d : shape) numel *= d;
    const size_t bytes = static_cast<size_t>(numel) * sizeof(float);
    if (offset + bytes > blob.size()) throw std::runtime_error(name + ": past the end of " + bin_path);
    // The file is little-endian float32, as is every machine ngbench runs on.
    at::Tensor tensor = at::empty(shape, at::kFloat);
    std::memcpy(tensor.data_ptr<float>(), blob.data() + offset, bytes);
    if (name == "__logits__") {
      w.logits = tensor;
    } else {
      w.tensors.emplace_back(name, tensor);
    }
  }
  if (!w.logits.defined()) throw std::runtime_error(index_path + " has no __logits__");
  return w;
}

void load_into(Model& model, const GoldenWeights& weights) {
  auto params = model.module().named_parameters(/*recurse=*/true);
  std::set<std::string> loaded;
  at::NoGradGuard no_grad;
  for (const auto& [name, value] : weights.tensors) {
    at::Tensor* p = params.find(name);
    if (p == nullptr) throw std::runtime_error("no parameter " + name + " in the C++ model");
    if (p->sizes() != value.sizes()) throw std::runtime_error("parameter " + name + " has another shape");
    p->copy_(value);
    loaded.insert(name);
  }
  for (const auto& item : params) {
    if (!loaded.count(item.key())) throw std::runtime_error("C++ parameter " + item.key() + " not in the weights");
  }
}

std::vector<SeenOp> outermost_ops(const ProfiledTrace& trace) {
  std::vector<SeenOp> out;
  const auto& recs = trace.records;
  for (const OpRecord& r : recs) {
    if (r.thread != 0 || r.kind != RecordKind::kOp) continue;
    std::string scope;
    bool outermost = true;
    for (int32_t p = r.parent; p >= 0; p = recs[static_cast<size_t>(p)].parent) {
      const OpRecord& anc = recs[static_cast<size_t>(p)];
      if (anc.kind == RecordKind::kOp) {
        outermost = false;
        break;
      }
      if (scope.empty()) scope = anc.name;
    }
    if (!outermost) continue;
    SeenOp s;
    s.name = r.name;
    s.module = scope;
    for (const ArgInfo& a : r.inputs) {
      s.shapes.push_back(a.kind == ArgInfo::Kind::kTensor ? a.shape : std::vector<int64_t>{});
      s.types.push_back(type_of(a));
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::set<std::string> scope_names(const ProfiledTrace& trace) {
  std::set<std::string> names;
  for (const OpRecord& r : trace.records) {
    if (r.thread == 0 && r.kind == RecordKind::kScope) names.insert(r.name);
  }
  return names;
}

Observed observe_forward(Model& model, const std::vector<at::Tensor>& inputs) {
  // A warm-up forward, as the goldens do, then the observed one.
  return observe([&] { model.forward(inputs); }, [&] { model.forward(inputs); });
}

Observed observe(const std::function<void()>& warm_up, const std::function<void()>& observed) {
  {
    c10::InferenceMode guard;
    warm_up();
  }
  observer::ObserverOptions opts;
  opts.record_shapes = true;
  opts.reserve_records = 1 << 14;
  observer::Observer obs(opts);
  obs.start();
  {
    c10::InferenceMode guard;
    observed();
  }
  obs.stop();
  const ProfiledTrace trace = obs.collect();
  return {outermost_ops(trace), scope_names(trace)};
}

bool types_match(const std::string& observed, const std::string& golden) {
  if (observed == "<other>") return golden == "ScalarList" || golden.empty();
  return observed == golden;
}

std::string test_name(const char* golden) {
  std::string name = golden;
  for (char& ch : name) {
    if (ch == '-' || ch == '.') ch = '_';
  }
  return name;
}

std::string describe(const SeenOp& op) {
  std::ostringstream s;
  s << op.name << " (";
  for (size_t i = 0; i < op.shapes.size(); ++i) {
    if (i) s << ", ";
    s << (i < op.types.size() ? op.types[i] : "?");
    if (!op.shapes[i].empty()) {
      s << "[";
      for (size_t k = 0; k < op.shapes[i].size(); ++k) s << (k ? "," : "") << op.shapes[i][k];
      s << "]";
    }
  }
  s << ") in " << (op.module.empty() ? "<no scope>" : op.module);
  return s.str();
}

namespace {

// Why `seen` differs from `want`, or "" if it does not (the scope is compared
// only when the C++ model opens a scope of the reference's module class).
std::string mismatch(const SeenOp& seen, const SeenOp& want, const std::set<std::string>& cpp_scopes) {
  if (seen.name != want.name) return "op name";
  if (seen.shapes != want.shapes) return "input shapes";
  if (seen.types.size() != want.types.size()) return "input count";
  for (size_t i = 0; i < want.types.size(); ++i) {
    if (!types_match(seen.types[i], want.types[i])) return "input " + std::to_string(i) + " kind";
  }
  if (cpp_scopes.count(want.module) && seen.module != want.module) return "module scope";
  return "";
}

// Ops at-3 .. at+3, the one at `at` marked.
std::string context(const std::vector<SeenOp>& ops, size_t at) {
  std::ostringstream s;
  const size_t from = at >= 3 ? at - 3 : 0;
  for (size_t i = from; i < ops.size() && i <= at + 3; ++i) {
    s << (i == at ? "  > " : "    ") << i << ": " << describe(ops[i]) << "\n";
  }
  return s.str();
}

}  // namespace

void expect_same_ops(const std::string& golden_name, const std::vector<SeenOp>& want, const Observed& observed,
                     const std::function<bool(size_t)>& known) {
  for (const auto& op : want) {
    if (op.module.empty()) continue;  // outside every module (generate's own ops)
    EXPECT_TRUE(observed.scopes.count(op.module)) << golden_name << ": no C++ scope for reference module "
                                                  << op.module;
  }
  const std::vector<SeenOp>& seen = observed.ops;
  size_t failures = 0;
  const size_t n = std::max(seen.size(), want.size());
  for (size_t i = 0; i < n && failures < 5; ++i) {
    if (known(i)) continue;
    std::string why;
    if (i >= seen.size()) why = "missing in C++";
    else if (i >= want.size()) why = "extra in C++";
    else why = mismatch(seen[i], want[i], observed.scopes);
    if (why.empty()) continue;
    ++failures;
    ADD_FAILURE() << golden_name << ": op " << i << " differs (" << why << ")\n"
                  << "reference:\n" << context(want, i) << "C++:\n" << context(seen, i);
    if (why == "missing in C++" || why == "extra in C++" || why == "op name") break;  // the rest is shifted
  }
  EXPECT_EQ(seen.size(), want.size()) << golden_name;
}

}  // namespace ngbench::models::testing
