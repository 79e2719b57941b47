// Reading TFRecord files (length, masked CRC-32C of length, data, masked
// CRC-32C of data), such as event files. This header includes no protobuf
// header; EventFileReader, which decodes the records into proto::Events, is
// in the opt-in <hparams/summary.h>.
//
// Corruption never loses the good records around it: a bad record is
// reported (file, offset, bytes dropped, why) to Options::on_corruption and
// the reader resynchronises on the next record whose two CRCs check out.
// Resynchronising is linear in the bytes skipped, however many plausible
// headers they hold (window CRCs come from running prefix CRCs). A file that
// ends inside a record (a writer killed mid-write, or a file still being
// written) ends cleanly at the last complete record; truncated_tail() tells
// the caller. A length claim is never allocated up front: the buffer grows
// only as the file's bytes arrive, and a claim that runs past the end of the
// file is corruption (skipped, reported) when a whole record follows it, and
// the truncated tail otherwise. Memory is bounded by about twice the largest
// record actually present; running out of it is ResourceExhausted, never an
// exception.
//
// Thread safety: a reader is used by one thread at a time.
//
// Example:
//   auto reader = hp::RecordReader::Open(path);
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
  // Size of the read buffer.
  size_t buffer_bytes = size_t{256} << 10;
  Env* env = nullptr;  // nullptr: Env::Default()
};

class RecordReader {
 public:
  // Opens `path`. NotFound and other I/O errors come from the Env.
  static absl::StatusOr<std::unique_ptr<RecordReader>> Open(const std::string& path,
                                                            RecordReaderOptions options = {});
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;
  virtual ~RecordReader() = default;

  // The next record's data, valid until the next call. OutOfRange at the
  // end of the data (clean end or truncated tail); DataLoss on corruption
  // only when resync_after_corruption is false; I/O errors from the Env
  // (sticky). After OutOfRange, calling again returns records appended to
  // the file since, including a cut-short record that has been completed.
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
