// Reading TFRecord files (length, masked CRC-32C of length, data, masked
// CRC-32C of data), such as event files. This header includes no protobuf
// header; EventFileReader, which decodes the records into proto::Events, is
// in the opt-in <hparams/summary.h>.
//
// Corruption is reported, not fatal: each bad stretch goes to
// RecordReaderOptions::on_corruption (file, offset, bytes dropped, why) and
// the reader resynchronises on the next offset where a whole record checks
// out (both CRCs, a length within max_record_bytes), so the records after
// the damage are read. One exception: when a record's length CRC checks out
// but its data CRC does not, the length is trusted and its whole claimed
// extent is dropped, records that start inside it included.
// Resynchronising takes time linear in the bytes it reads, however many
// plausible headers they hold (window CRCs come from running prefix CRCs);
// it reads the bytes it skips and at most max_record_bytes beyond them.
//
// A file that ends inside a record (a writer killed mid-write, or a file
// still being written) ends cleanly at the last complete record;
// truncated_tail() tells the caller. A length claim within max_record_bytes
// that runs past the end of the file is corruption (skipped, reported) when
// a whole record follows it, and the truncated tail otherwise; a claim over
// max_record_bytes is corruption (ResourceExhausted) wherever it stands.
//
// A length claim is never allocated up front: the buffer grows only as the
// file's bytes arrive, so it stays within about twice the longest stretch
// of the file one length claim covers (at most max_record_bytes, never more
// than the file holds), or buffer_bytes if that is larger. A buffer that
// cannot grow is ResourceExhausted, not an exception.
//
// Thread safety: a reader is used by one thread at a time.
//
// Example:
//   auto reader = hp::RecordReader::open(path);
//   if (!reader.ok()) return reader.status();
//   for (;;) {
//     absl::StatusOr<std::string_view> record = (*reader)->read_record();
//     if (absl::IsOutOfRange(record.status())) break;  // end of data
//     if (!record.ok()) return record.status();        // I/O error
//     Use(*record);
//   }
#ifndef HPARAMS_RECORD_READER_H_
#define HPARAMS_RECORD_READER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hparams/env.h"
#include "hparams/export.h"

HPARAMS_EXPORT_BEGIN
namespace hp {

// One stretch of a file that the reader had to skip.
struct CorruptionReport {
  std::string path;
  uint64_t offset = 0;         // where the bad bytes start
  uint64_t bytes_dropped = 0;  // how many bytes were skipped
  absl::Status reason;         // DataLoss or ResourceExhausted, naming the check that failed
};

struct RecordReaderOptions {
  // A length field above this is treated as corruption. Values above
  // SIZE_MAX / 4 (e.g. SIZE_MAX for "no cap") are clamped to it.
  size_t max_record_bytes = size_t{256} << 20;
  // Skip ahead to the next valid record after corruption (true), or stop
  // and return the DataLoss status (false).
  bool resync_after_corruption = true;
  // Called once per corrupt stretch. May be empty.
  std::function<void(const CorruptionReport&)> on_corruption;
  // Initial size of the read buffer (at least 4096); it grows for longer
  // records.
  size_t buffer_bytes = size_t{256} << 10;
  Env* env = nullptr;  // nullptr: Env::default_env()
};

class RecordReader {
 public:
  // Opens `path`. NotFound and other I/O errors come from the Env.
  static absl::StatusOr<std::unique_ptr<RecordReader>> open(const std::string& path,
                                                            RecordReaderOptions options = {});
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;
  virtual ~RecordReader() = default;

  // The next record's data, valid until the next call. OutOfRange at the
  // end of the data (clean end or truncated tail). With
  // resync_after_corruption false, the first corruption is returned instead
  // of skipped (DataLoss, or ResourceExhausted for a length over
  // max_record_bytes). That error, and any I/O error from the Env, is
  // sticky: every later call returns it. After OutOfRange, calling again
  // returns records appended to the file since, including a cut-short
  // record that has been completed.
  virtual absl::StatusOr<std::string_view> read_record() = 0;
  // File offset of the record last returned by read_record().
  virtual uint64_t record_offset() const = 0;
  // True when the last read_record() ended at a final record cut short.
  virtual bool truncated_tail() const = 0;
  // Bytes skipped because of corruption so far.
  virtual uint64_t bytes_dropped() const = 0;

 protected:
  RecordReader() = default;
};

}  // namespace hp
HPARAMS_EXPORT_END

#endif  // HPARAMS_RECORD_READER_H_
