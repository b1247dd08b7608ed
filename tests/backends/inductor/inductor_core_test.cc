// Flow inductor without libtorch: the sidecar and provenance readers on a real
// compile's files (data/: gpt2-tiny, torch 2.11, threads 1, freezing off: it
// was compiled with freezing=True but with grad on, where Inductor does not
// freeze, so its sidecar says off; the provenance keeps only the fields ngbench
// reads) and on truncated and
// malformed ones, the package checks, the kernel analysis (every call
// classified, the fusion rate's counts add up) and the trace labels
// (units + wrapper = the iteration's wall time).
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <regex>
#include <sstream>

#include "backends/inductor/kernel_analysis.h"
#include "backends/inductor/package_config.h"
#include "backends/inductor/provenance.h"
#include "backends/inductor/sidecar.h"
#include "backends/inductor/trace_labels.h"
#include "core/error.h"
#include "taxonomy/taxonomy.h"

namespace ngbench::inductor {
namespace {

const std::string kData = std::string(NGBENCH_SOURCE_DIR) + "/tests/backends/inductor/data/";

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

Sidecar fixture_sidecar() { return load_sidecar(kData + "gpt2-tiny.sidecar.json"); }
std::vector<KernelCall> fixture_calls() {
  return parse_kernel_information(read(kData + "gpt2-tiny.kernel_information.json"), "fixture");
}
ProvenanceRules inductor_rules() {
  return parse_provenance_rules(taxonomy::builtin_rule_files().at("inductor"), "taxonomy/inductor.json");
}

// --- provenance -----------------------------------------------------------

TEST(Provenance, ReadsARealCompileInWrapperOrder) {
  const auto calls = fixture_calls();
  ASSERT_EQ(calls.size(), 21u);
  for (size_t i = 0; i < calls.size(); ++i) EXPECT_EQ(calls[i].handle, static_cast<int64_t>(i + 1));
  EXPECT_EQ(calls[0].kernel, "cpp_fused_add_arange_cat_cumsum_ne_slice_sub_unsqueeze_0");
  EXPECT_EQ(calls[3].kernel, "aoti_torch_cpu_addmm_out");
  EXPECT_FALSE(calls[3].pre_grad_nodes.empty());
  EXPECT_TRUE(is_generated_kernel(calls[0].kernel));
  EXPECT_FALSE(is_generated_kernel(calls[3].kernel));
}

TEST(Provenance, RejectsTruncatedAndMalformedFilesWithOneLine) {
  const std::string real = read(kData + "gpt2-tiny.kernel_information.json");
  const std::string truncated = error_of([&] { parse_kernel_information(real.substr(0, real.size() / 2), "p.pt2"); });
  EXPECT_NE(truncated.find("p.pt2"), std::string::npos) << truncated;
  EXPECT_NE(truncated.find("export the package again"), std::string::npos) << truncated;
  EXPECT_NE(error_of([] { parse_kernel_information("[]", "p"); }).find("not a JSON object"), std::string::npos);
  EXPECT_NE(error_of([] { parse_kernel_information(R"({"cpp_fused_0": {}})", "p"); }).find("<kernel>:<handle>"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_kernel_information(R"({"k:x1": {}})", "p"); }).find("<kernel>:<handle>"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_kernel_information(R"({"k:1": []})", "p"); }).find("not an object"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_kernel_information(R"({"k:1": {"pre_grad_nodes": "a"}})", "p"); })
                .find("not a list"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_kernel_information(R"({"k:1": {"pre_grad_nodes": [1]}})", "p"); })
                .find("non-string"),
            std::string::npos);
  EXPECT_TRUE(parse_kernel_information("{}", "p").empty());  // a graph without kernels
}

