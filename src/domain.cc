// Discrete, IntInterval and RealInterval: validation, membership, sampling.
#include "hparams/domain.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "internal/group_name.h"
#include "internal/python_float_repr.h"

namespace hp {
namespace {

// 0 = bool, 1 = number, 2 = string: a Discrete holds one of these.
int kind_class(const Value& v) { return v.is_bool() ? 0 : v.is_number() ? 1 : 2; }
constexpr const char* kKindClassNames[] = {"bool", "number", "string"};

// Whether an int and a float are the same number, exactly (Python's ==).
bool int_equals_float(const Value& i, double f) {
  if (!(std::floor(f) == f) || f < -9223372036854775808.0 || f >= 18446744073709551616.0) {
    return false;  // not integral (or NaN), or outside every int Value
  }
  return i == (f < 0 ? Value(static_cast<int64_t>(f)) : Value(static_cast<uint64_t>(f)));
}

// Python's < within one kind class: numbers by numeric value only, so 1 and
// 1.0 (or 0.0 and -0.0) tie, and the stable sort keeps the given order.
bool python_less(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_float() && b.is_float() && a.as_double() == b.as_double()) return false;
    if (a.is_int() && b.is_float() && int_equals_float(a, b.as_double())) return false;
    if (a.is_float() && b.is_int() && int_equals_float(b, a.as_double())) return false;
  }
  return a < b;  // Value's order is Python's for everything else
}

// A uniform integer in [0, n) from 64 random bits, without modulo bias;
// n == 0 means the full 2^64 range.
uint64_t uniform_below(std::mt19937_64& rng, uint64_t n) {
  if (n == 0) return rng();
  const uint64_t threshold = (uint64_t{0} - n) % n;  // 2^64 mod n
  for (;;) {
    const uint64_t r = rng();
    if (r >= threshold) return r % n;
  }
}

// A uniform double in [0, 1) with 53 random bits.
double uniform_unit(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);
}

absl::Status invalid_domain_error(const std::string& repr, const absl::Status& why) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot use the invalid domain ", repr, ": ", why.message()));
}

}  // namespace

// --- Discrete ----------------------------------------------------------------

Discrete::Discrete(std::initializer_list<Value> values) : Discrete(std::vector<Value>(values)) {}

Discrete::Discrete(std::vector<Value> values) {
  if (values.empty()) {
    status_ = absl::InvalidArgumentError("Discrete domain is empty: give at least one value");
    return;
  }
  const int cls = kind_class(values.front());
  for (const Value& v : values) {
    if (kind_class(v) != cls) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat("Discrete domain mixes kinds: ", values.front().repr(), " is a ", kKindClassNames[cls],
                       " but ", v.repr(), " is a ", kKindClassNames[kind_class(v)],
                       "; use values of one kind (numbers, strings or bools)"));
      break;
    }
    if (v.is_float() && std::isnan(v.as_double())) {
      status_ =
          absl::InvalidArgumentError("Discrete domain contains NaN, which no value can match; remove it");
      break;
    }
    if (v.is_string() && !internal::is_valid_utf8(v.as_string())) {
      status_ =
          absl::InvalidArgumentError(absl::StrCat("Discrete domain value ", v.repr(), " is not valid UTF-8"));
      break;
    }
  }
  // Python sorts but keeps duplicates, and TensorBoard shows them; a list
  // with both 0.0 and -0.0 must contain both.
  if (status_.ok()) std::stable_sort(values.begin(), values.end(), python_less);
  values_ = std::move(values);
}

absl::StatusOr<Discrete> Discrete::create(std::vector<Value> values) {
  Discrete d(std::move(values));
  if (!d.status().ok()) return d.status();
  return d;
}

bool Discrete::contains(const Value& v) const {
  return std::find(values_.begin(), values_.end(), v) != values_.end();
}

absl::StatusOr<Value> Discrete::sample_uniform(std::mt19937_64& rng) const {
  if (!status_.ok()) return invalid_domain_error(repr(), status_);
  return values_[uniform_below(rng, values_.size())];
}

DataType Discrete::data_type() const {
  if (!status_.ok()) return DATA_TYPE_UNSET;
  switch (kind_class(values_.front())) {
    case 0:
      return DATA_TYPE_BOOL;
    case 1:
      return DATA_TYPE_FLOAT64;
    default:
      return DATA_TYPE_STRING;
  }
}

DataType IntInterval::data_type() const { return DATA_TYPE_FLOAT64; }

DataType RealInterval::data_type() const { return DATA_TYPE_FLOAT64; }

std::string Discrete::repr() const {
  std::string out = "Discrete([";
  for (size_t i = 0; i < values_.size(); ++i) {
    if (i > 0) out.append(", ");
    out.append(values_[i].repr());
  }
  out.append("])");
  return out;
}

