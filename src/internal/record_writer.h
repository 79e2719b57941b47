// RecordWriter: appends TFRecord-framed records (see record_format.h) to a
// WritableFile, plus the framing helpers the event writer's hot path uses.
//
// Thread safety: a RecordWriter is used by one thread at a time; the free
// functions are pure.
#ifndef HPARAMS_INTERNAL_RECORD_WRITER_H_
#define HPARAMS_INTERNAL_RECORD_WRITER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "hparams/env.h"

namespace hp::internal {

// Appends the framed form of `data` (header, data, footer) to `*out`.
void append_framed_record(std::string_view data, std::string* out);

// Returns the framed form of `data`.
std::string frame_record(std::string_view data);

class RecordWriter {
 public:
  // `file` must outlive the writer, which does not own it.
  explicit RecordWriter(WritableFile* file) : file_(file) {}
  RecordWriter(const RecordWriter&) = delete;
  RecordWriter& operator=(const RecordWriter&) = delete;

  // Appends one record. An error comes from the file; the record may then be
  // partly written, which a reader treats as a truncated tail.
  absl::Status add_record(std::string_view data);

 private:
  WritableFile* file_;
};

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_RECORD_WRITER_H_
