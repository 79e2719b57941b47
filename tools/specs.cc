// Parsing of `hparams config` / `hparams log` argument syntax (see specs.h).
#include "specs.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace hp::cli {
namespace {

// The characters a backslash escapes in a spec. Any other backslash is
// literal, so Windows paths need no doubling.
constexpr std::string_view kEscapable = "\\,;=";

bool IsEscape(const std::string& text, size_t i) {
  return text[i] == '\\' && i + 1 < text.size() && kEscapable.find(text[i + 1]) != std::string_view::npos;
}

// Splits on every `sep` that is not escaped. Escapes stay in the parts, for
// a later split or Unescape(): unescaping here and again later would turn
// "\\," (a backslash, then a separator) into an escaped comma.
std::vector<std::string> SplitSpec(const std::string& text, char sep) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsEscape(text, i)) {
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
size_t FindUnescaped(const std::string& text, char c) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsEscape(text, i)) {
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
    if (IsEscape(text, i)) ++i;
    out.push_back(text[i]);
  }
  return out;
}

absl::StatusOr<int64_t> ParseInt(const std::string& text, const std::string& context) {
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: '%s' is not an integer", context, text));
  }
  return static_cast<int64_t>(v);
}

absl::StatusOr<double> ParseDouble(const std::string& text, const std::string& context) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || absl::StrContains(text, "0x") || absl::StrContains(text, "0X")) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: '%s' is not a number", context, text));
  }
  return v;
}

absl::StatusOr<bool> ParseBool(const std::string& text, const std::string& context) {
  if (text == "true" || text == "True") return true;
  if (text == "false" || text == "False") return false;
  return absl::InvalidArgumentError(absl::StrFormat("%s: '%s' is not true or false", context, text));
}

// Python's integer literal: digits, optionally grouped by single
// underscores between digits (1_000, not _1, 1_ or 1__0), after a sign.
bool LooksLikeInt(const std::string& t) {
  size_t i = (t[0] == '-' || t[0] == '+') ? 1 : 0;
  if (i >= t.size()) return false;
  for (size_t start = i; i < t.size(); ++i) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(t[i]))) continue;
    if (t[i] != '_' || i == start || i + 1 == t.size() ||
        !absl::ascii_isdigit(static_cast<unsigned char>(t[i + 1]))) {
      return false;
    }
  }
  return true;
}

bool LooksLikeFloat(const std::string& t) {
  std::string lower = absl::AsciiStrToLower(t);
  std::string body = (lower[0] == '-' || lower[0] == '+') ? lower.substr(1) : lower;
  if (body == "nan" || body == "inf" || body == "infinity") return true;
  bool digit = false;
  for (char c : body) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else if (c != '.' && c != 'e' && c != '-' && c != '+') {
      return false;
    }
  }
  if (!digit) return false;
  char* end = nullptr;
  std::strtod(t.c_str(), &end);
  return *end == '\0';
}

// Attributes "key=value" after the first ';'-separated part.
absl::Status ParseAttributes(const std::vector<std::string>& parts, const std::string& spec,
                             const std::vector<std::string>& allowed,
                             std::vector<std::pair<std::string, std::string>>* out) {
  for (size_t i = 1; i < parts.size(); ++i) {
    size_t eq = FindUnescaped(parts[i], '=');
    std::string key = Unescape(parts[i].substr(0, eq));
    bool known = false;
    for (const auto& a : allowed) known |= a == key;
    if (eq == std::string::npos || !known) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "'%s': unknown attribute '%s'; use %s", spec, parts[i], absl::StrJoin(allowed, "=..., ") + "=..."));
    }
    out->emplace_back(key, Unescape(parts[i].substr(eq + 1)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Value> ParseValue(const std::string& text) {
  size_t colon = text.find(':');
  if (colon != std::string::npos) {
    std::string type = text.substr(0, colon);
    std::string rest = text.substr(colon + 1);
    std::string context = "value '" + text + "'";
    if (type == "str") return Value(rest);
    if (type == "int") {
      auto v = ParseInt(rest, context);
      if (!v.ok()) return v.status();
      return Value(*v);
    }
    if (type == "float") {
      auto v = ParseDouble(rest, context);
      if (!v.ok()) return v.status();
      return Value(*v);
    }
    if (type == "bool") {
      auto v = ParseBool(rest, context);
      if (!v.ok()) return v.status();
      return Value(*v);
    }
  }
  if (text.empty()) return Value(std::string());
  if (text == "true" || text == "True") return Value(true);
  if (text == "false" || text == "False") return Value(false);
  if (LooksLikeInt(text)) {
    std::string digits;
    for (char c : text) {
      if (c != '_') digits.push_back(c);
    }
    auto v = ParseInt(digits, "value '" + text + "'");
    if (!v.ok()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "value '%s' does not fit in a 64-bit integer; write float:%s or str:%s", text, text, text));
    }
    return Value(*v);
  }
  if (LooksLikeFloat(text)) return Value(std::strtod(text.c_str(), nullptr));
  return Value(text);
}

