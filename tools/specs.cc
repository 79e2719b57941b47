// Parsing of `hparams config` / `hparams log` argument syntax (see specs.h).
#include "specs.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace hp::cli {
namespace {

// The characters a backslash escapes in a spec. Any other backslash is
// literal, so Windows paths need no doubling.
constexpr std::string_view kEscapable = "\\,;=";

bool is_escape(const std::string& text, size_t i) {
  return text[i] == '\\' && i + 1 < text.size() && kEscapable.find(text[i + 1]) != std::string_view::npos;
}

// Splits on every `sep` that is not escaped. Escapes stay in the parts, for
// a later split or Unescape(): unescaping here and again later would turn
// "\\," (a backslash, then a separator) into an escaped comma.
std::vector<std::string> split_spec(const std::string& text, char sep) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_escape(text, i)) {
      parts.back().append(text, i, 2);
      ++i;
    } else if (text[i] == sep) {
      parts.emplace_back();
    } else {
      parts.back().push_back(text[i]);
    }
  }
  return parts;
}

// The position of the first `c` that is not escaped, or npos.
size_t find_unescaped(const std::string& text, char c) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_escape(text, i)) {
      ++i;
    } else if (text[i] == c) {
      return i;
    }
  }
  return std::string::npos;
}

std::string Unescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_escape(text, i)) ++i;
    out.push_back(text[i]);
  }
  return out;
}

// Python's integer literal with an optional sign: decimal without leading
// zeros (0 and 0_0 aside), 0x / 0o / 0b with any case, single underscores
// between digits or after the prefix (1_000, 0x_ff; not _1, 1_ or 1__0).
struct IntLiteral {
  bool negative = false;
  uint64_t magnitude = 0;
  bool overflow = false;  // the magnitude does not fit 64 bits
};

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// Digits of `base` with single underscores between them; an underscore may
// also come first when `leading_underscore` (right after a 0x prefix).
bool parse_digits(std::string_view t, int base, bool leading_underscore, IntLiteral* out) {
  if (t.empty()) return false;
  bool previous_digit = leading_underscore;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '_') {
      if (!previous_digit || i + 1 == t.size()) return false;
      previous_digit = false;
      continue;
    }
    const int d = digit_value(t[i]);
    if (d >= base) return false;
    previous_digit = true;
    if (out->magnitude > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) {
      out->overflow = true;
    }
    out->magnitude = out->magnitude * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  return true;
}

std::optional<IntLiteral> parse_int_literal(std::string_view t) {
  IntLiteral out;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    out.negative = t[0] == '-';
    t.remove_prefix(1);
  }
  if (t.size() > 2 && t[0] == '0') {
    const char prefix = static_cast<char>(absl::ascii_tolower(static_cast<unsigned char>(t[1])));
    const int base = prefix == 'x' ? 16 : prefix == 'o' ? 8 : prefix == 'b' ? 2 : 0;
    if (base != 0) {
      if (!parse_digits(t.substr(2), base, true, &out)) return std::nullopt;
      return out;
    }
  }
  if (!parse_digits(t, 10, false, &out)) return std::nullopt;
  if (t[0] == '0' && out.magnitude != 0) return std::nullopt;  // 007 is no Python literal
  return out;
}

// Python's float literal with an optional sign (1.5, 1., .5, 1e-5, 1_000.5),
// or nan / inf / infinity in any case, as Python's float() reads them.
bool is_float_literal(std::string_view t) {
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) t.remove_prefix(1);
  const std::string lower = absl::AsciiStrToLower(std::string(t));
  if (lower == "nan" || lower == "inf" || lower == "infinity") return true;
  IntLiteral unused;
  auto digit_part = [&](std::string_view part) { return parse_digits(part, 10, false, &unused); };
  std::string_view mantissa = t;
  const size_t e = lower.find('e');
  if (e != std::string::npos) {
    std::string_view exponent = t.substr(e + 1);
    if (!exponent.empty() && (exponent[0] == '-' || exponent[0] == '+')) exponent.remove_prefix(1);
    if (!digit_part(exponent)) return false;
    mantissa = t.substr(0, e);
  }
  const size_t dot = mantissa.find('.');
  if (dot == std::string_view::npos) return e != std::string::npos && digit_part(mantissa);
  std::string_view whole = mantissa.substr(0, dot);
  std::string_view fraction = mantissa.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return false;
  return (whole.empty() || digit_part(whole)) && (fraction.empty() || digit_part(fraction));
}

