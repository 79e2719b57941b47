// Hyperparameter domains, as in Python's hp.Discrete, hp.IntInterval and
// hp.RealInterval: the set of values an HParam may take, which TensorBoard
// shows as filters and which the search helpers (hparams/search.h) sample.
//
//   hp::Discrete({16, 32})          numbers (ints and floats may mix)
//   hp::Discrete({"adam", "sgd"})   strings
//   hp::Discrete({true, false})     bools
//   hp::IntInterval(1, 8)           integers min..max, both included
//   hp::RealInterval(0.1, 0.2)      reals [min, max]
//
// Discrete sorts its values as Python does (False < True, numbers by value,
// strings by code point; a stable sort, so 1 and 1.0 or 0.0 and -0.0 keep
// the order given) and keeps duplicates, as Python does and TensorBoard
// shows them: Discrete({2, 1, 2}) is [1, 2, 2]. The TensorBoard config
// records ints and floats alike as DATA_TYPE_FLOAT64 numbers.
//
// Errors: a constructor cannot fail, so an invalid domain remembers why and
// reports it from status(); hparams_config(), hparams() and the search
// helpers surface that as InvalidArgument naming the hparam. Invalid are:
// an empty Discrete, mixed kinds (bools with numbers, numbers with strings),
// NaN values, strings that are not UTF-8, min > max, and non-finite
// RealInterval bounds. Use Discrete::create() to get the error up front.
//
// Membership (contains()) is strict about kinds, because the kind decides
// the session group name: Discrete({16, 32}) does not contain 16.0 nor
// true. IntInterval contains only ints; RealInterval contains ints and
// floats (not NaN).
//
// Sampling: sample_uniform(rng) draws with std::mt19937_64 and this
// library's own uniform mapping, so a seed gives the same values on every
// platform (std::uniform_*_distribution would not).
//
// Thread safety: immutable value types; sampling mutates only the rng.
#ifndef HPARAMS_DOMAIN_H_
#define HPARAMS_DOMAIN_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hparams/export.h"
#include "hparams/value.h"

HPARAMS_EXPORT_BEGIN
namespace hp {

// The type the HParams plugin records for an hparam (api.proto's DataType,
// same values): ints and floats are both DATA_TYPE_FLOAT64.
enum DataType : int {
  DATA_TYPE_UNSET = 0,
  DATA_TYPE_STRING = 1,
  DATA_TYPE_BOOL = 2,
  DATA_TYPE_FLOAT64 = 3,
};

// Most values IntInterval::values() lists before giving up.
inline constexpr size_t kMaxEnumeratedValues = size_t{1} << 20;

// A finite set of values of one kind: numbers, strings or bools.
class Discrete {
 public:
  Discrete(std::initializer_list<Value> values);  // NOLINT: implicit on purpose
  explicit Discrete(std::vector<Value> values);
  // The same, but an invalid domain is returned as InvalidArgument.
  static absl::StatusOr<Discrete> create(std::vector<Value> values);

  // OK, or InvalidArgument saying what is wrong with the values.
  const absl::Status& status() const { return status_; }
  // Sorted as Python sorts; duplicates kept as given.
  const std::vector<Value>& values() const { return values_; }
  // An exact match (same kind and value) of one of values().
  bool contains(const Value& v) const;
  // One of values(), uniformly. FailedPrecondition if !status().ok().
  absl::StatusOr<Value> sample_uniform(std::mt19937_64& rng) const;
  // DATA_TYPE_FLOAT64 / STRING / BOOL; DATA_TYPE_UNSET when invalid.
  DataType data_type() const;
  // Python's repr, e.g. "Discrete([16, 32])".
  std::string repr() const;

  friend bool operator==(const Discrete& a, const Discrete& b) { return a.values_ == b.values_; }

 private:
  std::vector<Value> values_;
  absl::Status status_;
};

// The integers min..max, both included.
class IntInterval {
 public:
  IntInterval(int64_t min_value, int64_t max_value);
  static absl::StatusOr<IntInterval> create(int64_t min_value, int64_t max_value);

  // InvalidArgument when min > max.
  const absl::Status& status() const { return status_; }
  int64_t min_value() const { return min_; }
  int64_t max_value() const { return max_; }
  // An int in [min, max].
  bool contains(const Value& v) const;
  // Every integer in order; ResourceExhausted above kMaxEnumeratedValues,
  // FailedPrecondition if invalid.
  absl::StatusOr<std::vector<Value>> values() const;
  // An int in [min, max], uniformly. FailedPrecondition if invalid.
  absl::StatusOr<Value> sample_uniform(std::mt19937_64& rng) const;
  DataType data_type() const;
  // "IntInterval(1, 8)".
  std::string repr() const;

  friend bool operator==(const IntInterval& a, const IntInterval& b) {
    return a.min_ == b.min_ && a.max_ == b.max_;
  }

 private:
  int64_t min_;
  int64_t max_;
  absl::Status status_;
};

// The real numbers in [min, max], both finite.
class RealInterval {
 public:
  RealInterval(double min_value, double max_value);
  static absl::StatusOr<RealInterval> create(double min_value, double max_value);

  // InvalidArgument when a bound is NaN or infinite, or min > max.
  const absl::Status& status() const { return status_; }
  double min_value() const { return min_; }
  double max_value() const { return max_; }
  // An int or float in [min, max] (never NaN).
  bool contains(const Value& v) const;
  // A float in [min, max], uniformly. FailedPrecondition if invalid.
  absl::StatusOr<Value> sample_uniform(std::mt19937_64& rng) const;
  DataType data_type() const;
  // "RealInterval(0.1, 0.2)".
  std::string repr() const;

  friend bool operator==(const RealInterval& a, const RealInterval& b) {
    return a.min_ == b.min_ && a.max_ == b.max_;
  }

 private:
  double min_;
  double max_;
  absl::Status status_;
};

using Domain = std::variant<Discrete, IntInterval, RealInterval>;

// The same operations on any Domain.
const absl::Status& domain_status(const Domain& domain);
bool domain_contains(const Domain& domain, const Value& v);
absl::StatusOr<Value> domain_sample_uniform(const Domain& domain, std::mt19937_64& rng);
DataType domain_data_type(const Domain& domain);
std::string domain_repr(const Domain& domain);

}  // namespace hp
HPARAMS_EXPORT_END

#endif  // HPARAMS_DOMAIN_H_
