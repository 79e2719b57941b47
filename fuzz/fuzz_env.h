// An Env serving one in-memory file, so a fuzzer reads its input through
// the real RecordReader without touching the disk. The file hands out its
// bytes in pieces of varying size, as a pipe or a network file system would.
#ifndef HPARAMS_FUZZ_FUZZ_ENV_H_
#define HPARAMS_FUZZ_FUZZ_ENV_H_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "hparams/env.h"

namespace hp::fuzz {

class MemoryEnv : public EnvWrapper {
 public:
  MemoryEnv(std::string_view contents, size_t piece)
      : EnvWrapper(Env::default_env()), contents_(contents), piece_(piece) {}

  absl::StatusOr<std::unique_ptr<SequentialFile>> new_sequential_file(const std::string& path) override {
    return std::unique_ptr<SequentialFile>(new File(contents_, piece_));
  }

 private:
  class File : public SequentialFile {
   public:
    File(std::string_view contents, size_t piece) : rest_(contents), piece_(std::max<size_t>(piece, 1)) {}
    absl::StatusOr<std::string_view> read(size_t n, char* scratch) override {
      n = std::min({n, rest_.size(), piece_});
      std::memcpy(scratch, rest_.data(), n);
      rest_.remove_prefix(n);
      return std::string_view(scratch, n);
    }

   private:
    std::string_view rest_;
    size_t piece_;
  };

  std::string_view contents_;
  size_t piece_;
};

}  // namespace hp::fuzz

#endif  // HPARAMS_FUZZ_FUZZ_ENV_H_
