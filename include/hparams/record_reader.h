// Reading TFRecord files (length, masked CRC-32C of length, data, masked
// CRC-32C of data) and the tensorboard Event records inside event files.
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
//   auto reader = hp::EventFileReader::Open(path);
//   if (!reader.ok()) return reader.status();
//   hp::proto::Event event;
//   for (;;) {
//     absl::StatusOr<bool> more = (*reader)->next(&event);
//     if (!more.ok()) return more.status();  // I/O error
//     if (!*more) break;                       // end of data
//     Use(event);
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
#include "hparams/proto/event.pb.h"
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

// Reads the Events of one event file.
class EventFileReader {
 public:
  static absl::StatusOr<std::unique_ptr<EventFileReader>> Open(const std::string& path,
                                                               RecordReaderOptions options = {});
  EventFileReader(const EventFileReader&) = delete;
  EventFileReader& operator=(const EventFileReader&) = delete;

  // Fills `event` with the next event. Returns false at the end of the
  // data. A record that is not a valid Event is reported like corruption
  // (DataLoss) and skipped.
  absl::StatusOr<bool> next(proto::Event* event);
  RecordReader& records() { return *records_; }

 private:
  explicit EventFileReader(std::unique_ptr<RecordReader> records, RecordReaderOptions options);
  std::unique_ptr<RecordReader> records_;
  RecordReaderOptions options_;
};

}  // namespace hp
HPARAMS_EXPORT_END

#endif  // HPARAMS_RECORD_READER_H_
