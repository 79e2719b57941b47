// Rng: the example's only source of randomness, identical on every platform.
//
// std::mt19937_64's output sequence is fixed by the C++ standard, but the
// std::*_distribution classes are not, so a seeded run would differ between
// standard libraries. Rng maps the raw 64-bit outputs to floats and indices
// itself.
#ifndef HPARAMS_EXAMPLES_HPARAMS_TUNING_RANDOM_H_
#define HPARAMS_EXAMPLES_HPARAMS_TUNING_RANDOM_H_

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace hparams_tuning {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1) with 24 random bits: every float32 multiple of 2^-24.
  float uniform_float() { return static_cast<float>(engine_() >> 40) * 0x1.0p-24f; }

  // Uniform in [low, high).
  float uniform_float(float low, float high) { return low + (high - low) * uniform_float(); }

  // Uniform in [0, n) for n > 0, unbiased (rejects the short last stripe).
  uint64_t uniform_index(uint64_t n) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
      x = engine_();
    } while (x >= limit);
    return x % n;
  }

  // Fisher-Yates, as numpy's shuffle: every permutation equally likely.
  template <typename T>
  void shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i > 1; --i) {
      std::swap(items[i - 1], items[uniform_index(i)]);
    }
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace hparams_tuning

#endif  // HPARAMS_EXAMPLES_HPARAMS_TUNING_RANDOM_H_
