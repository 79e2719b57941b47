// Protocol-buffer base-128 varints, for the event encoders that write the
// wire format by hand (scalar_event, hparams_event) instead of through
// protobuf's generated code.
#ifndef HPARAMS_SRC_INTERNAL_VARINT_H_
#define HPARAMS_SRC_INTERNAL_VARINT_H_

#include <cstddef>
#include <cstdint>

namespace hp::internal {

// Bytes put_varint writes for `v`: 1 to 10.
inline size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Writes `v` at `p` (which has room for varint_size(v) bytes); returns the
// byte after it.
inline char* put_varint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

}  // namespace hp::internal

#endif  // HPARAMS_SRC_INTERNAL_VARINT_H_
