// Reading TFRecord files: both CRCs checked, corruption reported and
// skipped, a cut-short final record treated as the end of the data.
#include "hparams/record_reader.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "internal/crc32c.h"
#include "internal/record_format.h"
#include "internal/record_reader_access.h"

namespace hp {
namespace {

// No record can be larger than memory; capping the cap keeps
// kRecordOverheadBytes + length and the offsets built from it far from overflow
// whatever max_record_bytes a caller passes.
constexpr size_t kMaxRecordCap = SIZE_MAX / 4;

// Resynchronisation keeps a CRC of the scanned bytes every kCheckpointBytes
// and this many bytes behind the scan position buffered, so the CRC of any
// window ahead can be had from two checkpoints and a shift.
constexpr uint64_t kCheckpointBytes = 64;
constexpr size_t kKeepBehind = 2 * kCheckpointBytes;

class RecordReaderImpl final : public RecordReader {
 public:
  RecordReaderImpl(std::unique_ptr<SequentialFile> file, std::string path, RecordReaderOptions options)
      : file_(std::move(file)), path_(std::move(path)), options_(std::move(options)) {
    if (options_.buffer_bytes < 4096) options_.buffer_bytes = 4096;
    options_.max_record_bytes = std::min(options_.max_record_bytes, kMaxRecordCap);
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
          std::string_view data(buf_.data() + start_ + internal::kRecordHeaderBytes, parse.length);
          start_ += internal::kRecordOverheadBytes + parse.length;
          return data;
        }
        case Outcome::kEnd:
          return absl::OutOfRangeError(absl::StrCat("end of records in '", path_, "'"));
        case Outcome::kTruncated: {
          if (parse.header_ok) {
            // The claimed length runs past the end of the file. A writer still
            // writing that record looks the same, unless a whole record
            // follows: then the length is corrupt and the records after it count.
            ScanResult found;
            absl::Status s = scan(cursor_offset() + 1, /*commit=*/false, &found);
            if (!s.ok()) return sticky_ = s;
            if (found.found) {
              absl::Status reason = absl::DataLossError(absl::StrCat(
                  "the record at offset ", cursor_offset(), " in '", path_, "' claims ", parse.length,
                  " bytes, more than the ", available(),
                  " bytes left in the file, and a valid record follows at offset ", found.offset));
              if (!options_.resync_after_corruption) return sticky_ = reason;
              skip_to(found.offset, reason);
              continue;
            }
          }
          truncated_tail_ = true;
          return absl::OutOfRangeError(absl::StrCat("'", path_, "' ends inside a record at offset ",
                                                    cursor_offset(), "; earlier records are complete"));
        }
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
  void add_dropped(uint64_t n) { bytes_dropped_ += n; }

 private:
  enum class Outcome { kRecord, kEnd, kTruncated, kCorrupt };
  struct Parse {
    Outcome outcome = Outcome::kEnd;
    uint64_t length = 0;
    bool header_ok = false;  // the length field is trustworthy
    absl::Status reason;
  };
  struct ScanResult {
    bool found = false;  // a whole record checks out at `offset`
    uint64_t offset = 0;
    bool tail = false;  // else: the first good header whose record runs past the end
    uint64_t tail_offset = 0;
    uint64_t end = 0;  // else: where fewer than a header's bytes are left
  };

  uint64_t cursor_offset() const { return buf_offset_ + start_; }
  size_t available() const { return limit_ - start_; }
  const char* at(uint64_t offset) const { return buf_.data() + (offset - buf_offset_); }

