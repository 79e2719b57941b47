// Python's repr() of a float, the text Python's json.dumps hashes into a
// session group name.
#ifndef HPARAMS_INTERNAL_PYTHON_FLOAT_REPR_H_
#define HPARAMS_INTERNAL_PYTHON_FLOAT_REPR_H_

#include <string>

namespace hp::internal {

// repr(x) in CPython 3: the shortest digits that round-trip, in positional
// form when the decimal exponent is in [-4, 16), otherwise as
// d[.ddd]e<sign><at least two digits>; integral values get ".0".
// Non-finite: "nan", "inf", "-inf". Examples: 0.1 -> "0.1", 16.0 -> "16.0",
// 1e-05 -> "1e-05", 1e16 -> "1e+16", -0.0 -> "-0.0".
std::string python_float_repr(double x);

// What json.dumps(x) writes (allow_nan=True): python_float_repr, except
// "NaN", "Infinity" and "-Infinity" for the non-finite values.
std::string python_json_float(double x);

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_PYTHON_FLOAT_REPR_H_
