// Gzipped IDX reading with zlib.
#include "idx_reader.h"

#include <zlib.h>

#include <cerrno>
#include <cstddef>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace hparams_tuning {
namespace {

constexpr uint8_t kUnsignedByteType = 0x08;
constexpr uint64_t kMaxElements = uint64_t{1} << 30;

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

// Reads exactly `n` bytes or fewer at end of file; returns how many, or -1.
int64_t read_fully(gzFile file, uint8_t* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    const unsigned chunk = static_cast<unsigned>(std::min<size_t>(n - done, size_t{1} << 24));
    const int got = gzread(file, out + done, chunk);
    if (got < 0) return -1;
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return static_cast<int64_t>(done);
}

absl::Status read_error(gzFile file, const std::string& path) {
  int errnum = 0;
  const char* message = gzerror(file, &errnum);
  if (errnum == Z_ERRNO) return absl::ErrnoToStatus(errno, absl::StrCat("reading ", path));
  return absl::DataLossError(absl::StrCat(path, ": corrupt gzip data: ", message));
}

uint32_t big_endian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

}  // namespace

absl::StatusOr<IdxArray> read_idx_gz(const std::string& path, int expected_rank) {
  errno = 0;
  GzFile file(gzopen(path.c_str(), "rb"));
  if (file == nullptr) {
    if (errno != 0) return absl::ErrnoToStatus(errno, absl::StrCat("cannot open ", path));
    return absl::ResourceExhaustedError(absl::StrCat("cannot open ", path, ": zlib out of memory"));
  }
  uint8_t magic[4];
  int64_t got = read_fully(file.get(), magic, sizeof magic);
  if (got < 0) return read_error(file.get(), path);
  if (got != 4 || magic[0] != 0 || magic[1] != 0 || magic[2] != kUnsignedByteType ||
      magic[3] != expected_rank) {
    return absl::DataLossError(absl::StrFormat(
        "%s: not an unsigned-byte IDX file of rank %d (magic %02x %02x %02x %02x, want 00 00 08 %02x)", path,
        expected_rank, got > 0 ? magic[0] : 0, got > 1 ? magic[1] : 0, got > 2 ? magic[2] : 0,
        got > 3 ? magic[3] : 0, expected_rank));
  }

  IdxArray array;
  uint64_t elements = 1;
  for (int i = 0; i < expected_rank; ++i) {
    uint8_t dim[4];
    got = read_fully(file.get(), dim, sizeof dim);
    if (got < 0) return read_error(file.get(), path);
    if (got != 4) return absl::DataLossError(absl::StrCat(path, ": truncated IDX header"));
    array.dims.push_back(big_endian32(dim));
    elements *= array.dims.back();
    if (elements > kMaxElements) {
      return absl::ResourceExhaustedError(
          absl::StrCat(path, ": IDX dimensions claim more than ", kMaxElements, " elements"));
    }
  }

  array.data.resize(elements);
  got = read_fully(file.get(), array.data.data(), array.data.size());
  if (got < 0) return read_error(file.get(), path);
  if (static_cast<uint64_t>(got) != elements) {
    return absl::DataLossError(
        absl::StrCat(path, ": truncated: header promises ", elements, " bytes of data, file has ", got));
  }
  uint8_t extra;
  got = read_fully(file.get(), &extra, 1);
  if (got < 0) return read_error(file.get(), path);
  if (got != 0) return absl::DataLossError(absl::StrCat(path, ": unexpected bytes after the IDX data"));
  return array;
}

}  // namespace hparams_tuning