// The double a float literal (is_float_literal) stands for; OutOfRange for a
// finite literal too large for a double (1e999), which Python would
// silently turn into inf.
absl::StatusOr<double> float_literal_value(const std::string& text, const std::string& context) {
  std::string digits;
  for (char c : text) {
    if (c != '_') digits.push_back(c);
  }
  const double v = std::strtod(digits.c_str(), nullptr);
  const std::string lower = absl::AsciiStrToLower(text);
  if (std::isinf(v) && !absl::StrContains(lower, "inf")) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: '%s' is beyond the largest double (about 1.8e308); write inf if you mean infinity", context,
        text));
  }
  return v;
}

absl::StatusOr<int64_t> parse_int(const std::string& text, const std::string& context) {
  std::optional<IntLiteral> literal = parse_int_literal(text);
  if (!literal) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: '%s' is not an integer", context, text));
  }
  const uint64_t limit = literal->negative ? uint64_t{1} << 63 : static_cast<uint64_t>(INT64_MAX);
  if (literal->overflow || literal->magnitude > limit) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: '%s' is outside the 64-bit integer range [-2^63, 2^63-1]", context, text));
  }
  return literal->negative ? static_cast<int64_t>(uint64_t{0} - literal->magnitude)
                           : static_cast<int64_t>(literal->magnitude);
}

// An integer hparam value: int64, or uint64 up to 2^64-1 as the library allows.
absl::StatusOr<Value> parse_int_value(const std::string& text, const std::string& context) {
  std::optional<IntLiteral> literal = parse_int_literal(text);
  if (!literal) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: '%s' is not an integer", context, text));
  }
  if (literal->overflow || (literal->negative && literal->magnitude > (uint64_t{1} << 63))) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: '%s' is outside the integer range [-2^63, 2^64-1]; write float:%s or str:%s",
                        context, text, text, text));
  }
  if (literal->negative) return Value(static_cast<int64_t>(uint64_t{0} - literal->magnitude));
  if (literal->magnitude <= static_cast<uint64_t>(INT64_MAX))
    return Value(static_cast<int64_t>(literal->magnitude));
  return Value(literal->magnitude);
}

// A number: a float literal, or an int literal read as a double.
absl::StatusOr<double> parse_double(const std::string& text, const std::string& context) {
  if (is_float_literal(text)) return float_literal_value(text, context);
  if (std::optional<IntLiteral> literal = parse_int_literal(text); literal && !literal->overflow) {
    const double magnitude = static_cast<double>(literal->magnitude);
    return literal->negative ? -magnitude : magnitude;
  }
  return absl::InvalidArgumentError(absl::StrFormat("%s: '%s' is not a number", context, text));
}

absl::StatusOr<bool> parse_bool(const std::string& text, const std::string& context) {
  if (text == "true" || text == "True") return true;
  if (text == "false" || text == "False") return false;
  return absl::InvalidArgumentError(absl::StrFormat("%s: '%s' is not true or false", context, text));
}

