// CRC-32C: portable slicing-by-8, SSE4.2 and ARMv8 paths, chosen at run time.
#include "internal/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HP_CRC32C_X86 1
#include <nmmintrin.h>
#elif defined(__aarch64__) && defined(__linux__) && (defined(__GNUC__) || defined(__clang__))
#define HP_CRC32C_ARM 1
#include <arm_acle.h>
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

namespace hp::internal {
namespace {

constexpr uint32_t kPolynomial = 0x82F63B78u;  // reflected Castagnoli polynomial

using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables make_tables() {
  Tables t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1) ? (c >> 1) ^ kPolynomial : c >> 1;
    t[0][i] = c;
  }
  for (size_t k = 1; k < 8; ++k) {
    for (size_t i = 0; i < 256; ++i) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF];
  }
  return t;
}

constexpr Tables kTables = make_tables();

inline uint32_t load_le32(const unsigned char* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

// The CRC register without the pre- and post-inversion, so that it is linear
// in its input state; the hardware paths need that to combine streams.
uint32_t raw_portable(uint32_t state, const unsigned char* p, size_t n) {
  uint32_t c = state;
  while (n > 0 && (reinterpret_cast<uintptr_t>(p) & 7) != 0) {
    c = (c >> 8) ^ kTables[0][(c ^ *p++) & 0xFF];
    --n;
  }
  while (n >= 8) {
    const uint32_t lo = c ^ load_le32(p);
    const uint32_t hi = load_le32(p + 4);
    c = kTables[7][lo & 0xFF] ^ kTables[6][(lo >> 8) & 0xFF] ^ kTables[5][(lo >> 16) & 0xFF] ^
        kTables[4][lo >> 24] ^ kTables[3][hi & 0xFF] ^ kTables[2][(hi >> 8) & 0xFF] ^
        kTables[1][(hi >> 16) & 0xFF] ^ kTables[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    c = (c >> 8) ^ kTables[0][(c ^ *p++) & 0xFF];
    --n;
  }
  return c;
}

#if defined(HP_CRC32C_X86)

// Three independent crc32 chains hide the instruction's 3-cycle latency.
// Each block of 3 * len bytes is summed as three streams, which are then
// joined by "appending len zero bytes" to the earlier stream's register, a
// linear map done with four table lookups.
constexpr size_t kLongBlock = 8192;
constexpr size_t kShortBlock = 256;

struct ShiftTable {
  std::array<std::array<uint32_t, 256>, 4> t;

  explicit ShiftTable(size_t zero_bytes) {
    // The map is linear over GF(2): compute it on the 32 basis states, then
    // tabulate every byte of the state from those.
    static const unsigned char kZeros[kLongBlock] = {};
    uint32_t basis[32];
    for (int i = 0; i < 32; ++i) basis[i] = raw_portable(uint32_t{1} << i, kZeros, zero_bytes);
    for (int k = 0; k < 4; ++k) {
      for (uint32_t b = 0; b < 256; ++b) {
        uint32_t v = 0;
        for (int j = 0; j < 8; ++j) {
          if (b & (1u << j)) v ^= basis[8 * k + j];
        }
        t[k][b] = v;
      }
    }
  }

  uint32_t shift(uint32_t c) const {
    return t[0][c & 0xFF] ^ t[1][(c >> 8) & 0xFF] ^ t[2][(c >> 16) & 0xFF] ^ t[3][c >> 24];
  }
};

const ShiftTable& long_shift() {
  static const ShiftTable table(kLongBlock);
  return table;
}
const ShiftTable& short_shift() {
  static const ShiftTable table(kShortBlock);
  return table;
}

inline uint64_t load_u64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

__attribute__((target("sse4.2"))) inline const unsigned char* three_way(const unsigned char* p, size_t block,
                                                                        const ShiftTable& shift,
                                                                        uint64_t* state) {
  uint64_t c0 = *state, c1 = 0, c2 = 0;
  const unsigned char* const end = p + block;
  do {
    c0 = _mm_crc32_u64(c0, load_u64(p));
    c1 = _mm_crc32_u64(c1, load_u64(p + block));
    c2 = _mm_crc32_u64(c2, load_u64(p + 2 * block));
    p += 8;
  } while (p < end);
  c0 = shift.shift(static_cast<uint32_t>(c0)) ^ c1;
  c0 = shift.shift(static_cast<uint32_t>(c0)) ^ c2;
  *state = c0;
  return p + 2 * block;
}

__attribute__((target("sse4.2"))) uint32_t extend_sse42(uint32_t crc, const char* data, size_t n) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(data);
  uint64_t c = ~crc & 0xFFFFFFFFu;
  if (n >= 3 * kShortBlock) {
    // Aligned loads pay off only on long runs; short records (the common
    // case) skip the byte-at-a-time prologue.
    while ((reinterpret_cast<uintptr_t>(p) & 7) != 0) {
      c = _mm_crc32_u8(static_cast<uint32_t>(c), *p++);
      --n;
    }
    if (n >= 3 * kLongBlock) {
      const ShiftTable& table = long_shift();
      do {
        p = three_way(p, kLongBlock, table, &c);
        n -= 3 * kLongBlock;
      } while (n >= 3 * kLongBlock);
    }
    const ShiftTable& table = short_shift();
    while (n >= 3 * kShortBlock) {
      p = three_way(p, kShortBlock, table, &c);
      n -= 3 * kShortBlock;
    }
  }
  // What is left (under three short blocks) is crc32c_extend_small_sse42's
  // loop, which inlines here: the same instructions, written once.
  return crc32c_extend_small_sse42(~static_cast<uint32_t>(c), reinterpret_cast<const char*>(p), n);
}

bool detect_hardware() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2");
}

