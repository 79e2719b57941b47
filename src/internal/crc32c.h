// CRC-32C (Castagnoli), the checksum of TFRecord framing, and its masking.
//
// crc32c_extend() picks the fastest implementation once per process: the SSE4.2
// crc32 instruction (three interleaved streams) on x86-64, the ARMv8 CRC
// instructions on AArch64, and a portable slicing-by-8 table otherwise.
// All implementations return identical values; the portable and hardware
// entry points are exposed so tests can prove it.
//
// Thread safety: every function is pure and may be called concurrently.
#ifndef HPARAMS_INTERNAL_CRC32C_H_
#define HPARAMS_INTERNAL_CRC32C_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HP_CRC32C_SMALL_X86 1
#include <nmmintrin.h>
#endif

namespace hp::internal {

// Returns the CRC-32C of data[0, n) appended to a message whose CRC-32C is
// `crc`. crc32c_extend(0, d, n) is the CRC of d alone; crc32c("123456789") is
// 0xE3069283.
uint32_t crc32c_extend(uint32_t crc, const char* data, size_t n);

inline uint32_t crc32c_value(const char* data, size_t n) { return crc32c_extend(0, data, n); }

// The CRC-32C of B from the CRCs of A and of A followed by B:
// crc(B) = crc(A+B) ^ crc32c_shift(crc(A), |B|), where crc32c_shift() multiplies by x^(8n)
// modulo the polynomial (zlib's crc32_combine, read backwards). Lets a
// reader check the CRC of any window from running prefix CRCs in
// O(log n) instead of O(n). crc32c_shift(crc, 0) == crc.
uint32_t crc32c_shift(uint32_t crc, uint64_t n);
// The two halves of crc32c_shift(), for a caller that shifts by one n many times:
// crc32c_shift(crc, n) == crc32c_multiply(crc32c_shift_operator(n), crc).
uint32_t crc32c_shift_operator(uint64_t n);
uint32_t crc32c_multiply(uint32_t a, uint32_t b);

// TFRecord stores masked CRCs: a CRC of data that itself holds CRCs is
// weak, so the stored value is rotated and offset.
inline constexpr uint32_t kCrc32cMaskDelta = 0xA282EAD8u;

inline uint32_t crc32c_mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kCrc32cMaskDelta; }

inline uint32_t crc32c_unmask(uint32_t masked) {
  uint32_t rot = masked - kCrc32cMaskDelta;
  return (rot >> 17) | (rot << 15);
}

// The table implementation, available everywhere.
uint32_t crc32c_extend_portable(uint32_t crc, const char* data, size_t n);

// True when this CPU has CRC-32C instructions that crc32c_extend() uses.
bool crc32c_hardware_available();

// The hardware implementation. Precondition: crc32c_hardware_available().
uint32_t crc32c_extend_hardware(uint32_t crc, const char* data, size_t n);

#if defined(HP_CRC32C_SMALL_X86)
// A direct crc32 loop for short inputs (a scalar record is ~50 bytes), for
// callers compiled with the same target attribute so that it inlines: the
// dispatched crc32c_extend() costs a guarded static, an indirect call and the
// long-buffer checks, about 2.5x the work of the loop itself on a record
// that size. Precondition: crc32c_hardware_available().
__attribute__((target("sse4.2"))) inline uint32_t crc32c_extend_small_sse42(uint32_t crc, const char* data,
                                                                            size_t n) {
  uint64_t c = ~crc & 0xFFFFFFFFu;
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, data, sizeof(v));
    c = _mm_crc32_u64(c, v);
    data += 8;
    n -= 8;
  }
  uint32_t c32 = static_cast<uint32_t>(c);
  if (n & 4) {
    uint32_t v;
    std::memcpy(&v, data, sizeof(v));
    c32 = _mm_crc32_u32(c32, v);
    data += 4;
  }
  if (n & 2) {
    uint16_t v;
    std::memcpy(&v, data, sizeof(v));
    c32 = _mm_crc32_u16(c32, v);
    data += 2;
  }
  if (n & 1) c32 = _mm_crc32_u8(c32, static_cast<unsigned char>(*data));
  return ~c32;
}
#endif

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_CRC32C_H_
