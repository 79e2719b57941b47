// SHA-256 (FIPS 180-4), used to derive session group names exactly as
// Python's hashlib.sha256(...).hexdigest() does.
#ifndef HPARAMS_INTERNAL_SHA256_H_
#define HPARAMS_INTERNAL_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hp::internal {

// Incremental hasher: update() any number of times, then digest() once.
class Sha256 {
 public:
  static constexpr size_t kDigestSize = 32;
  using Digest = std::array<uint8_t, kDigestSize>;

  // kFastest uses the CPU's SHA extensions when it has them (x86-64 SHA-NI:
  // ~25x fewer instructions per block); kPortable is the plain C++ rounds,
  // kept selectable so tests can hold the two against each other.
  enum class Implementation { kFastest, kPortable };

  explicit Sha256(Implementation implementation = Implementation::kFastest);
  void update(std::string_view data);
  // Pads and returns the digest; the hasher must not be updated afterwards.
  Digest digest();

 private:
  void compress(const uint8_t* block);

  bool use_hardware_;
  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_;
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

// True when this CPU has the SHA-256 instructions kFastest uses.
bool sha256_hardware_available();

// The digest of `data`.
Sha256::Digest sha256(std::string_view data);
// Lowercase hex of the digest of `data` (64 characters).
std::string sha256_hex(std::string_view data);

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_SHA256_H_
