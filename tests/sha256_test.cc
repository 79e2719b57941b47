// SHA-256 against the FIPS 180-4 examples and every golden file's checksum.
#include "internal/sha256.h"

#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "hparams_test_support.h"

namespace hp::internal {
namespace {

// The example messages of FIPS 180-4 / NIST's "SHA-256 examples".
TEST(Sha256, MatchesTheFipsExamples) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, HashesAMillionAsInPieces) {
  const std::string million(1000000, 'a');
  EXPECT_EQ(sha256_hex(million), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // The same bytes fed in uneven pieces give the same digest.
  Sha256 hasher;
  size_t done = 0;
  for (size_t piece = 1; done < million.size(); piece = piece * 3 + 1) {
    const size_t n = std::min(piece % 997 + 1, million.size() - done);
    hasher.update(std::string_view(million).substr(done, n));
    done += n;
  }
  EXPECT_EQ(hasher.digest(), sha256(million));
}

TEST(Sha256, HandlesEveryLengthAroundTheBlockBoundary) {
  // Lengths 55, 56, 63, 64 and 65 exercise one- and two-block padding;
  // hashing in one piece or byte by byte must agree.
  for (size_t len : {55, 56, 57, 63, 64, 65, 119, 120, 128}) {
    const std::string data(len, 'x');
    Sha256 bytewise;
    for (char c : data) bytewise.update(std::string_view(&c, 1));
    EXPECT_EQ(bytewise.digest(), sha256(data)) << "length " << len;
  }
}

// SHA256SUMS (made with sha256sum) lists every golden file.
TEST(Sha256, HardwareAndPortableAgreeOnEveryLengthAndSplit) {
  if (!sha256_hardware_available()) GTEST_SKIP() << "no SHA-256 instructions on this CPU";
  std::string data(700, '\0');
  uint32_t x = 12345;
  for (char& c : data) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  for (size_t n = 0; n <= data.size(); ++n) {
    const std::string_view message(data.data(), n);
    Sha256 fast;
    Sha256 portable(Sha256::Implementation::kPortable);
    // Uneven pieces, so blocks are compressed both from the caller's bytes
    // and from the hasher's buffer.
    for (size_t i = 0; i < n; i += 37) {
      fast.update(message.substr(i, 37));
      portable.update(message.substr(i, 37));
    }
    ASSERT_EQ(fast.digest(), portable.digest()) << "length " << n;
  }
}

TEST(Sha256, ReproducesEveryGoldenChecksum) {
  std::istringstream sums(test_util::read_bytes(testing::golden_path("SHA256SUMS")));
  std::string digest, path;
  int checked = 0;
  while (sums >> digest >> path) {
    const std::string bytes = test_util::read_bytes(testing::golden_path(path));
    EXPECT_EQ(sha256_hex(bytes), digest) << path;
    ++checked;
  }
  EXPECT_GT(checked, 50);
}

}  // namespace
}  // namespace hp::internal
