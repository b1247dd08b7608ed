// libFuzzer target: image decoding (models::vision::decode_image, stb_image
// for JPEG and PNG, what --images reads). Seeds: data/images/ and the tiny
// images of fuzz/seeds/image/.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "models/vision/images.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    ngbench::models::vision::decode_image(bytes, "fuzz.png");
  } catch (const ngbench::Error&) {
    // The documented one-line rejection of an undecodable file.
  }
  return 0;
}
