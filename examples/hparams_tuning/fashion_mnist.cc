// Loading and checking the Fashion-MNIST IDX files.
#include "fashion_mnist.h"

#include <sys/stat.h>

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "idx_reader.h"

namespace hparams_tuning {
namespace {

absl::StatusOr<ImageSet> load_split(const std::string& dir, const std::string& prefix) {
  const std::string images_path = absl::StrCat(dir, "/", prefix, "-images-idx3-ubyte.gz");
  const std::string labels_path = absl::StrCat(dir, "/", prefix, "-labels-idx1-ubyte.gz");
  for (const std::string& path : {images_path, labels_path}) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      return absl::NotFoundError(absl::StrCat(
          "Fashion-MNIST not found: ", path,
          " does not exist. Install Debian's dataset-fashion-mnist package "
          "(apt-get install dataset-fashion-mnist) or pass --data-dir with the four *-ubyte.gz files."));
    }
  }
  absl::StatusOr<IdxArray> images = read_idx_gz(images_path, 3);
  if (!images.ok()) return images.status();
  absl::StatusOr<IdxArray> labels = read_idx_gz(labels_path, 1);
  if (!labels.ok()) return labels.status();
  if (images->dims[0] != labels->dims[0]) {
    return absl::DataLossError(absl::StrCat(images_path, " has ", images->dims[0], " images but ",
                                            labels_path, " has ", labels->dims[0], " labels"));
  }
  for (size_t i = 0; i < labels->data.size(); ++i) {
    if (labels->data[i] >= kNumClasses) {
      return absl::DataLossError(
          absl::StrCat(labels_path, ": label ", int{labels->data[i]}, " at index ", i, " is not in 0..9"));
    }
  }
  ImageSet set;
  set.count = images->dims[0];
  set.pixels_per_image = size_t{images->dims[1]} * images->dims[2];
  set.pixels = std::move(images->data);
  set.labels = std::move(labels->data);
  return set;
}

}  // namespace

absl::StatusOr<FashionMnist> load_fashion_mnist(const std::string& dir, size_t train_limit) {
  FashionMnist data;
  absl::StatusOr<ImageSet> train = load_split(dir, "train");
  if (!train.ok()) return train.status();
  absl::StatusOr<ImageSet> test = load_split(dir, "t10k");
  if (!test.ok()) return test.status();
  if (train->pixels_per_image != test->pixels_per_image || train->pixels_per_image == 0) {
    return absl::DataLossError(absl::StrCat("Fashion-MNIST in ", dir, ": training images have ",
                                            train->pixels_per_image, " pixels, test images ",
                                            test->pixels_per_image));
  }
  if (train_limit > 0 && train_limit < train->count) {
    train->count = train_limit;
    train->pixels.resize(train_limit * train->pixels_per_image);
    train->labels.resize(train_limit);
  }
  data.train = *std::move(train);
  data.test = *std::move(test);
  return data;
}

}  // namespace hparams_tuning
