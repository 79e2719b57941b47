// The TFRecord on-disk format, stated once.
//
// A file is a sequence of records, each laid out as (all little-endian):
//
//   uint64  length                 number of data bytes
//   uint32  masked_crc32c(length)  over the 8 length bytes
//   byte    data[length]
//   uint32  masked_crc32c(data)
//
// masked_crc32c is crc32c_mask(crc32c_value(...)), see crc32c.h. There is
// no file header, no block structure and no padding; a reader that loses its
// place can only resynchronise by searching for a header whose CRC checks out.
#ifndef HPARAMS_INTERNAL_RECORD_FORMAT_H_
#define HPARAMS_INTERNAL_RECORD_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "internal/crc32c.h"

namespace hp::internal {

inline constexpr size_t kRecordLengthBytes = 8;
inline constexpr size_t kRecordCrcBytes = 4;
// length + its CRC.
inline constexpr size_t kRecordHeaderBytes = kRecordLengthBytes + kRecordCrcBytes;
// The data CRC after the payload.
inline constexpr size_t kRecordFooterBytes = kRecordCrcBytes;
inline constexpr size_t kRecordOverheadBytes = kRecordHeaderBytes + kRecordFooterBytes;

// GCC 12 at -O2 leaves the byte loops as loops; on a little-endian host the
// wire order is the memory order, so one memcpy (a single store) is exact.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
inline constexpr bool kLittleEndianHost = true;
#else
inline constexpr bool kLittleEndianHost = false;
#endif

inline void encode_fixed32(char* dst, uint32_t v) {
  if constexpr (kLittleEndianHost) {
    std::memcpy(dst, &v, sizeof(v));
  } else {
    for (int i = 0; i < 4; ++i) dst[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  }
}
inline void encode_fixed64(char* dst, uint64_t v) {
  if constexpr (kLittleEndianHost) {
    std::memcpy(dst, &v, sizeof(v));
  } else {
    for (int i = 0; i < 8; ++i) dst[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  }
}
inline uint32_t decode_fixed32(const char* src) {
  uint32_t v = 0;
  if constexpr (kLittleEndianHost) {
    std::memcpy(&v, src, sizeof(v));
  } else {
    for (int i = 0; i < 4; ++i) v |= uint32_t{static_cast<unsigned char>(src[i])} << (8 * i);
  }
  return v;
}
inline uint64_t decode_fixed64(const char* src) {
  uint64_t v = 0;
  if constexpr (kLittleEndianHost) {
    std::memcpy(&v, src, sizeof(v));
  } else {
    for (int i = 0; i < 8; ++i) v |= uint64_t{static_cast<unsigned char>(src[i])} << (8 * i);
  }
  return v;
}

// Writes the 12-byte header for a record of `length` data bytes.
inline void encode_record_header(char* dst, uint64_t length) {
  encode_fixed64(dst, length);
  encode_fixed32(dst + kRecordLengthBytes, crc32c_mask(crc32c_value(dst, kRecordLengthBytes)));
}

// Writes the 4-byte footer for `data`.
inline void encode_record_footer(char* dst, const char* data, size_t length) {
  encode_fixed32(dst, crc32c_mask(crc32c_value(data, length)));
}

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_RECORD_FORMAT_H_
