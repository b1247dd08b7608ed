#pragma once
// Real photographs as model inputs: decoding JPEG / PNG files into 8-bit RGB.
//
// Torch-free (decoding only); the per-model preprocessing (resize, crop,
// normalize) is in preprocess.h. Decoding uses stb_image (Debian libstb-dev).
// The shipped photographs are in data/images/ (see data/images/README.md).
#include <cstdint>
#include <string>
#include <vector>

namespace ngbench::models::vision {

struct Image {
  std::string source;               // the file it was decoded from
  int64_t height = 0, width = 0;
  std::vector<uint8_t> rgb;         // HWC, 8-bit RGB, height * width * 3 bytes
};

// Decodes every JPEG/PNG file at `path` (a file, or a directory: its *.jpg,
// *.jpeg and *.png files sorted by name); empty path: the shipped photographs.
// Throws ngbench::Error naming the path on a missing, empty or undecodable input.
std::vector<Image> load_images(const std::string& path);

// Decodes the bytes of one JPEG or PNG file; `source` names it in errors and
// becomes Image::source. Throws ngbench::Error when they are empty or undecodable.
Image decode_image(const std::string& bytes, const std::string& source);

// Where the shipped photographs are: $NGBENCH_IMAGES if set, else the source
// tree's data/images (compiled in).
std::string default_image_dir();

// `batch` images cycling through `images` (image i of the batch is
// images[i % images.size()]). Throws ngbench::Error when `images` is empty.
std::vector<Image> take(const std::vector<Image>& images, int64_t batch);

}  // namespace ngbench::models::vision
