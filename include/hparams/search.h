// Grid and random search over HParam domains: the trial lists a tuning
// loop iterates, each an hp::HParams keyed by the HParams (so every value
// is checked against its domain when logged).
//
// Grid order is the seed tutorial's nested loops: the first hparam varies
// slowest, the last fastest. Each hparam contributes:
//   Discrete      its sorted values;
//   IntInterval   min and max (one value if equal), as RealInterval — use
//                 Discrete, or IntInterval::values(), for every integer;
//   RealInterval  min and max (one value if equal), as the seed does.
// The tutorial's num_units {16, 32} x dropout [0.1, 0.2] x optimizer
// {adam, sgd} gives 8 trials: (16, 0.1, adam), (16, 0.1, sgd), (16, 0.2, adam), ...
//
// Random search draws each hparam in order from its domain with
// sample_uniform() and a std::mt19937_64 seeded with `seed`: the same seed
// gives the same trials on every platform.
//
// Errors: InvalidArgument for an hparam without a domain, an invalid
// domain or a repeated name (each naming the hparam); ResourceExhausted
// when the grid would exceed `max_trials`.
//
// Example:
//   auto trials = hp::grid_search({HP_NUM_UNITS, HP_DROPOUT, HP_OPTIMIZER});
//   if (!trials.ok()) return trials.status();
//   for (size_t i = 0; i < trials->size(); ++i) run_trial(absl::StrCat("run-", i), (*trials)[i]);
#ifndef HPARAMS_SEARCH_H_
#define HPARAMS_SEARCH_H_

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "absl/status/statusor.h"
#include "hparams/export.h"
#include "hparams/hparam.h"

HPARAMS_EXPORT_BEGIN
namespace hp {

inline constexpr size_t kMaxGridTrials = size_t{1} << 20;

// The values grid_search() uses for one hparam, in order.
absl::StatusOr<std::vector<Value>> grid_values(const HParam& hparam);

// Every combination, first hparam slowest. No hparams: one empty trial.
absl::StatusOr<std::vector<HParams>> grid_search(const std::vector<HParam>& hparams,
                                                 size_t max_trials = kMaxGridTrials);

// One trial: a value drawn from each hparam's domain, in order.
absl::StatusOr<HParams> sample_trial(const std::vector<HParam>& hparams, std::mt19937_64& rng);

// `num_trials` trials from sample_trial() with std::mt19937_64(seed).
absl::StatusOr<std::vector<HParams>> random_search(const std::vector<HParam>& hparams, size_t num_trials,
                                                   uint64_t seed);

}  // namespace hp
HPARAMS_EXPORT_END

#endif  // HPARAMS_SEARCH_H_
