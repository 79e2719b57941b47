// Grid and random search over HParam domains.
#include "hparams/search.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "internal/status_macros.h"
#include "internal/validate_each_once.h"

namespace hp {
namespace {

// Every hparam valid, named once and with a domain.
absl::Status check_searchable(const std::vector<HParam>& hparams) {
  HP_RETURN_IF_ERROR(internal::validate_each_once(hparams, "the search space"));
  for (const HParam& h : hparams) {
    if (!h.domain().has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("hparam '", h.name(), "' has no domain to search; give it a Discrete or an interval"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<Value>> grid_values(const HParam& hparam) {
  HP_RETURN_IF_ERROR(check_searchable({hparam}));
  const Domain& domain = *hparam.domain();
  if (const auto* discrete = std::get_if<Discrete>(&domain)) {
    // A Discrete keeps duplicates as given; a grid point listed twice would
    // only run the same trial twice.
    std::vector<Value> values;
    for (const Value& v : discrete->values()) {
      if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
    }
    return values;
  }
  if (const auto* ints = std::get_if<IntInterval>(&domain)) {
    if (ints->min_value() == ints->max_value()) return std::vector<Value>{ints->min_value()};
    return std::vector<Value>{ints->min_value(), ints->max_value()};
  }
  const auto& reals = std::get<RealInterval>(domain);
  if (reals.min_value() == reals.max_value()) return std::vector<Value>{reals.min_value()};
  return std::vector<Value>{reals.min_value(), reals.max_value()};
}

absl::StatusOr<std::vector<HParams>> grid_search(const std::vector<HParam>& hparams, size_t max_trials) {
  HP_RETURN_IF_ERROR(check_searchable(hparams));
  std::vector<std::vector<Value>> axes;
  size_t total = 1;
  for (const HParam& h : hparams) {
    HP_ASSIGN_OR_RETURN(std::vector<Value> values, grid_values(h));
    if (values.size() > max_trials / total) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "the grid over ", hparams.size(), " hparams has more than ", max_trials, " trials (hparam '",
          h.name(), "' adds ", values.size(), " values); use random_search or fewer values"));
    }
    total *= values.size();
    axes.push_back(std::move(values));
  }
  std::vector<HParams> trials;
  trials.reserve(total);
  // An odometer over the axes: the last hparam turns fastest.
  std::vector<size_t> index(axes.size(), 0);
  for (size_t t = 0; t < total; ++t) {
    HParams trial;
    for (size_t k = 0; k < axes.size(); ++k) trial.add(hparams[k], axes[k][index[k]]);
    trials.push_back(std::move(trial));
    for (size_t k = axes.size(); k-- > 0;) {
      if (++index[k] < axes[k].size()) break;
      index[k] = 0;
    }
  }
  return trials;
}

absl::StatusOr<HParams> sample_trial(const std::vector<HParam>& hparams, std::mt19937_64& rng) {
  HP_RETURN_IF_ERROR(check_searchable(hparams));
  HParams trial;
  for (const HParam& h : hparams) {
    HP_ASSIGN_OR_RETURN(Value v, domain_sample_uniform(*h.domain(), rng));
    trial.add(h, std::move(v));
  }
  return trial;
}

absl::StatusOr<std::vector<HParams>> random_search(const std::vector<HParam>& hparams, size_t num_trials,
                                                   uint64_t seed) {
  HP_RETURN_IF_ERROR(check_searchable(hparams));
  std::mt19937_64 rng(seed);
  std::vector<HParams> trials;
  trials.reserve(std::min<size_t>(num_trials, 1024));  // no huge up-front allocation
  for (size_t i = 0; i < num_trials; ++i) {
    HP_ASSIGN_OR_RETURN(HParams trial, sample_trial(hparams, rng));
    trials.push_back(std::move(trial));
  }
  return trials;
}

}  // namespace hp