TEST(Provenance, RangeNamesMapToKernels) {
  EXPECT_EQ(kernel_of_range("graph_0_cpp_fused_add_3"), "cpp_fused_add_3");
  EXPECT_EQ(kernel_of_range("graph_12_cpp_fused_add_3"), "cpp_fused_add_3");
  EXPECT_EQ(kernel_of_range("kernels_.triton_poi_fused_0"), "triton_poi_fused_0");
  EXPECT_EQ(kernel_of_range("aoti_torch_cpu_addmm_out"), "aoti_torch_cpu_addmm_out");
  EXPECT_EQ(kernel_of_range("graph_x"), "graph_x");
}

// --- sidecar --------------------------------------------------------------

TEST(Sidecar, ReadsARealOne) {
  const Sidecar s = fixture_sidecar();
  EXPECT_EQ(s.model, "gpt2-tiny");
  EXPECT_EQ(s.threads, 1);
  EXPECT_FALSE(s.freezing);
  EXPECT_EQ(s.seq_len, 16);
  ASSERT_EQ(s.inputs.size(), 1u);
  EXPECT_EQ(s.inputs[0].dtype, "int64");
  EXPECT_EQ(s.inputs[0].high, 100);
  EXPECT_GT(s.nodes.size(), 100u);
  EXPECT_EQ(sidecar_path("a/b.pt2"), "a/b.json");
}

TEST(Sidecar, MissingTruncatedOrForeignIsOneLineNamingTheFile) {
  const std::string missing = error_of([] { load_sidecar("/nonexistent/x.json"); });
  EXPECT_NE(missing.find("/nonexistent/x.json"), std::string::npos);
  EXPECT_NE(missing.find("missing"), std::string::npos);
  const std::string real = read(kData + "gpt2-tiny.sidecar.json");
  const std::string truncated = error_of([&] { parse_sidecar(real.substr(0, 300), "s.json"); });
  EXPECT_NE(truncated.find("s.json: the sidecar is not valid JSON"), std::string::npos) << truncated;
  std::string other = real;
  other.replace(other.find("\"schema_version\": 2"), 19, "\"schema_version\": 9");
  EXPECT_NE(error_of([&] { parse_sidecar(other, "s.json"); }).find("schema 9"), std::string::npos);
  EXPECT_NE(error_of([] { parse_sidecar(R"({"schema_version": 2})", "s.json"); }).find("lacks 'model'"),
            std::string::npos);
  for (const std::string& e : {missing, truncated}) EXPECT_EQ(e.find('\n'), std::string::npos) << e;
}

// Numbers an integer field cannot hold are errors, never casts (the fuzz targets
// aoti_sidecar and aoti_provenance found 1e999 escaping as json::out_of_range).
TEST(Sidecar, IntegersOutOfRangeOrFloatsAreOneLineErrors) {
  const std::string real = read(kData + "gpt2-tiny.sidecar.json");
  auto with = [&](const std::string& from, const std::string& to) {
    std::string t = real;
    const auto at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return t.replace(at, from.size(), to);
  };
  const std::string huge = error_of([&] { parse_sidecar(with("\"batch\": 1", "\"batch\": 1e300"), "s.json"); });
  EXPECT_NE(huge.find("s.json: the sidecar's 'batch' is not an integer in range"), std::string::npos) << huge;
  const std::string overflow = error_of([&] { parse_sidecar(with("\"batch\": 1", "\"batch\": 1e999"), "s.json"); });
  EXPECT_NE(overflow.find("s.json: the sidecar is not valid JSON"), std::string::npos) << overflow;
  const std::string schema =
      error_of([&] { parse_sidecar(with("\"schema_version\": 2", "\"schema_version\": 4294967297"), "s.json"); });
  EXPECT_NE(schema.find("schema 4294967297"), std::string::npos) << schema;
  const std::string shape = error_of([&] { parse_sidecar(with("\"shapes\": [", "\"shapes\": [[0.5], "), "s.json"); });
  EXPECT_NE(shape.find("'shapes' is not an integer in range"), std::string::npos) << shape;
  for (const std::string& e : {huge, overflow, schema, shape}) EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  EXPECT_NE(error_of([] { parse_kernel_information(R"({"k:1": {"pre_grad_nodes": [-1e999]}})", "k.json"); })
                .find("k.json: kernel_information.json is not valid JSON"),
            std::string::npos);
}

