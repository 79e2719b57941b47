// hp::Value: kinds, Python repr and the total order.
#include "hparams/value.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "internal/python_float_repr.h"
#include "internal/utf8_json.h"

namespace hp {
namespace {

// Compares the integer (negative, magnitude) with the non-NaN double d,
// exactly: -1, 0 or 1 as the integer is less than, equal to or greater.
int compare_int_double(bool negative, uint64_t magnitude, double d) {
  if (std::isinf(d)) return d > 0 ? -1 : 1;
  const bool d_negative = d < 0;  // -0.0 counts as zero, not negative
  if (negative != d_negative) {
    if (magnitude == 0 && d == 0) return 0;
    return negative ? -1 : 1;
  }
  // Same sign: compare magnitudes, then flip for negatives.
  const double abs_d = std::fabs(d);
  int by_magnitude;
  if (abs_d >= 18446744073709551616.0) {  // 2^64: beyond every uint64
    by_magnitude = -1;
  } else {
    const double whole = std::floor(abs_d);
    const uint64_t whole_int = static_cast<uint64_t>(whole);  // exact below 2^64
    if (magnitude < whole_int) {
      by_magnitude = -1;
    } else if (magnitude > whole_int) {
      by_magnitude = 1;
    } else {
      by_magnitude = abs_d > whole ? -1 : 0;
    }
  }
  return negative ? -by_magnitude : by_magnitude;
}

int kind_rank(const Value& v) {
  if (v.is_bool()) return 0;
  if (v.is_number()) return 1;
  return 2;
}

// Orders two numbers: numeric value, then int before float, then -0.0
// before 0.0; NaN after every other number.
bool number_less(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    if (a.negative() != b.negative()) return a.negative();
    return a.negative() ? a.magnitude() > b.magnitude() : a.magnitude() < b.magnitude();
  }
  if (a.is_float() && b.is_float()) {
    const double x = a.as_double(), y = b.as_double();
    if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
    if (x != y) return x < y;
    return std::signbit(x) && !std::signbit(y);
  }
  // One int, one float.
  const bool a_is_int = a.is_int();
  const Value& i = a_is_int ? a : b;
  const double f = (a_is_int ? b : a).as_double();
  if (std::isnan(f)) return a_is_int;  // NaN sorts last
  const int c = compare_int_double(i.negative(), i.magnitude(), f);
  if (c != 0) return a_is_int ? c < 0 : c > 0;
  return a_is_int;  // equal value: the int first
}

void append_python_string_repr(const std::string& s, std::string* out) {
  // Python picks single quotes unless the text has ' and no ".
  const bool has_single = s.find('\'') != std::string::npos;
  const bool has_double = s.find('"') != std::string::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back(quote);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == quote || ch == '\\') {
      out->push_back('\\');
      out->push_back(ch);
    } else if (ch == '\t') {
      out->append("\\t");
    } else if (ch == '\n') {
      out->append("\\n");
    } else if (ch == '\r') {
      out->append("\\r");
    } else if (c < 0x20 || c == 0x7f) {
      out->append("\\x");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xf]);
    } else {
      out->push_back(ch);
    }
  }
  out->push_back(quote);
}

}  // namespace

int64_t Value::as_int() const {
  if (!is_int()) return 0;
  // Two's-complement wrap of the magnitude; exact whenever fits_int64().
  return negative_ ? static_cast<int64_t>(uint64_t{0} - magnitude_) : static_cast<int64_t>(magnitude_);
}

bool Value::fits_int64() const {
  return is_int() && (negative_ || magnitude_ <= uint64_t{std::numeric_limits<int64_t>::max()});
}

double Value::as_double() const {
  switch (kind_) {
    case Kind::kFloat:
      return float_;
    case Kind::kInt: {
      const double m = static_cast<double>(magnitude_);
      return negative_ ? -m : m;
    }
    case Kind::kBool:
      return bool_ ? 1.0 : 0.0;
    case Kind::kString:
      break;
  }
  return 0.0;
}

std::string Value::json() const {
  switch (kind()) {
    case Kind::kBool:
      return as_bool() ? "true" : "false";
    case Kind::kInt:
      return repr();  // exact, like Python's int
    case Kind::kFloat:
      return internal::python_json_float(as_double());
    case Kind::kString:
      return internal::python_json_string(as_string());
  }
  return "null";
}

std::string Value::repr() const {
  switch (kind_) {
    case Kind::kBool:
      return bool_ ? "True" : "False";
    case Kind::kInt: {
      // Not `"-" + std::to_string(...)`: GCC 12 -O3 flags that with a false
      // -Wrestrict, which breaks -Werror builds of our users.
      std::string out = std::to_string(magnitude_);
      if (negative_) out.insert(out.begin(), '-');
      return out;
    }
    case Kind::kFloat:
      return internal::python_float_repr(float_);
    case Kind::kString: {
      std::string out;
      append_python_string_repr(string_, &out);
      return out;
    }
  }
  return "";
}

const char* Value::type_name() const {
  switch (kind_) {
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kFloat:
      return "float";
    case Kind::kString:
      return "str";
  }
  return "";
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Value::Kind::kBool:
      return a.bool_ == b.bool_;
    case Value::Kind::kInt:
      return a.negative_ == b.negative_ && a.magnitude_ == b.magnitude_;
    case Value::Kind::kFloat:
      if (std::isnan(a.float_) || std::isnan(b.float_)) {
        return std::isnan(a.float_) && std::isnan(b.float_);
      }
      return a.float_ == b.float_ && std::signbit(a.float_) == std::signbit(b.float_);
    case Value::Kind::kString:
      return a.string_ == b.string_;
  }
  return false;
}

bool operator<(const Value& a, const Value& b) {
  const int ra = kind_rank(a), rb = kind_rank(b);
  if (ra != rb) return ra < rb;
  if (a.is_bool()) return !a.bool_ && b.bool_;
  if (a.is_string()) return a.string_ < b.string_;  // bytewise = code point order for UTF-8
  return number_less(a, b);
}

std::ostream& operator<<(std::ostream& os, const Value& v) { return os << v.repr(); }

}  // namespace hp