  // Makes at least `n` bytes available from start_, unless the file ends
  // first. The buffer grows only as data arrives (at most doubling), so a
  // length claim never allocates more than about twice what the file holds.
  absl::Status fill(size_t n) {
    while (available() < n && !eof_) {
      if (limit_ == buf_.size()) {
        if (start_ > 0 && start_ >= available()) {
          // Moving no more than was consumed keeps refilling linear.
          std::memmove(buf_.data(), buf_.data() + start_, available());
          buf_offset_ += start_;
          limit_ -= start_;
          start_ = 0;
        } else {
          const size_t wanted = start_ + n;
          const size_t doubled = buf_.size() > SIZE_MAX / 2 ? SIZE_MAX : buf_.size() * 2;
          const size_t new_size = std::max(options_.buffer_bytes, std::min(wanted, doubled));
          try {
            buf_.resize(new_size);
          } catch (const std::bad_alloc&) {
            return absl::ResourceExhaustedError(
                absl::StrCat("out of memory growing the read buffer of '", path_, "' to ", new_size,
                             " bytes; lower max_record_bytes or free memory"));
          }
        }
      }
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
    absl::Status s = fill(internal::kRecordHeaderBytes);
    if (!s.ok()) return s;
    if (available() < internal::kRecordHeaderBytes) {
      parse->outcome = available() == 0 ? Outcome::kEnd : Outcome::kTruncated;
      return absl::OkStatus();
    }
    const char* header = buf_.data() + start_;
    const uint64_t length = internal::decode_fixed64(header);
    const uint32_t stored = internal::decode_fixed32(header + internal::kRecordLengthBytes);
    if (internal::crc32c_unmask(stored) != internal::crc32c_value(header, internal::kRecordLengthBytes)) {
      parse->outcome = Outcome::kCorrupt;
      parse->reason = absl::DataLossError(
          absl::StrCat("bad length CRC at offset ", cursor_offset(), " in '", path_, "'"));
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
    // Cannot overflow: length <= kMaxRecordCap.
    const size_t total = internal::kRecordOverheadBytes + static_cast<size_t>(length);
    s = fill(total);
    if (!s.ok()) return s;
    if (available() < total) {
      parse->outcome = Outcome::kTruncated;
      return absl::OkStatus();
    }
    const char* data = buf_.data() + start_ + internal::kRecordHeaderBytes;
    const uint32_t stored_data = internal::decode_fixed32(data + length);
    if (internal::crc32c_unmask(stored_data) != internal::crc32c_value(data, static_cast<size_t>(length))) {
      parse->outcome = Outcome::kCorrupt;
      parse->reason = absl::DataLossError(absl::StrCat(
          "bad data CRC in the ", length, "-byte record at offset ", cursor_offset(), " in '", path_, "'"));
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
    const uint64_t skip = bad.header_ok ? internal::kRecordOverheadBytes + bad.length : 1;
    absl::Status s = advance(skip);
    if (!s.ok()) return s;
    ScanResult result;
    s = scan(cursor_offset(), /*commit=*/true, &result);
    if (!s.ok()) return s;
    // A record cut short by the end of the file is left for read_record()
    // to report as the truncated tail.
    uint64_t target = result.found ? result.offset : result.tail ? result.tail_offset : result.end;
    if (target < buf_offset_) target = result.end;  // defensive: never point before the buffer
    start_ = static_cast<size_t>(target - buf_offset_);
    const uint64_t dropped = target - bad_offset;
    bytes_dropped_ += dropped;
    if (options_.on_corruption) {
      options_.on_corruption(CorruptionReport{path_, bad_offset, dropped, bad.reason});
    }
    return absl::OkStatus();
  }

  // Moves the cursor to `offset` (buffered, ahead of it) and reports the
  // skipped bytes as corrupt.
  void skip_to(uint64_t offset, const absl::Status& reason) {
    const uint64_t bad_offset = cursor_offset();
    start_ = static_cast<size_t>(offset - buf_offset_);
    bytes_dropped_ += offset - bad_offset;
    if (options_.on_corruption) {
      options_.on_corruption(CorruptionReport{path_, bad_offset, offset - bad_offset, reason});
    }
  }

  // Finds the first offset >= `from` where a whole record checks out. Each
  // offset costs O(1) amortised: the header CRC is 12 bytes, and the data CRC
  // of a candidate comes from running prefix CRCs (internal::crc32c_shift), not from
  // re-reading its data, so a file with a plausible header at every byte is
  // still scanned in linear time. With `commit` the cursor follows the scan
  // (at most kKeepBehind bytes behind; the caller places it); without, the
  // cursor stays and the scan reads only what is already buffered up to the
  // end of the file. Precondition: cursor_offset() <= from.
  absl::Status scan(uint64_t from, bool commit, ScanResult* result) {
    const uint64_t base = from;
    // checkpoints_[i] is the CRC of [base, base + (first + i) * kCheckpointBytes).
    checkpoints_.clear();
    checkpoints_.push_back(0);
    uint64_t first = 0;
    auto extend_checkpoints = [&](uint64_t upto) {
      for (;;) {
        const uint64_t next = first + checkpoints_.size();
        const uint64_t next_end = base + next * kCheckpointBytes;
        if (next_end > upto) return;
        checkpoints_.push_back(
            internal::crc32c_extend(checkpoints_.back(), at(next_end - kCheckpointBytes), kCheckpointBytes));
      }
    };
    // CRC of [base, x), x >= the first kept checkpoint.
    auto prefix = [&](uint64_t x) {
      extend_checkpoints(x);
      const uint64_t k = (x - base) / kCheckpointBytes;
      const uint64_t k_offset = base + k * kCheckpointBytes;
      return internal::crc32c_extend(checkpoints_[static_cast<size_t>(k - first)], at(k_offset),
                                     static_cast<size_t>(x - k_offset));
    };
    for (uint64_t q = from;; ++q) {
      if (commit && q - cursor_offset() > kKeepBehind) {
        start_ = static_cast<size_t>(q - kKeepBehind - buf_offset_);
      }
      const uint64_t rel = q - cursor_offset();
      absl::Status s = fill(static_cast<size_t>(rel) + internal::kRecordHeaderBytes);
      if (!s.ok()) return s;
      if (available() < rel + internal::kRecordHeaderBytes) {
        result->end = q;
        return absl::OkStatus();
      }
      // Checkpoints behind q are never needed again; keep them from lagging
      // so the bytes they cover are still buffered.
      extend_checkpoints(q);
      while (checkpoints_.size() > 1 && base + (first + 1) * kCheckpointBytes <= q) {
        checkpoints_.pop_front();
        ++first;
      }
      const char* header = at(q);
      if (internal::crc32c_unmask(internal::decode_fixed32(header + internal::kRecordLengthBytes)) !=
          internal::crc32c_value(header, internal::kRecordLengthBytes)) {
        continue;
      }
      const uint64_t length = internal::decode_fixed64(header);
      if (length > options_.max_record_bytes) continue;
      const size_t total = internal::kRecordOverheadBytes + static_cast<size_t>(length);
      s = fill(static_cast<size_t>(rel) + total);
      if (!s.ok()) return s;
      if (available() < rel + total) {
        if (!result->tail) {
          result->tail = true;
          result->tail_offset = q;
        }
        continue;
      }
      const uint64_t data = q + internal::kRecordHeaderBytes;
      const uint64_t data_end = data + length;
      if (length != shift_n_) {
        shift_n_ = length;
        shift_op_ = internal::crc32c_shift_operator(length);
      }
      const uint32_t crc = prefix(data_end) ^ internal::crc32c_multiply(shift_op_, prefix(data));
      if (internal::crc32c_unmask(internal::decode_fixed32(at(data_end))) == crc) {
        result->found = true;
        result->offset = q;
        return absl::OkStatus();
      }
    }
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
  // scan()'s state, kept to reuse the memory and the last shift operator.
  std::deque<uint32_t> checkpoints_;
  uint64_t shift_n_ = 0;
  uint32_t shift_op_ = 1u << 31;  // shift by 0
};

}  // namespace

absl::StatusOr<std::unique_ptr<RecordReader>> RecordReader::open(const std::string& path,
                                                                 RecordReaderOptions options) {
  Env* env = options.env != nullptr ? options.env : Env::default_env();
  absl::StatusOr<std::unique_ptr<SequentialFile>> file = env->new_sequential_file(path);
  if (!file.ok()) return file.status();
  return std::unique_ptr<RecordReader>(new RecordReaderImpl(std::move(*file), path, std::move(options)));
}

namespace internal {

const std::string& record_reader_path(const RecordReader& reader) {
  return static_cast<const RecordReaderImpl&>(reader).path();
}

void count_dropped_record(RecordReader* reader, uint64_t bytes) {
  static_cast<RecordReaderImpl*>(reader)->add_dropped(bytes);
}

}  // namespace internal

}  // namespace hp