// --- package checks -------------------------------------------------------

struct Fit {
  Sidecar s = fixture_sidecar();
  Machine m{s.torch, s.cpu_flags, 2};
  RunConfig c;
  Fit() {
    c.model = "gpt2-tiny";
    c.flow = "inductor";
    c.threads = 1;
    c.seq_len = 16;
    c.backend_options["freezing"] = {"off"};
  }
  std::string check() { return error_of([&] { check_package(s, c, m, s.package_bytes); }); }
};

TEST(PackageCheck, AFittingPackagePasses) { EXPECT_EQ(Fit().check(), ""); }

TEST(PackageCheck, EachMismatchNamesTheFileWhatDiffersAndTheFix) {
  {
    Fit f;
    f.m.torch_version = "2.12.0";
    const std::string e = f.check();
    EXPECT_NE(e.find("compiled for torch 2.11.0+cu130, this run has 2.12.0"), std::string::npos) << e;
    EXPECT_NE(e.find("gpt2-tiny.sidecar.json"), std::string::npos) << e;
    EXPECT_NE(e.find("delete"), std::string::npos) << e;  // a cached package: delete it, the next run exports
  }
  {
    Fit f;
    f.c.threads = 2;
    EXPECT_NE(f.check().find("compiled for threads 1, this run has 2"), std::string::npos);
  }
  {
    Fit f;
    f.c.threads = 0;  // one per logical CPU: 2 on this Machine
    EXPECT_NE(f.check().find("threads 1"), std::string::npos);
  }
  {
    Fit f;
    f.m.cpu_flags = {"avx", "avx2", "fma"};
    EXPECT_NE(f.check().find("the CPU ISA"), std::string::npos);
  }
  {
    Fit f;
    f.c.backend_options["freezing"] = {"on"};
    EXPECT_NE(f.check().find("freezing off"), std::string::npos);
  }
  {
    Fit f;
    f.c.model_file = "given.pt2";
    f.c.batch = 2;
    const std::string e = f.check();
    EXPECT_NE(e.find("batch 1, this run has 2"), std::string::npos) << e;
    EXPECT_NE(e.find("export it again"), std::string::npos) << e;
  }
  {
    Fit f;
    const std::string e = error_of([&] { check_package(f.s, f.c, f.m, f.s.package_bytes / 2); });
    EXPECT_NE(e.find("truncated or replaced"), std::string::npos) << e;
  }
}

TEST(PackageConfig, CacheKeyHoldsEverySettingTheCompileFixes) {
  Fit f;
  f.c.device = "cpu";
  f.c.dtype = "float32";
  const std::string p = package_path(f.c, f.m);
  for (const char* part : {"aoti/gpt2-tiny/gpt2-tiny__cpu__float32__b1__s16__t1__freezing-off__torch2.11.0+cu130__isa"}) {
    EXPECT_NE(p.find(part), std::string::npos) << p;
  }
  RunConfig on = f.c;
  on.backend_options["freezing"] = {"on"};
  EXPECT_NE(package_path(on, f.m), p);
  Machine other = f.m;
  other.cpu_flags = {"avx2"};
  EXPECT_NE(package_path(f.c, other), p);
}