// Attributes "key=value" after the first ';'-separated part.
absl::Status parse_attributes(const std::vector<std::string>& parts, const std::string& spec,
                              const std::vector<std::string>& allowed,
                              std::vector<std::pair<std::string, std::string>>* out) {
  for (size_t i = 1; i < parts.size(); ++i) {
    size_t eq = find_unescaped(parts[i], '=');
    std::string key = Unescape(parts[i].substr(0, eq));
    bool known = false;
    for (const auto& a : allowed) known |= a == key;
    if (eq == std::string::npos || !known) {
      return absl::InvalidArgumentError(absl::StrFormat("'%s': unknown attribute '%s'; use %s", spec,
                                                        parts[i], absl::StrJoin(allowed, "=..., ") + "=..."));
    }
    out->emplace_back(key, Unescape(parts[i].substr(eq + 1)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Value> parse_value(const std::string& text) {
  size_t colon = text.find(':');
  if (colon != std::string::npos) {
    std::string type = text.substr(0, colon);
    std::string rest = text.substr(colon + 1);
    std::string context = "value '" + text + "'";
    if (type == "str") return Value(rest);
    if (type == "int") return parse_int_value(rest, context);
    if (type == "float") {
      auto v = parse_double(rest, context);
      if (!v.ok()) return v.status();
      return Value(*v);
    }
    if (type == "bool") {
      auto v = parse_bool(rest, context);
      if (!v.ok()) return v.status();
      return Value(*v);
    }
  }
  if (text.empty()) return Value(std::string());
  if (text == "true" || text == "True") return Value(true);
  if (text == "false" || text == "False") return Value(false);
  const std::string context = "value '" + text + "'";
  if (parse_int_literal(text)) return parse_int_value(text, context);
  if (is_float_literal(text)) {
    auto v = float_literal_value(text, context);
    if (!v.ok()) return v.status();
    return Value(*v);
  }
  return Value(text);
}

absl::StatusOr<std::pair<std::string, Value>> parse_assignment(const std::string& spec) {
  size_t eq = find_unescaped(spec, '=');
  if (eq == std::string::npos || eq == 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--hparam '%s' is not NAME=VALUE (e.g. num_units=16 or optimizer=str:adam)", spec));
  }
  auto value = parse_value(spec.substr(eq + 1));  // verbatim: nothing to split
  if (!value.ok()) return value.status();
  return std::make_pair(Unescape(spec.substr(0, eq)), *std::move(value));
}

absl::StatusOr<HParam> parse_hparam_spec(const std::string& spec) {
  std::vector<std::string> parts = split_spec(spec, ';');
  std::vector<std::pair<std::string, std::string>> attributes;
  absl::Status status = parse_attributes(parts, spec, {"display_name", "description"}, &attributes);
  if (!status.ok()) return status;
  std::string display_name;
  std::string description;
  for (const auto& [key, value] : attributes) (key == "display_name" ? display_name : description) = value;

  const std::string& head = parts[0];
  size_t eq = find_unescaped(head, '=');
  if (eq == std::string::npos) return HParam(Unescape(head), std::nullopt, display_name, description);
  std::string name = Unescape(head.substr(0, eq));
  std::string domain = head.substr(eq + 1);
  size_t colon = domain.find(':');
  std::string usage = absl::StrFormat(
      "--hparam '%s': write NAME=TYPE:VALUES, TYPE one of int, float, real, str, bool, e.g. "
      "num_units=int:16,32, "
      "layers=int:1..10, dropout=real:0.1..0.2, optimizer=str:adam,sgd",
      spec);
  if (name.empty() || colon == std::string::npos) return absl::InvalidArgumentError(usage);
  std::string type = domain.substr(0, colon);
  std::string values = domain.substr(colon + 1);
  std::string context = absl::StrFormat("--hparam '%s'", spec);
  size_t dots = values.find("..");
  if ((type == "int" || type == "real") && dots != std::string::npos) {
    std::string lo = values.substr(0, dots);
    std::string hi = values.substr(dots + 2);
    if (type == "int") {
      auto a = parse_int(lo, context);
      auto b = parse_int(hi, context);
      if (!a.ok()) return a.status();
      if (!b.ok()) return b.status();
      auto interval = IntInterval::create(*a, *b);
      if (!interval.ok()) return interval.status();
      return HParam(name, Domain(*interval), display_name, description);
    }
    auto a = parse_double(lo, context);
    auto b = parse_double(hi, context);
    if (!a.ok()) return a.status();
    if (!b.ok()) return b.status();
    auto interval = RealInterval::create(*a, *b);
    if (!interval.ok()) return interval.status();
    return HParam(name, Domain(*interval), display_name, description);
  }
  if (type == "real") {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--hparam '%s': a real domain is an interval MIN..MAX (e.g. real:0.1..0.2); for a list "
        "of floats use float:0.1,0.2",
        spec));
  }
  std::vector<Value> list;
  for (const std::string& escaped : split_spec(values, ',')) {
    const std::string item = Unescape(escaped);
    if (type == "str") {
      list.emplace_back(item);
    } else if (type == "int") {
      auto v = parse_int_value(item, context);
      if (!v.ok()) return v.status();
      list.push_back(*std::move(v));
    } else if (type == "float") {
      auto v = parse_double(item, context);
      if (!v.ok()) return v.status();
      list.emplace_back(*v);
    } else if (type == "bool") {
      auto v = parse_bool(item, context);
      if (!v.ok()) return v.status();
      list.emplace_back(*v);
    } else {
      return absl::InvalidArgumentError(usage);
    }
  }
  auto discrete = Discrete::create(std::move(list));
  if (!discrete.ok()) return discrete.status();
  return HParam(name, Domain(*discrete), display_name, description);
}

absl::StatusOr<Metric> parse_metric_spec(const std::string& spec) {
  std::vector<std::string> parts = split_spec(spec, ';');
  std::vector<std::pair<std::string, std::string>> attributes;
  absl::Status status =
      parse_attributes(parts, spec, {"group", "display_name", "description", "dataset_type"}, &attributes);
  if (!status.ok()) return status;
  if (parts[0].empty()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--metric '%s': the tag comes first, e.g. 'accuracy;display_name=Accuracy'", spec));
  }
  Metric metric(Unescape(parts[0]));
  for (const auto& [key, value] : attributes) {
    if (key == "group") metric.group(value);
    if (key == "display_name") metric.display_name(value);
    if (key == "description") metric.description(value);
    if (key == "dataset_type") {
      if (value == "training" || value == "train") {
        metric.dataset_type(DATASET_TRAINING);
      } else if (value == "validation") {
        metric.dataset_type(DATASET_VALIDATION);
      } else if (value == "unknown") {
        metric.dataset_type(DATASET_UNKNOWN);
      } else {
        return absl::InvalidArgumentError(absl::StrFormat(
            "--metric '%s': dataset_type '%s' is not training, validation or unknown", spec, value));
      }
    }
  }
  return metric;
}

absl::StatusOr<ScalarSpec> parse_scalar_spec(const std::string& spec) {
  size_t eq = spec.rfind('=');
  if (eq == std::string::npos || eq == 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--scalar '%s' is not TAG=VALUE[@STEP] (e.g. accuracy=0.83@1)", spec));
  }
  ScalarSpec out;
  out.tag = spec.substr(0, eq);
  std::string rest = spec.substr(eq + 1);
  size_t at = rest.find('@');
  std::string context = absl::StrFormat("--scalar '%s'", spec);
  auto value = parse_double(rest.substr(0, at), context);
  if (!value.ok()) return value.status();
  out.value = *value;
  if (at != std::string::npos) {
    auto step = parse_int(rest.substr(at + 1), context);
    if (!step.ok()) return step.status();
    out.step = *step;
  }
  return out;
}

absl::StatusOr<double> parse_finite_number(const std::string& text, const std::string& context) {
  auto v = parse_double(text, context);
  if (!v.ok()) return v.status();
  if (!std::isfinite(*v)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: '%s' is not a finite number", context, text));
  }
  return *v;
}

absl::StatusOr<uint64_t> parse_unsigned(const std::string& text, const std::string& context) {
  std::optional<IntLiteral> literal = parse_int_literal(text);
  if (!literal || literal->overflow || (literal->negative && literal->magnitude != 0)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: '%s' is not a non-negative integer below 2^64", context, text));
  }
  return literal->magnitude;
}

}  // namespace hp::cli
