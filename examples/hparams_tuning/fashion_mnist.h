// Fashion-MNIST as Debian's dataset-fashion-mnist package installs it.
//
// 60,000 training and 10,000 test images of 28x28 grey pixels, labels 0..9.
// Pixels stay uint8 in memory (47 MB for the training set rather than
// 188 MB as floats); the trainer scales each batch to [0, 1] as it goes.
#ifndef HPARAMS_EXAMPLES_HPARAMS_TUNING_FASHION_MNIST_H_
#define HPARAMS_EXAMPLES_HPARAMS_TUNING_FASHION_MNIST_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace hparams_tuning {

inline constexpr char kFashionMnistDir[] = "/usr/share/datasets/fashion-mnist";
inline constexpr int kNumClasses = 10;

struct ImageSet {
  size_t count = 0;
  size_t pixels_per_image = 0;  // rows * cols
  std::vector<uint8_t> pixels;  // count * pixels_per_image, image after image
  std::vector<uint8_t> labels;  // count, each < kNumClasses
};

struct FashionMnist {
  ImageSet train;
  ImageSet test;
};

// Loads the four *-ubyte.gz files from `dir`, keeping only the first
// `train_limit` training images when train_limit > 0.
// Errors: NotFound naming the package to install when the files are absent;
// DataLoss when a file is corrupt or images and labels disagree.
absl::StatusOr<FashionMnist> load_fashion_mnist(const std::string& dir, size_t train_limit = 0);

}  // namespace hparams_tuning

#endif  // HPARAMS_EXAMPLES_HPARAMS_TUNING_FASHION_MNIST_H_
