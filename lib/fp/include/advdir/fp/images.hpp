// Images for the floating-point layer: pixels as float32 in [0, 1], row-major (n x d),
// from IDX files (MNIST's format, plain or gzip) read with checked headers.
#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace advdir::fp {

// A file that cannot be read as data: the message names the file and the problem.
struct DataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Images {
  std::size_t n = 0, d = 0;
  std::vector<float> x;  // n x d, each k / 255
  std::vector<int> y;    // the label of each image

  const float* row(std::size_t i) const { return x.data() + i * d; }
  Images subset(const std::vector<std::size_t>& indices) const;
};

// An IDX image file (magic 0x00000803) and its label file (0x00000801), each plain or
// gzip: wrong magic, dimensions, counts that differ, a truncated body or trailing
// bytes are DataErrors naming the file.
Images read_idx(const std::string& images, const std::string& labels);

// "mnist10k" (data_dir/mnist10k), "fashion" (Debian's dataset-fashion-mnist test set),
// or "IMAGES.idx,LABELS.idx".
Images load_images(const std::string& name, const std::string& data_dir);

}  // namespace advdir::fp
