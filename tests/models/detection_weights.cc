#include "detection_weights.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <cmath>

namespace ngbench::models::testing {

namespace {

uint32_t fnv1a32(const std::string& text) {
  uint32_t h = 2166136261u;
  for (unsigned char b : text) {
    h ^= b;
    h *= 16777619u;
  }
  return h;
}

uint32_t mix32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7FEB352Du;
  x ^= x >> 15;
  x *= 0x846CA68Bu;
  x ^= x >> 16;
  return x;
}

}  // namespace

at::Tensor pseudo_values(const std::string& name, const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  const uint32_t seed = fnv1a32(name);
  const std::string leaf = name.substr(name.rfind('.') + 1);
  at::Tensor out = at::empty({n}, at::kFloat);
  float* p = out.data_ptr<float>();
  const double fan_scale = shape.size() >= 2 ? std::pow(3.0 / static_cast<double>(n / shape[0]), 0.5) : 0.0;
  for (int64_t i = 0; i < n; ++i) {
    const double u = static_cast<double>(mix32(static_cast<uint32_t>(i) + seed)) / 4294967296.0;
    const double v = 2.0 * u - 1.0;
    double value;
    if (shape.size() >= 2) value = v * fan_scale;
    else if (leaf == "running_var") value = 1.0 + 0.5 * u;
    else if (leaf == "running_mean") value = 0.1 * v;
    else if (leaf == "weight") value = 1.0 + 0.1 * v;
    else value = 0.05 * v;
    p[i] = static_cast<float>(value);
  }
  return out.view(shape);
}

std::vector<std::pair<std::string, std::vector<int64_t>>> set_pseudo_weights(torch::nn::Module& root) {
  std::vector<std::pair<std::string, std::vector<int64_t>>> state;
  torch::NoGradGuard no_grad;
  auto fill = [&](const std::string& name, at::Tensor& t) {
    state.emplace_back(name, t.sizes().vec());
    if (at::isFloatingType(t.scalar_type())) t.copy_(pseudo_values(name, t.sizes().vec()));
  };
  for (auto& p : root.named_parameters(true)) fill(p.key(), p.value());
  for (auto& b : root.named_buffers(true)) fill(b.key(), b.value());
  return state;
}

vision::Image synthetic_image(int64_t index, int64_t height, int64_t width) {
  const std::string key = "image" + std::to_string(index) + ":" + std::to_string(height) + "x" + std::to_string(width);
  const uint32_t seed = fnv1a32(key);
  vision::Image img;
  img.source = key;
  img.height = height;
  img.width = width;
  img.rgb.resize(static_cast<size_t>(height * width * 3));
  for (size_t i = 0; i < img.rgb.size(); ++i) img.rgb[i] = static_cast<uint8_t>(mix32(static_cast<uint32_t>(i) + seed) & 0xFF);
  return img;
}

}  // namespace ngbench::models::testing
