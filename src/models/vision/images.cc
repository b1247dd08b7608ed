#include "models/vision/images.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "core/error.h"

// stb_image is used header-only (the decoder is compiled into this file), so
// the binary needs no libstb at run time.
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#include <stb_image.h>

#ifndef NGBENCH_IMAGES_DIR
#define NGBENCH_IMAGES_DIR "data/images"
#endif

namespace ngbench::models::vision {

namespace fs = std::filesystem;

namespace {

bool is_image_name(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

// stb_image 2.27 (Debian bookworm's libstb-dev) writes past its Huffman tables when a JPEG
// declares more than 256 codes in one table (fixed upstream in 2.28). Such a file is corrupt:
// this walks its segments as stb_image does (reading missing bytes as 0, as it does) and says
// whether a table has too many codes, so that the file is refused before stb_image reads it.
bool has_oversized_huffman_table(const std::string& bytes) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  const auto at = [&](size_t i) -> size_t { return i < n ? b[i] : 0; };
  size_t i = 0;
  while (i < n && b[i] == 0xFF) ++i;  // SOI: 0xFF, fill bytes, 0xD8
  if (i == 0 || at(i) != 0xD8) return false;
  ++i;
  while (i < n) {
    if (b[i] != 0xFF) {  // padding, or a scan's entropy-coded data
      ++i;
      continue;
    }
    while (i < n && b[i] == 0xFF) ++i;  // fill bytes
    if (i >= n) break;
    const size_t marker = b[i++];
    if (marker == 0x00 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // in a scan: a stuffed 0xFF, a restart
    if (marker == 0xD9) break;                                              // EOI
    const size_t length = at(i) << 8 | at(i + 1);
    if (length < 2) break;  // stb_image stops here
    if (marker == 0xC4) {   // DHT: tables of class and id, 16 code counts, the codes' symbols
      for (size_t p = i + 2, left = length - 2; left > 0 && p < n;) {
        size_t codes = 0;
        for (size_t k = 1; k <= 16; ++k) codes += at(p + k);
        if (codes > 256) return true;
        if (left < 17 + codes) break;
        p += 17 + codes;
        left -= 17 + codes;
      }
    }
    i += length;  // past the segment (a scan's data follows its header)
  }
  return false;
}

Image decode(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("cannot read image '" + file.string() + "'");
  return decode_image(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()),
                      file.string());
}

}  // namespace

Image decode_image(const std::string& bytes, const std::string& source) {
  if (bytes.empty()) throw Error("image '" + source + "' is empty");
  if (has_oversized_huffman_table(bytes)) {
    throw Error("cannot decode image '" + source + "' as JPEG or PNG (corrupt JPEG: a Huffman table of over 256 codes)");
  }
  int w = 0, h = 0, channels = 0;
  // Always 3 channels: grayscale is replicated, alpha dropped (as PIL's convert("RGB")),
  // 16-bit PNG samples are reduced to 8 bits.
  unsigned char* pixels = stbi_load_from_memory(reinterpret_cast<const unsigned char*>(bytes.data()),
                                                static_cast<int>(bytes.size()), &w, &h, &channels, 3);
  if (pixels == nullptr || w <= 0 || h <= 0) {
    const char* why = stbi_failure_reason();
    if (pixels) stbi_image_free(pixels);
    throw Error("cannot decode image '" + source + "' as JPEG or PNG" +
                (why ? std::string(" (") + why + ")" : std::string()));
  }
  Image img;
  img.source = source;
  img.height = h;
  img.width = w;
  img.rgb.assign(pixels, pixels + static_cast<size_t>(w) * static_cast<size_t>(h) * 3);
  stbi_image_free(pixels);
  return img;
}

std::string default_image_dir() {
  if (const char* env = std::getenv("NGBENCH_IMAGES"); env && *env) return env;
  return NGBENCH_IMAGES_DIR;
}

std::vector<Image> load_images(const std::string& path) {
  const fs::path root = path.empty() ? fs::path(default_image_dir()) : fs::path(path);
  std::error_code ec;
  if (!fs::exists(root, ec)) throw Error("image path '" + root.string() + "' does not exist");
  std::vector<Image> out;
  if (fs::is_directory(root, ec)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
      if (entry.is_regular_file() && is_image_name(entry.path())) files.push_back(entry.path());
    }
    if (ec) throw Error("cannot list image directory '" + root.string() + "': " + ec.message());
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
    if (files.empty()) {
      throw Error("image directory '" + root.string() + "' has no .jpg, .jpeg or .png files");
    }
    for (const auto& f : files) out.push_back(decode(f));
  } else {
    out.push_back(decode(root));
  }
  return out;
}

std::vector<Image> take(const std::vector<Image>& images, int64_t batch) {
  if (images.empty()) throw Error("no images to fill a batch of " + std::to_string(batch));
  if (batch < 1) throw Error("batch must be at least 1, got " + std::to_string(batch));
  std::vector<Image> out;
  out.reserve(static_cast<size_t>(batch));
  for (int64_t i = 0; i < batch; ++i) out.push_back(images[static_cast<size_t>(i) % images.size()]);
  return out;
}

}  // namespace ngbench::models::vision