#elif defined(HP_CRC32C_ARM)

__attribute__((target("+crc"))) uint32_t extend_armv8(uint32_t crc, const char* data, size_t n) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(data);
  uint32_t c = ~crc;
  while (n > 0 && (reinterpret_cast<uintptr_t>(p) & 7) != 0) {
    c = __crc32cb(c, *p++);
    --n;
  }
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, sizeof(v));
    c = __crc32cd(c, v);
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    c = __crc32cb(c, *p++);
    --n;
  }
  return ~c;
}

bool detect_hardware() { return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0; }

#else

bool detect_hardware() { return false; }

#endif

using ExtendFn = uint32_t (*)(uint32_t, const char*, size_t);

ExtendFn choose_implementation() {
#if defined(HP_CRC32C_X86)
  if (detect_hardware()) {
    // Build the combine tables now rather than inside a caller's hot loop.
    long_shift();
    short_shift();
    return &extend_sse42;
  }
#elif defined(HP_CRC32C_ARM)
  if (detect_hardware()) return &extend_armv8;
#endif
  return &crc32c_extend_portable;
}

}  // namespace

uint32_t crc32c_extend_portable(uint32_t crc, const char* data, size_t n) {
  return ~raw_portable(~crc, reinterpret_cast<const unsigned char*>(data), n);
}

bool crc32c_hardware_available() {
  static const bool available = detect_hardware();
  return available;
}

uint32_t crc32c_extend_hardware(uint32_t crc, const char* data, size_t n) {
#if defined(HP_CRC32C_X86)
  return extend_sse42(crc, data, n);
#elif defined(HP_CRC32C_ARM)
  return extend_armv8(crc, data, n);
#else
  return crc32c_extend_portable(crc, data, n);
#endif
}

namespace {

// a * b modulo the polynomial, both in the reflected bit order (zlib's multmodp).
uint32_t multiply_mod(uint32_t a, uint32_t b) {
  uint32_t product = 0;
  for (uint32_t m = 1u << 31; m != 0; m >>= 1) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1)) == 0) break;
    }
    b = (b & 1) ? (b >> 1) ^ kPolynomial : b >> 1;
  }
  return product;
}

// x^(8 * d * 16^i) for every hex digit d of a 64-bit byte count: any shift
// then takes at most 16 multiplications.
struct PowerTable {
  uint32_t power[16][16];
  PowerTable() {
    uint32_t x8 = 1u << 23;  // x^8, reflected (x^0 is 1 << 31)
    for (int i = 0; i < 16; ++i) {
      power[i][0] = 1u << 31;
      for (int d = 1; d < 16; ++d) power[i][d] = multiply_mod(power[i][d - 1], x8);
      // x^(8 * 16^(i+1)) = (x^(8 * 16^i))^16
      uint32_t next = x8;
      for (int k = 0; k < 4; ++k) next = multiply_mod(next, next);
      x8 = next;
    }
  }
};

}  // namespace

uint32_t crc32c_shift_operator(uint64_t n) {
  static const PowerTable table;
  uint32_t op = 1u << 31;
  for (int i = 0; n != 0; ++i, n >>= 4) {
    if ((n & 15) != 0) op = multiply_mod(op, table.power[i][n & 15]);
  }
  return op;
}

uint32_t crc32c_multiply(uint32_t a, uint32_t b) { return multiply_mod(a, b); }

uint32_t crc32c_shift(uint32_t crc, uint64_t n) { return multiply_mod(crc32c_shift_operator(n), crc); }

uint32_t crc32c_extend(uint32_t crc, const char* data, size_t n) {
  static const ExtendFn fn = choose_implementation();
  return fn(crc, data, n);
}

}  // namespace hp::internal
