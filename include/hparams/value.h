// hp::Value: one hyperparameter value with Python's distinctions kept:
// bool, integer, float and string.
//
// The distinctions matter because TensorBoard's session group name is the
// SHA-256 of Python's json.dumps of the values: an int 16 hashes as "16" and
// a float 16.0 as "16.0", so the two land in different groups even though
// both are stored as the number 16.0. A C++ trial and a Python trial with
// the same values land in the same group only if the kinds match too.
//
// Conversions are implicit, so values are written as literals:
//   hp::Value a = 16;        // integer (every integer type except the
//                            // character types char, wchar_t, char16_t,
//                            // char32_t; int8_t/uint8_t are integers)
//   hp::Value b = 0.1;       // float
//   hp::Value c = 0.1f;      // float, widened: hashes as 0.10000000149011612,
//                            // like numpy.float32(0.1).item()
//   hp::Value d = "adam";    // string (a const char* never becomes a bool)
//   hp::Value e = true;      // bool
//
// Integers are exact over the whole int64 and uint64 ranges: a uint64 above
// INT64_MAX keeps its exact value for repr(), ordering and group-name
// hashing (as Python hashes big ints exactly); only the number TensorBoard
// stores is rounded to a double, as Python's protobuf does too.
//
// Strings are bytes and should be UTF-8; the API that writes them
// (hp::hparams and friends) rejects invalid UTF-8 with InvalidArgument.
//
// Equality is by kind and value: Value(1) != Value(1.0) and
// Value(true) != Value(1), unlike Python's ==, because they hash to
// different group names. Two NaNs are equal; 0.0 and -0.0 are not (their
// reprs differ). operator< is a total order consistent with ==: bools, then
// numbers in numeric order (an int before an equal float, -0.0 before 0.0,
// NaN last), then strings by code point, i.e. Python's sort order within a
// kind.
//
// Thread safety: a Value is an immutable value type.
#ifndef HPARAMS_VALUE_H_
#define HPARAMS_VALUE_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>

#include "hparams/export.h"

HPARAMS_EXPORT_BEGIN
namespace hp {

namespace internal {
template <typename T>
constexpr bool kIsCharType = std::is_same_v<T, char> || std::is_same_v<T, wchar_t> ||
                             std::is_same_v<T, char16_t> || std::is_same_v<T, char32_t>;
template <typename T>
using EnableIfInteger =
    std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> && !kIsCharType<T>, int>;
}  // namespace internal

class Value;
// Declared here, not only as friends below: a function first declared as a
// friend does not take the visibility of HPARAMS_EXPORT_BEGIN and would be
// missing from the shared library.
HPARAMS_EXPORT bool operator==(const Value& a, const Value& b);
HPARAMS_EXPORT bool operator<(const Value& a, const Value& b);

class Value {
 public:
  enum class Kind { kBool, kInt, kFloat, kString };

  // The default value is the integer 0.
  Value() = default;
  Value(bool b) : kind_(Kind::kBool), bool_(b) {}  // NOLINT: implicit on purpose
  template <typename T, internal::EnableIfInteger<T> = 0>
  Value(T i) : kind_(Kind::kInt) {  // NOLINT: implicit on purpose
    if constexpr (std::is_signed_v<T>) {
      negative_ = i < 0;
      // Negating in uint64 keeps INT64_MIN exact.
      magnitude_ =
          negative_ ? uint64_t{0} - static_cast<uint64_t>(static_cast<int64_t>(i)) : static_cast<uint64_t>(i);
    } else {
      magnitude_ = static_cast<uint64_t>(i);
    }
  }
  Value(double d) : kind_(Kind::kFloat), float_(d) {}                             // NOLINT
  Value(float f) : kind_(Kind::kFloat), float_(static_cast<double>(f)) {}         // NOLINT
  Value(const char* s) : kind_(Kind::kString), string_(s == nullptr ? "" : s) {}  // NOLINT
  Value(std::string s) : kind_(Kind::kString), string_(std::move(s)) {}           // NOLINT
  Value(std::string_view s) : kind_(Kind::kString), string_(s) {}                 // NOLINT

  Kind kind() const { return kind_; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_int() const { return kind_ == Kind::kInt; }
  bool is_float() const { return kind_ == Kind::kFloat; }
  // Integer or float: what TensorBoard stores as a number.
  bool is_number() const { return is_int() || is_float(); }
  bool is_string() const { return kind_ == Kind::kString; }

  // Each accessor expects the matching kind; on another kind it returns
  // false / 0 / an empty string rather than failing.
  bool as_bool() const { return is_bool() && bool_; }
  // The integer as int64. Requires is_int() && fits_int64().
  int64_t as_int() const;
  // Whether an integer fits in int64 (false only for uint64 > INT64_MAX).
  bool fits_int64() const;
  // The integer as uint64. Requires is_int() and a non-negative value.
  uint64_t as_uint64() const { return negative_ ? 0 : magnitude_; }
  // A number as a double (ints rounded to nearest, as Python's float());
  // a bool gives 0.0 or 1.0, a string 0.0.
  double as_double() const;
  const std::string& as_string() const { return string_; }

  // Python's repr(): True, 16, 0.1, 1e-05, nan, 'adam'. Strings use
  // Python's quoting and escapes for ASCII; other characters are kept as
  // is (Python would also escape non-printable non-ASCII characters).
  std::string repr() const;
  // Python's json.dumps(): true, 16, 0.1, NaN, Infinity, "adam" (with
  // json's default ensure_ascii: non-ASCII characters as \uXXXX escapes).
  std::string json() const;
  // Name of the Python type: "bool", "int", "float" or "str".
  const char* type_name() const;

  friend bool operator==(const Value& a, const Value& b);
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }
  friend bool operator<(const Value& a, const Value& b);
  friend bool operator>(const Value& a, const Value& b) { return b < a; }
  friend bool operator<=(const Value& a, const Value& b) { return !(b < a); }
  friend bool operator>=(const Value& a, const Value& b) { return !(a < b); }

  // Integer internals, for exact arithmetic (group names, comparisons):
  // the value is -magnitude() when negative(), else magnitude().
  bool negative() const { return negative_; }
  uint64_t magnitude() const { return magnitude_; }

 private:
  Kind kind_ = Kind::kInt;
  bool bool_ = false;
  bool negative_ = false;
  uint64_t magnitude_ = 0;
  double float_ = 0.0;
  std::string string_;
};

// Streams repr(), so gtest and absl::StrCat-style logging print it.
std::ostream& operator<<(std::ostream& os, const Value& v);

}  // namespace hp
HPARAMS_EXPORT_END

#endif  // HPARAMS_VALUE_H_
