#include "core/op_record.h"

#include <gtest/gtest.h>

namespace ngbench {
namespace {

TEST(Signature, EncodesEveryKindOfInput) {
  std::vector<ArgInfo> in(5);
  in[0] = {ArgInfo::Kind::kTensor, {2, 8, 64}, "float32"};
  in[1] = {ArgInfo::Kind::kTensor, {}, "int64"};  // 0-d tensor
  in[2] = {ArgInfo::Kind::kScalar, {}, ""};
  in[3] = {ArgInfo::Kind::kNone, {}, ""};
  in[4] = {ArgInfo::Kind::kTensorList, {3}, "float32"};
  EXPECT_EQ(signature(in), "float32[2,8,64];int64[];s;-;list:float32[3]");
  EXPECT_EQ(signature({}), "");
}

TEST(Signature, DistinguishesShapes) {
  const std::vector<ArgInfo> a{{ArgInfo::Kind::kTensor, {1, 2}, "float32"}};
  const std::vector<ArgInfo> b{{ArgInfo::Kind::kTensor, {12}, "float32"}};
  EXPECT_NE(signature(a), signature(b));
}

}  // namespace
}  // namespace ngbench
