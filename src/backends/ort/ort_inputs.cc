#include "backends/ort/ort_inputs.h"

#include <algorithm>
#include <cstring>
#include <random>

namespace ngbench::onnx {

namespace {

uint16_t to_half(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000;
  int32_t exp = static_cast<int32_t>((x >> 23) & 0xff) - 127 + 15;
  uint32_t mant = x & 0x7fffff;
  if (exp <= 0) return static_cast<uint16_t>(sign);            // flush tiny values to zero
  if (exp >= 31) return static_cast<uint16_t>(sign | 0x7c00);  // overflow to infinity
  return static_cast<uint16_t>(sign | (static_cast<uint32_t>(exp) << 10) | (mant >> 13));
}

size_t elem_size(int32_t t) {
  switch (t) {
    case kFloat: case kInt32: case kUint32: return 4;
    case kInt64: case kUint64: case kDouble: return 8;
    case kFloat16: case kBfloat16: case kInt16: case kUint16: return 2;
    default: return 1;
  }
}

template <typename T>
void put(std::vector<uint8_t>& buf, size_t i, T v) {
  std::memcpy(buf.data() + i * sizeof(T), &v, sizeof(T));
}

void put_value(std::vector<uint8_t>& buf, size_t i, int32_t type, double v) {
  switch (type) {
    case kFloat: put(buf, i, static_cast<float>(v)); break;
    case kDouble: put(buf, i, v); break;
    case kFloat16: put(buf, i, to_half(static_cast<float>(v))); break;
    case kBfloat16: {
      const float f = static_cast<float>(v);
      uint32_t x;
      std::memcpy(&x, &f, 4);
      put(buf, i, static_cast<uint16_t>(x >> 16));
      break;
    }
    case kInt64: put(buf, i, static_cast<int64_t>(v)); break;
    case kUint64: put(buf, i, static_cast<uint64_t>(v)); break;
    case kInt32: put(buf, i, static_cast<int32_t>(v)); break;
    case kUint32: put(buf, i, static_cast<uint32_t>(v)); break;
    case kInt16: put(buf, i, static_cast<int16_t>(v)); break;
    case kUint16: put(buf, i, static_cast<uint16_t>(v)); break;
    case kInt8: put(buf, i, static_cast<int8_t>(v)); break;
    default: put(buf, i, static_cast<uint8_t>(v)); break;  // uint8, bool
  }
}

}  // namespace

OrtInputs make_ort_inputs(const std::vector<InputBinding>& bindings, uint64_t seed) {
  OrtInputs in;
  std::mt19937_64 rng(seed);
  const Ort::MemoryInfo mem = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
  in.data.reserve(bindings.size());
  for (const auto& b : bindings) {
    size_t count = 1;
    for (int64_t d : b.shape) count *= static_cast<size_t>(d);
    std::vector<uint8_t> buf(count * elem_size(b.elem_type));
    const size_t last = b.shape.empty() ? 1 : static_cast<size_t>(b.shape.back());
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_int_distribution<int64_t> token(0, std::max<int64_t>(b.vocab, 1) - 1);
    for (size_t i = 0; i < count; ++i) {
      double v = 0;
      switch (b.fill) {
        case Fill::kTokens: v = static_cast<double>(token(rng)); break;
        case Fill::kOnes: v = 1; break;
        case Fill::kZeros: v = 0; break;
        case Fill::kPositions: v = static_cast<double>(i % last); break;
        case Fill::kRandom: v = normal(rng); break;
      }
      put_value(buf, i, b.elem_type, v);
    }
    in.data.push_back(std::move(buf));
    auto& stored = in.data.back();
    in.values.push_back(Ort::Value::CreateTensor(mem, stored.data(), stored.size(), b.shape.data(), b.shape.size(),
                                                 static_cast<ONNXTensorElementDataType>(b.elem_type)));
    in.names.push_back(b.name);
  }
  for (const auto& n : in.names) in.name_ptrs.push_back(n.c_str());
  return in;
}

}  // namespace ngbench::onnx
