// Reading TFRecord files: both CRCs checked, corruption reported and
// skipped, a cut-short final record treated as the end of the data.
#include "hparams/record_reader.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "internal/crc32c.h"
#include "internal/record_format.h"

namespace hp {
namespace {

namespace rf = record_format;

class RecordReaderImpl final : public RecordReader {
 public:
  RecordReaderImpl(std::unique_ptr<SequentialFile> file, std::string path, RecordReaderOptions options)
      : file_(std::move(file)), path_(std::move(path)), options_(std::move(options)) {
    if (options_.buffer_bytes < 4096) options_.buffer_bytes = 4096;
  }

  absl::StatusOr<std::string_view> read_record() override {
    if (!sticky_.ok()) return sticky_;
    // The end of the file is not final: a writer may have appended since.
    eof_ = false;
    truncated_tail_ = false;
    for (;;) {
      Parse parse;
      absl::Status io = parse_at_cursor(&parse);
      if (!io.ok()) return sticky_ = io;
      switch (parse.outcome) {
        case Outcome::kRecord: {
          record_offset_ = cursor_offset();
          std::string_view data(buf_.data() + start_ + rf::kHeaderBytes, parse.length);
          start_ += rf::kOverheadBytes + parse.length;
          return data;
        }
        case Outcome::kEnd:
          return absl::OutOfRangeError(absl::StrCat("end of records in '", path_, "'"));
        case Outcome::kTruncated:
          truncated_tail_ = true;
          return absl::OutOfRangeError(absl::StrCat("'", path_, "' ends inside a record at offset ",
                                                    cursor_offset(), "; earlier records are complete"));
        case Outcome::kCorrupt: {
          if (!options_.resync_after_corruption) return sticky_ = parse.reason;
          absl::Status s = resync(parse);
          if (!s.ok()) return sticky_ = s;
          continue;
        }
      }
    }
  }

  uint64_t record_offset() const override { return record_offset_; }
  bool truncated_tail() const override { return truncated_tail_; }
  uint64_t bytes_dropped() const override { return bytes_dropped_; }

  const std::string& path() const { return path_; }
  const RecordReaderOptions& options() const { return options_; }
  void add_dropped(uint64_t n) { bytes_dropped_ += n; }

 private:
  enum class Outcome { kRecord, kEnd, kTruncated, kCorrupt };
  struct Parse {
    Outcome outcome = Outcome::kEnd;
    uint64_t length = 0;
    bool header_ok = false;  // the length field is trustworthy
    absl::Status reason;
  };

  uint64_t cursor_offset() const { return buf_offset_ + start_; }
  size_t available() const { return limit_ - start_; }

  // Makes at least `n` bytes available from start_, unless the file ends
  // first. Never asked for more than a record the size cap allows.
  absl::Status fill(size_t n) {
    if (available() >= n || eof_) return absl::OkStatus();
    if (start_ > 0) {
      std::memmove(buf_.data(), buf_.data() + start_, available());
      buf_offset_ += start_;
      limit_ -= start_;
      start_ = 0;
    }
    if (buf_.size() < n) buf_.resize(std::max(n, options_.buffer_bytes));
    if (buf_.size() < options_.buffer_bytes) buf_.resize(options_.buffer_bytes);
    while (limit_ < n && !eof_) {
      char* dst = buf_.data() + limit_;
      const size_t room = buf_.size() - limit_;
      absl::StatusOr<std::string_view> got = file_->read(room, dst);
      if (!got.ok()) return got.status();
      if (got->empty()) {
        eof_ = true;
        break;
      }
      if (got->data() != dst) std::memmove(dst, got->data(), got->size());
      limit_ += got->size();
    }
    return absl::OkStatus();
  }

  // Examines the bytes at the cursor without consuming them.
  absl::Status parse_at_cursor(Parse* parse) {
    absl::Status s = fill(rf::kHeaderBytes);
    if (!s.ok()) return s;
    if (available() < rf::kHeaderBytes) {
      parse->outcome = available() == 0 ? Outcome::kEnd : Outcome::kTruncated;
      return absl::OkStatus();
    }
    const char* header = buf_.data() + start_;
    const uint64_t length = rf::decode_fixed64(header);
    const uint32_t stored = rf::decode_fixed32(header + rf::kLengthBytes);
    if (crc32c::unmask(stored) != crc32c::value(header, rf::kLengthBytes)) {
      parse->outcome = Outcome::kCorrupt;
      parse->reason = absl::DataLossError(absl::StrCat("bad length CRC at offset ", cursor_offset(), " in '",
                                                       path_, "'"));
      return absl::OkStatus();
    }
    parse->header_ok = true;
    parse->length = length;
    if (length > options_.max_record_bytes) {
      parse->outcome = Outcome::kCorrupt;
      parse->header_ok = false;  // do not trust a length we refuse to read
      parse->reason = absl::ResourceExhaustedError(
          absl::StrCat("record at offset ", cursor_offset(), " in '", path_, "' claims ", length,
                       " bytes, over max_record_bytes (", options_.max_record_bytes, ")"));
      return absl::OkStatus();
    }
    const size_t total = rf::kOverheadBytes + static_cast<size_t>(length);
    s = fill(total);
    if (!s.ok()) return s;
    if (available() < total) {
      parse->outcome = Outcome::kTruncated;
      return absl::OkStatus();
    }
    const char* data = buf_.data() + start_ + rf::kHeaderBytes;
    const uint32_t stored_data = rf::decode_fixed32(data + length);
    if (crc32c::unmask(stored_data) != crc32c::value(data, static_cast<size_t>(length))) {
      parse->outcome = Outcome::kCorrupt;
      parse->reason = absl::DataLossError(absl::StrCat("bad data CRC in the ", length, "-byte record at offset ",
                                                       cursor_offset(), " in '", path_, "'"));
      return absl::OkStatus();
    }
    parse->outcome = Outcome::kRecord;
    return absl::OkStatus();
  }

