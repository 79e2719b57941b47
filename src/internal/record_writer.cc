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

}  // namespace hp::internal