// --- IntInterval ---------------------------------------------------------------

IntInterval::IntInterval(int64_t min_value, int64_t max_value) : min_(min_value), max_(max_value) {
  if (min_ > max_) {
    status_ = absl::InvalidArgumentError(
        absl::StrCat("IntInterval min ", min_, " is greater than max ", max_, "; swap them"));
  }
}

absl::StatusOr<IntInterval> IntInterval::create(int64_t min_value, int64_t max_value) {
  IntInterval d(min_value, max_value);
  if (!d.status().ok()) return d.status();
  return d;
}

bool IntInterval::contains(const Value& v) const {
  return status_.ok() && v.is_int() && v.fits_int64() && v.as_int() >= min_ && v.as_int() <= max_;
}

absl::StatusOr<std::vector<Value>> IntInterval::values() const {
  if (!status_.ok()) return invalid_domain_error(repr(), status_);
  const uint64_t span = static_cast<uint64_t>(max_) - static_cast<uint64_t>(min_);
  if (span >= kMaxEnumeratedValues) {
    return absl::ResourceExhaustedError(
        absl::StrCat(repr(), " has more than ", kMaxEnumeratedValues, " values to enumerate"));
  }
  std::vector<Value> out;
  out.reserve(static_cast<size_t>(span) + 1);
  for (int64_t i = min_;; ++i) {
    out.emplace_back(i);
    if (i == max_) break;
  }
  return out;
}

absl::StatusOr<Value> IntInterval::sample_uniform(std::mt19937_64& rng) const {
  if (!status_.ok()) return invalid_domain_error(repr(), status_);
  // Unsigned arithmetic wraps, so the full int64 range works too (n == 0).
  const uint64_t n = static_cast<uint64_t>(max_) - static_cast<uint64_t>(min_) + 1;
  return Value(static_cast<int64_t>(static_cast<uint64_t>(min_) + uniform_below(rng, n)));
}

std::string IntInterval::repr() const { return absl::StrCat("IntInterval(", min_, ", ", max_, ")"); }

// --- RealInterval --------------------------------------------------------------

RealInterval::RealInterval(double min_value, double max_value) : min_(min_value), max_(max_value) {
  if (!std::isfinite(min_) || !std::isfinite(max_)) {
    status_ =
        absl::InvalidArgumentError(absl::StrCat("RealInterval bounds must be finite numbers, got ", repr()));
  } else if (min_ > max_) {
    status_ = absl::InvalidArgumentError(absl::StrCat("RealInterval min ", internal::python_float_repr(min_),
                                                      " is greater than max ",
                                                      internal::python_float_repr(max_), "; swap them"));
  }
}

absl::StatusOr<RealInterval> RealInterval::create(double min_value, double max_value) {
  RealInterval d(min_value, max_value);
  if (!d.status().ok()) return d.status();
  return d;
}

bool RealInterval::contains(const Value& v) const {
  if (!status_.ok() || !v.is_number()) return false;
  if (v.is_float()) {
    const double x = v.as_double();
    return x >= min_ && x <= max_;  // false for NaN
  }
  // Exact for ints of any size: min <= v <= max. Value's order puts an int
  // before an equal float, so equality with a bound is checked on its own.
  const bool above_min = int_equals_float(v, min_) || Value(min_) < v;
  const bool below_max = int_equals_float(v, max_) || v < Value(max_);
  return above_min && below_max;
}

absl::StatusOr<Value> RealInterval::sample_uniform(std::mt19937_64& rng) const {
  if (!status_.ok()) return invalid_domain_error(repr(), status_);
  const double u = uniform_unit(rng);
  // The two-term form cannot overflow even when max - min would.
  const double x = min_ * (1.0 - u) + max_ * u;
  return Value(std::clamp(x, min_, max_));
}

std::string RealInterval::repr() const {
  return absl::StrCat("RealInterval(", internal::python_float_repr(min_), ", ",
                      internal::python_float_repr(max_), ")");
}

// --- Domain --------------------------------------------------------------------

const absl::Status& domain_status(const Domain& domain) {
  return std::visit([](const auto& d) -> const absl::Status& { return d.status(); }, domain);
}

bool domain_contains(const Domain& domain, const Value& v) {
  return std::visit([&](const auto& d) { return d.contains(v); }, domain);
}

absl::StatusOr<Value> domain_sample_uniform(const Domain& domain, std::mt19937_64& rng) {
  return std::visit([&](const auto& d) { return d.sample_uniform(rng); }, domain);
}

DataType domain_data_type(const Domain& domain) {
  return std::visit([](const auto& d) { return d.data_type(); }, domain);
}

std::string domain_repr(const Domain& domain) {
  return std::visit([](const auto& d) { return d.repr(); }, domain);
}

}  // namespace hp