TEST(PackageConfig, ValidatesTheFlowsOptions) {
  RegistryInfo text{true, 16, 32, 2, true, ""};
  RunConfig c;
  c.model = "gpt2-tiny";
  c.backend_options["freezing"] = {"maybe"};
  EXPECT_NE(error_of([&] { validate_config(c, text); }).find("valid: on, off"), std::string::npos);
  c.backend_options.clear();
  EXPECT_EQ(validate_config(c, text).seq_len, 16);
  c.seq_len = 64;
  EXPECT_NE(error_of([&] { validate_config(c, text); }).find("valid: 1 to 32"), std::string::npos);
  c.seq_len = 0;
  c.text_file = "prompt.txt";
  EXPECT_NE(error_of([&] { validate_config(c, text); }).find("omit --text"), std::string::npos);
}

TEST(PackageConfig, CpuFlagsParsedAndEqualToTheExportTools) {
  EXPECT_EQ(parse_cpu_flags("processor : 0\nflags\t\t: fpu avx2 sse4_2 avx512f xyz\n"),
            (std::vector<std::string>{"avx2", "avx512f", "sse4_2"}));
  EXPECT_EQ(parse_cpu_flags("Features\t: fp asimd sve\n"), (std::vector<std::string>{"asimd", "sve"}));
  EXPECT_TRUE(parse_cpu_flags("").empty());
  // tools/export_aoti.py's ISA_FLAGS is the same list: the sidecar's flags and this machine's compare.
  const std::string tool = read(std::string(NGBENCH_SOURCE_DIR) + "/tools/export_aoti.py");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(tool, m, std::regex(R"(ISA_FLAGS = \[([^\]]*)\])")));
  std::vector<std::string> listed;
  const std::string body = m[1].str();
  const std::regex quoted("\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), quoted); it != std::sregex_iterator(); ++it) {
    listed.push_back((*it)[1].str());
  }
  EXPECT_EQ(listed, isa_flags());
}

// --- kernel analysis ------------------------------------------------------

KernelAnalysis fixture_analysis(const taxonomy::Taxonomy& flow) {
  Sidecar s = fixture_sidecar();
  return KernelAnalysis(s, fixture_calls(), taxonomy::Taxonomy::builtin("eager"), flow, inductor_rules());
}

TEST(KernelAnalysis, EveryCallOfARealCompileIsClassified) {
  const auto flow = taxonomy::Taxonomy::builtin("inductor");
  const KernelAnalysis a = fixture_analysis(flow);
  ASSERT_EQ(a.calls().size(), 21u);
  for (const auto& c : a.calls()) {
    EXPECT_FALSE(c.nodes.empty()) << c.call.kernel << ": no node of the sidecar";
    EXPECT_NE(flow.groups()[flow.op_group(c.label)].name, taxonomy::kUnclassified) << c.label << " (" << c.scope
                                                                                     << ")";
  }
  // GPT-2's GELU (NewGELUActivation) is one generated kernel: Activation, by provenance, not by its name.
  bool gelu = false;
  for (const auto& c : a.calls()) {
    if (c.call.kernel == "cpp_fused_add_mul_pow_tanh_view_4") {
      EXPECT_EQ(c.label, "kernel:Activation");
      gelu = true;
    }
  }
  EXPECT_TRUE(gelu);
  // The kernel named after SDPA computes the attention mask only: no GEMM work of its own.
  for (const auto& c : a.calls()) {
    if (c.call.kernel.rfind("cpp_fused__scaled_dot_product", 0) == 0) {
      EXPECT_FALSE(c.gemm_work) << c.label;
    }
  }
}

TEST(KernelAnalysis, FusionCountsAddUpToTheGraphsNonGemmNodes) {
  const KernelAnalysis a = fixture_analysis(taxonomy::Taxonomy::builtin("inductor"));
  const FusionSummary f = a.fusion();
  EXPECT_TRUE(f.analyzed);
  EXPECT_GT(f.original_non_gemm, 0);
  EXPECT_EQ(f.original_gemm + f.original_non_gemm, f.original_nodes);
  EXPECT_EQ(f.kept_non_gemm + f.replaced_non_gemm + f.fused_with_gemm + f.fused_non_gemm + f.folded_non_gemm +
                f.removed_non_gemm,
            f.original_non_gemm);
  int64_t by_type = 0;
  for (const auto& t : f.by_type) {
    EXPECT_EQ(t.kept + t.replaced + t.fused_with_gemm + t.fused_non_gemm + t.folded + t.removed, t.original) << t.type;
    by_type += t.original;
  }
  EXPECT_EQ(by_type, f.original_non_gemm);
  EXPECT_GT(f.fusion_rate(), 0.0);
  EXPECT_LE(f.fusion_rate(), 1.0);
  EXPECT_EQ(f.new_unmatched, 0);
  EXPECT_EQ(f.optimized_nodes, 21);
}

