#include "core/result_name.h"

#include <gtest/gtest.h>

#include <set>

namespace ngbench {
namespace {

RunConfig base() {
  RunConfig c;
  c.model = "gpt2";
  c.flow = "eager";
  c.batch = 8;
  c.seq_len = 128;
  return c;
}

TEST(ResultName, DefaultsGiveTheShortName) {
  EXPECT_EQ(result_stem(base()), "gpt2__eager__cpu__float32__b8__s128");
  RunConfig c = base();
  c.layers = 4;
  c.attention = "sdpa";  // the default: no suffix
  EXPECT_EQ(result_stem(c), "gpt2__eager__cpu__float32__b8__s128__l4");
  c.attention = "eager";
  EXPECT_EQ(result_stem(c), "gpt2__eager__cpu__float32__b8__s128__l4__attn-eager");
}

TEST(ResultName, DecodeAndAPrefillWithoutTheCacheHaveTheirOwnNames) {
  RunConfig c = base();
  c.kv_cache = "on";  // the default prefill keeps the plain name
  EXPECT_EQ(result_stem(c), "gpt2__eager__cpu__float32__b8__s128");
  EXPECT_NE(config_identity(c), config_identity(base()));  // an older result (no kv_cache) is another configuration
  c.kv_cache = "off";
  EXPECT_EQ(result_stem(c), "gpt2__eager__cpu__float32__b8__s128__nocache");
  c.kv_cache = "on";
  c.phase = "decode";
  EXPECT_EQ(result_stem(c), "gpt2__eager__cpu__float32__b8__s128__decode-g32");
  c.gen_tokens = 8;
  EXPECT_EQ(result_stem(c), "gpt2__eager__cpu__float32__b8__s128__decode-g8");
}

TEST(ResultName, QuantSchemesAndOutlierColumnsHaveTheirOwnNames) {
  RunConfig c = base();
  c.quant = "none";  // the default: no suffix
  EXPECT_EQ(result_stem(c), "gpt2__eager__cpu__float32__b8__s128");
  c.quant = "int8-lt";
  EXPECT_EQ(result_stem(c), "gpt2__eager__cpu__float32__b8__s128__q-int8-lt");
  c.int8_outliers = kInt8OutliersDetected;
  EXPECT_EQ(result_stem(c), "gpt2__eager__cpu__float32__b8__s128__q-int8-lt__outliers-detected");
  c.int8_outliers = 12;
  EXPECT_EQ(result_stem(c), "gpt2__eager__cpu__float32__b8__s128__q-int8-lt__outliers12");
  EXPECT_NE(config_identity(c), config_identity(base()));
}

TEST(ResultName, EverySettingThatChangesTheMeasurementChangesTheName) {
  std::vector<RunConfig> configs(12, base());
  configs[1].threads = 1;
  configs[2].seed = 7;
  configs[3].allocator = "system";
  configs[4].record_shapes = false;
  configs[5].taxonomy_file = "mine.json";
  configs[6].images = "photos/";
  configs[7].text_file = "a.txt";
  configs[8].score_threshold = 0.3;
  configs[9].backend_options = {{"graph-opt", {"disabled"}}};
  configs[10].backend_options = {{"graph-opt", {"all"}}};
  configs[11].model_file = "other/gpt2";
  std::set<std::string> names;
  for (const auto& c : configs) EXPECT_TRUE(names.insert(result_stem(c)).second) << result_stem(c);
  EXPECT_EQ(result_stem(configs[1]), "gpt2__eager__cpu__float32__b8__s128__t1");
  EXPECT_EQ(result_stem(configs[9]), "gpt2__eager__cpu__float32__b8__s128__graph-opt-disabled");
  RunConfig shapes = base();
  shapes.backend_options = {{"shape", {"x=1x3", "y/z=2"}}, {"keep-ort-files", {"true"}}};
  EXPECT_EQ(result_stem(shapes), "gpt2__eager__cpu__float32__b8__s128__keep-ort-files__shape-x-1x3+y-z-2");
  // Measurement effort and the output place are not the configuration.
  RunConfig effort = base();
  effort.iters = 100;
  effort.warmup = 9;
  effort.max_time_s = 1;
  effort.out_dir = "elsewhere";
  EXPECT_EQ(result_stem(effort), result_stem(base()));
  EXPECT_EQ(config_identity(effort), config_identity(base()));
  EXPECT_NE(config_identity(configs[2]), config_identity(base()));
}

}  // namespace
}  // namespace ngbench