  // Skips forward from a corrupt record to the next offset where a whole
  // record checks out (or to the end of the file), and reports the stretch.
  absl::Status resync(const Parse& bad) {
    const uint64_t bad_offset = cursor_offset();
    // A good header makes the record's extent certain: try right after it first.
    const uint64_t skip = bad.header_ok ? rf::kOverheadBytes + bad.length : 1;
    absl::Status s = advance(skip);
    if (!s.ok()) return s;
    for (;;) {
      Parse probe;
      s = parse_at_cursor(&probe);
      if (!s.ok()) return s;
      // A record cut short by the end of the file is left for read_record()
      // to report as the truncated tail.
      if (probe.outcome != Outcome::kCorrupt) break;
      s = advance(1);
      if (!s.ok()) return s;
    }
    const uint64_t dropped = cursor_offset() - bad_offset;
    bytes_dropped_ += dropped;
    if (options_.on_corruption) {
      options_.on_corruption(CorruptionReport{path_, bad_offset, dropped, bad.reason});
    }
    return absl::OkStatus();
  }

  // Moves the cursor `n` bytes forward, reading as needed.
  absl::Status advance(uint64_t n) {
    while (n > 0) {
      if (available() == 0) {
        if (eof_) return absl::OkStatus();
        // Drop the consumed bytes wholesale and refill.
        buf_offset_ += limit_;
        start_ = limit_ = 0;
        absl::Status s = fill(1);
        if (!s.ok()) return s;
        if (available() == 0) return absl::OkStatus();
      }
      const size_t step = static_cast<size_t>(std::min<uint64_t>(n, available()));
      start_ += step;
      n -= step;
    }
    return absl::OkStatus();
  }

  std::unique_ptr<SequentialFile> file_;
  std::string path_;
  RecordReaderOptions options_;
  std::vector<char> buf_;
  size_t start_ = 0;         // cursor within buf_
  size_t limit_ = 0;         // end of valid bytes in buf_
  uint64_t buf_offset_ = 0;  // file offset of buf_[0]
  bool eof_ = false;
  uint64_t record_offset_ = 0;
  bool truncated_tail_ = false;
  uint64_t bytes_dropped_ = 0;
  absl::Status sticky_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<RecordReader>> RecordReader::Open(const std::string& path,
                                                                 RecordReaderOptions options) {
  Env* env = options.env != nullptr ? options.env : Env::Default();
  absl::StatusOr<std::unique_ptr<SequentialFile>> file = env->new_sequential_file(path);
  if (!file.ok()) return file.status();
  return std::unique_ptr<RecordReader>(new RecordReaderImpl(std::move(*file), path, std::move(options)));
}

absl::StatusOr<std::unique_ptr<EventFileReader>> EventFileReader::Open(const std::string& path,
                                                                       RecordReaderOptions options) {
  absl::StatusOr<std::unique_ptr<RecordReader>> records = RecordReader::Open(path, options);
  if (!records.ok()) return records.status();
  return std::unique_ptr<EventFileReader>(new EventFileReader(std::move(*records), std::move(options)));
}

EventFileReader::EventFileReader(std::unique_ptr<RecordReader> records, RecordReaderOptions options)
    : records_(std::move(records)), options_(std::move(options)) {}

absl::StatusOr<bool> EventFileReader::next(proto::Event* event) {
  for (;;) {
    absl::StatusOr<std::string_view> record = records_->read_record();
    if (absl::IsOutOfRange(record.status())) return false;
    if (!record.ok()) return record.status();
    if (event->ParseFromArray(record->data(), static_cast<int>(record->size()))) return true;
    const std::string path = static_cast<RecordReaderImpl*>(records_.get())->path();
    absl::Status reason = absl::DataLossError(absl::StrCat("the ", record->size(), "-byte record at offset ",
                                                           records_->record_offset(), " in '", path,
                                                           "' is not a valid Event"));
    if (!options_.resync_after_corruption) return reason;
    const uint64_t dropped = rf::kOverheadBytes + record->size();
    static_cast<RecordReaderImpl*>(records_.get())->add_dropped(dropped);
    if (options_.on_corruption) {
      options_.on_corruption(CorruptionReport{path, records_->record_offset(), dropped, reason});
    }
  }
}

}  // namespace hp
