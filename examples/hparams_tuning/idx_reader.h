// Reads gzipped IDX files, the container of MNIST and Fashion-MNIST.
//
// IDX layout (big-endian): two zero bytes, a type byte (0x08 = unsigned
// byte, the only type these datasets use), the rank, then one uint32 per
// dimension, then the elements in row-major order.
#ifndef HPARAMS_EXAMPLES_HPARAMS_TUNING_IDX_READER_H_
#define HPARAMS_EXAMPLES_HPARAMS_TUNING_IDX_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace hparams_tuning {

struct IdxArray {
  std::vector<uint32_t> dims;
  std::vector<uint8_t> data;  // product(dims) bytes, row-major
};

// Reads the unsigned-byte IDX array of rank `expected_rank` in the gzip
// file `path` (an uncompressed file is read as is).
// Errors: NotFound / the OS error when the file cannot be opened;
// DataLoss for a wrong magic number, a different rank, a truncated file or
// bytes after the data; ResourceExhausted when the dimensions claim more
// than 1 GiB.
absl::StatusOr<IdxArray> read_idx_gz(const std::string& path, int expected_rank);

}  // namespace hparams_tuning

#endif  // HPARAMS_EXAMPLES_HPARAMS_TUNING_IDX_READER_H_
