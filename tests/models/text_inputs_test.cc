// Token ids from a text file (--text): the byte-level fallback of text_model.h.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "core/error.h"
#include "models/model.h"
#include "models/text_model.h"

namespace ngbench::models::hf {
namespace {

std::string write_temp(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(TextInputs, BytesModuloVocabRepeatedToTheSequence) {
  // "h\xc3\xa9" is "hé" in UTF-8: three bytes 104, 195, 169.
  const std::string path = write_temp("ngbench_text_a.txt", "h\xc3\xa9");
  const at::Tensor ids = token_ids_from_text(path, 100, 1, 7);
  EXPECT_EQ(ids.scalar_type(), at::kLong);
  EXPECT_EQ(ids.sizes(), (at::IntArrayRef{1, 7}));
  const std::vector<int64_t> want = {4, 95, 69, 4, 95, 69, 4};
  EXPECT_TRUE(at::equal(ids, at::tensor(want, at::kLong).view({1, 7})));
  // Truncated, and the rows continue through the text.
  const at::Tensor two = token_ids_from_text(path, 1000, 2, 2);
  const std::vector<int64_t> rows = {104, 195, 169, 104};
  EXPECT_TRUE(at::equal(two, at::tensor(rows, at::kLong).view({2, 2})));
}

TEST(TextInputs, MakeTokenIdsUsesTheFileAndChecksTheShape) {
  const std::string path = write_temp("ngbench_text_b.txt", "abc");
  TokenInputs info{"m", 50, 4, 8, at::kCPU};
  const auto ids = make_token_ids(info, InputSpec{2, 0, 0, "", path});  // seq 0: the default, 4
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids[0].sizes(), (at::IntArrayRef{2, 4}));
  EXPECT_EQ(ids[0][0][0].item<int64_t>(), 'a' % 50);
  EXPECT_THROW(make_token_ids(info, InputSpec{1, 9, 0, "", path}), Error);  // past max_seq_len
  // Without a file: random ids, as before.
  EXPECT_TRUE(at::equal(make_token_ids(info, InputSpec{2, 4, 3})[0], make_token_ids(info, InputSpec{2, 4, 3, "", ""})[0]));
}

TEST(TextInputs, MissingOrEmptyFileIsAnError) {
  try {
    token_ids_from_text("/nonexistent/ngbench.txt", 100, 1, 4);
    FAIL() << "a missing file was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/ngbench.txt"), std::string::npos);
  }
  EXPECT_THROW(token_ids_from_text(write_temp("ngbench_text_empty.txt", ""), 100, 1, 4), Error);
}

}  // namespace
}  // namespace ngbench::models::hf