absl::StatusOr<std::pair<std::string, Value>> ParseAssignment(const std::string& spec) {
  size_t eq = FindUnescaped(spec, '=');
  if (eq == std::string::npos || eq == 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--hparam '%s' is not NAME=VALUE (e.g. num_units=16 or optimizer=str:adam)", spec));
  }
  auto value = ParseValue(spec.substr(eq + 1));  // verbatim: nothing to split
  if (!value.ok()) return value.status();
  return std::make_pair(Unescape(spec.substr(0, eq)), *std::move(value));
}

absl::StatusOr<HParam> ParseHParamSpec(const std::string& spec) {
  std::vector<std::string> parts = SplitSpec(spec, ';');
  std::vector<std::pair<std::string, std::string>> attributes;
  absl::Status status = ParseAttributes(parts, spec, {"display_name", "description"}, &attributes);
  if (!status.ok()) return status;
  std::string display_name;
  std::string description;
  for (const auto& [key, value] : attributes) (key == "display_name" ? display_name : description) = value;

  const std::string& head = parts[0];
  size_t eq = FindUnescaped(head, '=');
  if (eq == std::string::npos) return HParam(Unescape(head), std::nullopt, display_name, description);
  std::string name = Unescape(head.substr(0, eq));
  std::string domain = head.substr(eq + 1);
  size_t colon = domain.find(':');
  std::string usage = absl::StrFormat(
      "--hparam '%s': write NAME=TYPE:VALUES, TYPE one of int, float, real, str, bool, e.g. num_units=int:16,32, "
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
      auto a = ParseInt(lo, context);
      auto b = ParseInt(hi, context);
      if (!a.ok()) return a.status();
      if (!b.ok()) return b.status();
      auto interval = IntInterval::Create(*a, *b);
      if (!interval.ok()) return interval.status();
      return HParam(name, Domain(*interval), display_name, description);
    }
    auto a = ParseDouble(lo, context);
    auto b = ParseDouble(hi, context);
    if (!a.ok()) return a.status();
    if (!b.ok()) return b.status();
    auto interval = RealInterval::Create(*a, *b);
    if (!interval.ok()) return interval.status();
    return HParam(name, Domain(*interval), display_name, description);
  }
  if (type == "real") {
    return absl::InvalidArgumentError(
        absl::StrFormat("--hparam '%s': a real domain is an interval MIN..MAX (e.g. real:0.1..0.2); for a list "
                        "of floats use float:0.1,0.2",
                        spec));
  }
  std::vector<Value> list;
  for (const std::string& escaped : SplitSpec(values, ',')) {
    const std::string item = Unescape(escaped);
    if (type == "str") {
      list.emplace_back(item);
    } else if (type == "int") {
      auto v = ParseInt(item, context);
      if (!v.ok()) return v.status();
      list.emplace_back(*v);
    } else if (type == "float") {
      auto v = ParseDouble(item, context);
      if (!v.ok()) return v.status();
      list.emplace_back(*v);
    } else if (type == "bool") {
      auto v = ParseBool(item, context);
      if (!v.ok()) return v.status();
      list.emplace_back(*v);
    } else {
      return absl::InvalidArgumentError(usage);
    }
  }
  auto discrete = Discrete::Create(std::move(list));
  if (!discrete.ok()) return discrete.status();
  return HParam(name, Domain(*discrete), display_name, description);
}

absl::StatusOr<Metric> ParseMetricSpec(const std::string& spec) {
  std::vector<std::string> parts = SplitSpec(spec, ';');
  std::vector<std::pair<std::string, std::string>> attributes;
  absl::Status status =
      ParseAttributes(parts, spec, {"group", "display_name", "description", "dataset_type"}, &attributes);
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

absl::StatusOr<ScalarSpec> ParseScalarSpec(const std::string& spec) {
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
  auto value = ParseDouble(rest.substr(0, at), context);
  if (!value.ok()) return value.status();
  out.value = *value;
  if (at != std::string::npos) {
    auto step = ParseInt(rest.substr(at + 1), context);
    if (!step.ok()) return step.status();
    out.step = *step;
  }
  return out;
}

std::string ValueJson(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kBool:
      return value.as_bool() ? "true" : "false";
    case Value::Kind::kInt:
      return value.repr();
    case Value::Kind::kFloat: {
      double d = value.as_double();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      return value.repr();
    }
    case Value::Kind::kString:
      return JsonString(value.as_string());
  }
  return "null";
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

}  // namespace hp::cli