// A real frozen compile (data/swin-test-frozen.*: torchvision Swin's test config, threads 1, freezing on,
// compiled without grad, with tools/inductor_patches.py): oneDNN's linear calls take in the residual add
// (_linear_pointwise_binary) and fc1's GELU (_linear_pointwise); such a call is named "<shim>+<target>" and is Fused
// GEMM+non-GEMM, and the node it took in counts as fused with a GEMM although the next generated kernel lists it too
// (Inductor's provenance lists what a kernel reads as well as what it computes).
TEST(KernelAnalysis, AFrozenCompilesOneDnnEpiloguesAreFusedGemm) {
  const Sidecar s = load_sidecar(kData + "swin-test-frozen.sidecar.json");
  EXPECT_TRUE(s.freezing);
  const auto flow = taxonomy::Taxonomy::builtin("inductor");
  const KernelAnalysis a(s, parse_kernel_information(read(kData + "swin-test-frozen.kernel_information.json"), "f"),
                         taxonomy::Taxonomy::builtin("eager"), flow, inductor_rules());
  ASSERT_EQ(a.calls().size(), 76u);
  int epilogues = 0;
  for (const auto& c : a.calls()) {
    EXPECT_NE(flow.groups()[flow.op_group(c.label)].name, taxonomy::kUnclassified) << c.label << " (" << c.scope
                                                                                     << ")";
    if (c.call.kernel == "aoti_torch_cpu__linear_pointwise_binary") {
      EXPECT_EQ(c.label.rfind("aoti_torch_cpu__linear_pointwise_binary+", 0), 0u) << c.label;
      EXPECT_NE(c.label.find("aten::add"), std::string::npos) << c.label;
      EXPECT_EQ(flow.groups()[flow.op_group(c.label)].name, "Fused GEMM+non-GEMM") << c.label;
      EXPECT_TRUE(c.gemm_work);
      ++epilogues;
    }
  }
  EXPECT_EQ(epilogues, 6);  // one per residual sum into a linear
  const FusionSummary f = a.fusion();
  EXPECT_GE(f.fused_with_gemm, epilogues);
  EXPECT_EQ(f.kept_non_gemm + f.replaced_non_gemm + f.fused_with_gemm + f.fused_non_gemm + f.folded_non_gemm +
                f.removed_non_gemm,
            f.original_non_gemm);
}

// A generated kernel that lists only the GEMM node an extern call computes prepares that call's input (seen in
// SegFormer: cpp_fused_convolution_0 {aten::conv2d} before aoti_torch_cpu_convolution): a copy, not Unclassified.
TEST(KernelAnalysis, AKernelPreparingAnExternGemmsInputIsMemory) {
  Sidecar s = fixture_sidecar();
  const std::string gemm = s.nodes[0].name;  // reuse a node, retargeted as a convolution
  s.nodes[0].target = "aten::conv2d";
  s.nodes[0].modules.clear();
  std::vector<KernelCall> calls = {{"cpp_fused_convolution_0", 1, {gemm}, {}},
                                   {"aoti_torch_cpu_convolution", 2, {gemm}, {}}};
  const auto flow = taxonomy::Taxonomy::builtin("inductor");
  const KernelAnalysis a(s, calls, taxonomy::Taxonomy::builtin("eager"), flow, inductor_rules());
  EXPECT_EQ(a.calls()[0].label, "kernel:Memory");
  EXPECT_FALSE(a.calls()[0].gemm_work);
  EXPECT_EQ(flow.groups()[flow.op_group(a.calls()[0].label)].name, "Memory");
}

