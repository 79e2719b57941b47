// The text syntax of `hparams config` and `hparams log` arguments.
//
// HParam with a domain (config --hparam), attributes after ';':
//   num_units=int:16,32          Discrete ints
//   layers=int:1..10             IntInterval [1, 10]
//   dropout=real:0.1..0.2        RealInterval [0.1, 0.2]
//   lr=float:0.1,0.01            Discrete floats
//   optimizer=str:adam,sgd       Discrete strings
//   amsgrad=bool:true,false      Discrete bools
//   seed                         no domain
//   dropout=real:0.1..0.2;display_name=Dropout;description=Rate of dropping
// Metric (config --metric):
//   accuracy;group=validation;display_name=Accuracy;description=...;dataset_type=validation
// Value (log --hparam), typed by Python's literal grammar unless a type is
// given: 16 / -3 / 0x10 / 0o17 / 0b11 / 1_000 -> int (up to 2^64-1; 007 is
// no Python literal, so a str), 0.1 / 1. / .5 / 1e-5 / 1_000.5 / nan / inf
// -> float, True / False (and true / false) -> bool, anything else -> str;
// int:16, float:16, str:16, bool:true force a type. A number out of range
// (an int beyond [-2^63, 2^64-1], a float like 1e999) is an error, never a
// silent inf or str. Numbers elsewhere (interval bounds, --scalar values and
// steps) follow the same grammar: no spaces, no hex floats.
// Escapes in config specs: "\,", "\;", "\=" and "\\" stand for the
// character itself (a comma inside a str value, ';' or '=' in a name, tag or
// label, a backslash just before a separator); any other backslash is
// literal (C:\data). In log --hparam NAME=VALUE, "\=" puts '=' in NAME, and
// VALUE is taken verbatim.
// Scalar (log --scalar): tag=value@step, e.g. accuracy=0.83@1 (@step
// defaults to 0).
#ifndef HPARAMS_TOOLS_SPECS_H_
#define HPARAMS_TOOLS_SPECS_H_

#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "hparams/hparam.h"
#include "hparams/value.h"

namespace hp::cli {

absl::StatusOr<HParam> parse_hparam_spec(const std::string& spec);
absl::StatusOr<Metric> parse_metric_spec(const std::string& spec);
// `text` is the part after "name=".
absl::StatusOr<Value> parse_value(const std::string& text);
// "name=value" -> (name, value).
absl::StatusOr<std::pair<std::string, Value>> parse_assignment(const std::string& spec);

struct ScalarSpec {
  std::string tag;
  double value = 0;
  int64_t step = 0;
};
absl::StatusOr<ScalarSpec> parse_scalar_spec(const std::string& spec);

// Numbers of other flags (--time, -n, --seed), by the same strict grammar:
// a Python int or float literal, no spaces, nothing out of range.
// InvalidArgument saying what `text` is not, prefixed by `context`.
absl::StatusOr<double> parse_finite_number(const std::string& text, const std::string& context);
absl::StatusOr<uint64_t> parse_unsigned(const std::string& text, const std::string& context);

}  // namespace hp::cli

#endif  // HPARAMS_TOOLS_SPECS_H_
