// libFuzzer harness for the command line's parsers: hparam, metric, value,
// assignment and scalar specs, and the JSON they print back. The first byte
// picks the parser; the rest is the text a user typed.
#include "specs.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 5) {
    case 0: {
      auto hparam = hp::cli::parse_hparam_spec(text);
      if (hparam.ok()) (void)hparam->validate();
      break;
    }
    case 1: {
      auto metric = hp::cli::parse_metric_spec(text);
      if (metric.ok()) (void)metric->validate();
      break;
    }
    case 2: {
      auto value = hp::cli::parse_value(text);
      if (value.ok()) (void)value->json();
      break;
    }
    case 3: {
      auto assignment = hp::cli::parse_assignment(text);
      if (assignment.ok()) (void)assignment->second.json();
      break;
    }
    case 4:
      (void)hp::cli::parse_scalar_spec(text);
      (void)hp::Value(text).json();
      break;
  }
  return 0;
}