TEST(KernelAnalysis, MalformedProvenanceSectionIsRejected) {
  EXPECT_NE(error_of([] { parse_provenance_rules(R"({"provenance": []})", "r.json"); }).find("must be an object"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_provenance_rules(R"({"provenance": {"epilogue_shims": ["("]}})", "r.json"); })
                .find("bad regex"),
            std::string::npos);
  EXPECT_EQ(parse_provenance_rules("{}", "r.json").wrapper, "wrapper");
}

// --- trace labels ---------------------------------------------------------

OpRecord op(const std::string& name, int64_t start, int64_t end, int32_t parent = -1, int32_t depth = 0) {
  OpRecord r;
  r.name = name;
  r.start_ns = start;
  r.end_ns = end;
  r.parent = parent;
  r.depth = depth;
  return r;
}

TEST(TraceLabels, KernelsBecomeClassifiedUnitsAndTheGapsWrapperRecords) {
  const KernelAnalysis a = fixture_analysis(taxonomy::Taxonomy::builtin("inductor"));
  ProfiledTrace t;
  t.iterations = {{0, 1000}};
  t.records = {op("graph_0_cpp_fused_add_arange_cat_cumsum_ne_slice_sub_unsqueeze_0", 100, 200),
               op("aoti_torch_cpu_cumsum", 250, 400), op("aten::cumsum", 260, 390, 1, 1),
               op("graph_0_cpp_fused_unknown_99", 500, 600)};
  const LabelStats s = label_trace(t, a);
  EXPECT_EQ(s.ranges, 3);
  EXPECT_EQ(s.matched, 2);
  int64_t units = 0, wrapper = 0;
  bool unknown = false;
  for (const auto& r : t.records) {
    if (r.parent >= 0 && r.kind == RecordKind::kOp && t.records[static_cast<size_t>(r.parent)].kind ==
                                                           RecordKind::kScope) {
      units += r.end_ns - r.start_ns;
      unknown = unknown || r.name == "kernel:Unclassified";
    }
    if (r.name == "wrapper") wrapper += r.end_ns - r.start_ns;
    if (r.parent >= 0) {
      EXPECT_LT(r.parent, &r - t.records.data()) << "parents before children";
    }
  }
  EXPECT_EQ(units, 100 + 150 + 100);
  EXPECT_EQ(units + wrapper, 1000) << "units + wrapper = the iteration's wall time";
  EXPECT_TRUE(unknown) << "a kernel the provenance lacks is kept, as Unclassified";
  // The extern call's nested aten op stays under it.
  bool nested = false;
  for (const auto& r : t.records) {
    if (r.name == "aten::cumsum") nested = t.records[static_cast<size_t>(r.parent)].name == "aoti_torch_cpu_cumsum";
  }
  EXPECT_TRUE(nested);
}

TEST(TraceLabels, DeviceRecordsStayLinkedToTheirLaunchingRange) {
  const KernelAnalysis a = fixture_analysis(taxonomy::Taxonomy::builtin("inductor"));
  ProfiledTrace t;
  t.iterations = {{0, 1000}};
  t.records = {op("graph_0_cpp_fused_add_mul_pow_tanh_view_4", 100, 200)};
  DeviceRecord d;
  d.name = "triton_poi_fused_0";
  d.launched_by = 0;
  t.device = {d};
  label_trace(t, a);
  ASSERT_GE(t.device[0].launched_by, 0);
  EXPECT_EQ(t.records[static_cast<size_t>(t.device[0].launched_by)].name, "kernel:Activation");
}

}  // namespace
}  // namespace ngbench::inductor
