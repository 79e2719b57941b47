// CRC-32C: standard check values, masking, and every implementation agreeing.
#include "internal/crc32c.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace hp {
namespace {

std::string bytes_of(std::initializer_list<int> values) {
  std::string s;
  for (int v : values) s.push_back(static_cast<char>(v));
  return s;
}

TEST(Crc32c, CheckValueOf123456789IsE3069283) {
  EXPECT_EQ(internal::crc32c_value("123456789", 9), 0xE3069283u);
  EXPECT_EQ(internal::crc32c_extend_portable(0, "123456789", 9), 0xE3069283u);
}

// RFC 3720 (iSCSI), appendix B.4.
TEST(Crc32c, MatchesRfc3720Vectors) {
  std::string zeros(32, '\0');
  EXPECT_EQ(internal::crc32c_value(zeros.data(), zeros.size()), 0x8A9136AAu);
  std::string ones(32, '\xff');
  EXPECT_EQ(internal::crc32c_value(ones.data(), ones.size()), 0x62A8AB43u);
  std::string ascending, descending;
  for (int i = 0; i < 32; ++i) {
    ascending.push_back(static_cast<char>(i));
    descending.push_back(static_cast<char>(31 - i));
  }
  EXPECT_EQ(internal::crc32c_value(ascending.data(), ascending.size()), 0x46DD794Eu);
  EXPECT_EQ(internal::crc32c_value(descending.data(), descending.size()), 0x113FDB5Cu);
  const std::string read_pdu = bytes_of(
      {0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
       0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
       0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
  EXPECT_EQ(internal::crc32c_value(read_pdu.data(), read_pdu.size()), 0xD9963A56u);
}

TEST(Crc32c, EmptyInputLeavesCrcUnchanged) {
  EXPECT_EQ(internal::crc32c_value("", 0), 0u);
  EXPECT_EQ(internal::crc32c_extend(0x12345678u, "", 0), 0x12345678u);
}

TEST(Crc32c, ExtendEqualsCrcOfConcatenation) {
  const std::string a = "hello ", b = "world, and a bit more text to cross a word boundary";
  const std::string ab = a + b;
  EXPECT_EQ(internal::crc32c_extend(internal::crc32c_value(a.data(), a.size()), b.data(), b.size()),
            internal::crc32c_value(ab.data(), ab.size()));
}

TEST(Crc32c, MaskIsNotIdentityAndUnmaskInvertsIt) {
  const uint32_t crc = internal::crc32c_value("foo", 3);
  EXPECT_NE(internal::crc32c_mask(crc), crc);
  EXPECT_NE(internal::crc32c_mask(internal::crc32c_mask(crc)), crc);
  EXPECT_EQ(internal::crc32c_unmask(internal::crc32c_mask(crc)), crc);
  EXPECT_EQ(
      internal::crc32c_unmask(internal::crc32c_unmask(internal::crc32c_mask(internal::crc32c_mask(crc)))),
      crc);
  // The golden README's formula, spelled out independently.
  const uint32_t rot = (crc >> 15) | (crc << 17);
  EXPECT_EQ(internal::crc32c_mask(crc), static_cast<uint32_t>(rot + 0xA282EAD8u));
}

// Reference: bit-at-a-time, the definition of the reflected CRC.
uint32_t bitwise_crc32c(const char* data, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    c ^= static_cast<unsigned char>(data[i]);
    for (int bit = 0; bit < 8; ++bit) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
  }
  return ~c;
}

std::vector<char> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<char> v(n);
  for (char& c : v) c = static_cast<char>(rng());
  return v;
}

TEST(Crc32c, PortableMatchesBitwiseDefinitionForAllLengthsAndAlignments) {
  const std::vector<char> buf = random_bytes(1024 + 16, 1);
  for (size_t offset = 0; offset < 8; ++offset) {
    for (size_t n = 0; n <= 1024; ++n) {
      ASSERT_EQ(internal::crc32c_extend_portable(0, buf.data() + offset, n),
                bitwise_crc32c(buf.data() + offset, n))
          << "offset " << offset << " length " << n;
    }
  }
}

TEST(Crc32c, HardwareMatchesPortableForAllLengthsAndAlignments) {
  if (!internal::crc32c_hardware_available()) GTEST_SKIP() << "no CRC-32C instructions on this CPU";
  const std::vector<char> buf = random_bytes(1024 + 16, 2);
  for (size_t offset = 0; offset < 8; ++offset) {
    for (size_t n = 0; n <= 1024; ++n) {
      const char* p = buf.data() + offset;
      ASSERT_EQ(internal::crc32c_extend_hardware(0, p, n), internal::crc32c_extend_portable(0, p, n))
          << "offset " << offset << " length " << n;
      ASSERT_EQ(internal::crc32c_extend_hardware(0xDEADBEEFu, p, n),
                internal::crc32c_extend_portable(0xDEADBEEFu, p, n));
    }
  }
}

#if defined(HP_CRC32C_SMALL_X86)
TEST(Crc32c, SmallRecordLoopMatchesPortableForAllShortLengthsAndAlignments) {
  if (!internal::crc32c_hardware_available()) GTEST_SKIP() << "no CRC-32C instructions on this CPU";
  const std::vector<char> buf = random_bytes(300 + 16, 4);
  for (size_t offset = 0; offset < 8; ++offset) {
    for (size_t n = 0; n <= 300; ++n) {
      const char* p = buf.data() + offset;
      ASSERT_EQ(internal::crc32c_extend_small_sse42(0, p, n), internal::crc32c_extend_portable(0, p, n))
          << "offset " << offset << " length " << n;
      ASSERT_EQ(internal::crc32c_extend_small_sse42(0xDEADBEEFu, p, n),
                internal::crc32c_extend_portable(0xDEADBEEFu, p, n));
    }
  }
}
#endif

// Lengths that cross the interleaved paths' block sizes (3 x 256, 3 x 8192).
TEST(Crc32c, HardwareMatchesPortableOnLargeBuffers) {
  if (!internal::crc32c_hardware_available()) GTEST_SKIP() << "no CRC-32C instructions on this CPU";
  const std::vector<char> buf = random_bytes((size_t{1} << 20) + 64, 3);
  for (size_t n :
       {767u, 768u, 769u, 1535u, 4096u, 24575u, 24576u, 24577u, 49152u + 768u + 5u, (1u << 20) + 3u}) {
    for (size_t offset : {0u, 1u, 3u, 7u}) {
      const char* p = buf.data() + offset;
      ASSERT_EQ(internal::crc32c_extend_hardware(7, p, n), internal::crc32c_extend_portable(7, p, n))
          << "offset " << offset << " length " << n;
    }
  }
}

TEST(Crc32c, DispatchedExtendMatchesPortable) {
  const std::vector<char> buf = random_bytes(100000, 4);
  EXPECT_EQ(internal::crc32c_extend(0, buf.data(), buf.size()),
            internal::crc32c_extend_portable(0, buf.data(), buf.size()));
}

}  // namespace
}  // namespace hp

namespace hp {
namespace {

// The reader's resynchronisation checks windows through shift(); it must
// agree with computing the CRC of the window directly.
TEST(Crc32c, ShiftRecoversTheCrcOfAnySuffix) {
  std::mt19937 rng(11);
  std::string data(70000, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (size_t split : {0u, 1u, 7u, 64u, 1000u, 65535u, 69999u, 70000u}) {
    const uint32_t prefix = internal::crc32c_value(data.data(), split);
    const uint32_t whole = internal::crc32c_value(data.data(), data.size());
    const uint32_t suffix = internal::crc32c_value(data.data() + split, data.size() - split);
    EXPECT_EQ(whole ^ internal::crc32c_shift(prefix, data.size() - split), suffix) << split;
  }
  EXPECT_EQ(internal::crc32c_shift(0x12345678u, 0), 0x12345678u);
}

}  // namespace
}  // namespace hp
