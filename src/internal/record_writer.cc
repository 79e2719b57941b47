// TFRecord framing on the write side.
#include "internal/record_writer.h"

#include <cstring>

#include "internal/record_format.h"

namespace hp::internal {

void append_framed_record(std::string_view data, std::string* out) {
  const size_t start = out->size();
  out->resize(start + kRecordOverheadBytes + data.size());
  char* dst = &(*out)[start];
  encode_record_header(dst, data.size());
  if (!data.empty()) std::memcpy(dst + kRecordHeaderBytes, data.data(), data.size());
  encode_record_footer(dst + kRecordHeaderBytes + data.size(), data.data(), data.size());
}

std::string frame_record(std::string_view data) {
  std::string out;
  append_framed_record(data, &out);
  return out;
}

absl::Status RecordWriter::add_record(std::string_view data) {
  char header[kRecordHeaderBytes];
  char footer[kRecordFooterBytes];
  encode_record_header(header, data.size());
  encode_record_footer(footer, data.data(), data.size());
  absl::Status s = file_->append(std::string_view(header, sizeof(header)));
  if (s.ok()) s = file_->append(data);
  if (s.ok()) s = file_->append(std::string_view(footer, sizeof(footer)));
  return s;
}

}  // namespace hp::internal
