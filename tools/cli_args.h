// Command-line parsing for the `hparams` tool: positional arguments plus
// --flag VALUE / --flag=VALUE / boolean --flag, with unknown flags rejected.
#ifndef HPARAMS_TOOLS_CLI_ARGS_H_
#define HPARAMS_TOOLS_CLI_ARGS_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace hp::cli {

struct FlagSpec {
  FlagSpec(std::string name, bool takes_value = true, bool repeatable = false,  // NOLINT: implicit on purpose
           std::string short_name = "")
      : name(std::move(name)),
        takes_value(takes_value),
        repeatable(repeatable),
        short_name(std::move(short_name)) {}
  std::string name;         // long name without dashes, e.g. "sort"
  bool takes_value = true;  // false: a boolean switch
  bool repeatable = false;  // may be given more than once
  std::string short_name;   // e.g. "n" for -n; may be empty
};

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> flags;  // name -> values ("" for switches)

  bool has(const std::string& name) const { return flags.count(name) > 0; }
  // The flag's (last) value, or `fallback`.
  std::string get(const std::string& name, const std::string& fallback = "") const;
  const std::vector<std::string>& all(const std::string& name) const;
};

// Parses `argv` (the words after the command name). InvalidArgument for an
// unknown flag, a missing value, a repeated non-repeatable flag, or a
// positional count outside [min_positional, max_positional]. "--help" and
// "-h" are always accepted as the switch "help".
absl::StatusOr<Args> parse_args(const std::vector<std::string>& argv, const std::vector<FlagSpec>& specs,
                                size_t min_positional, size_t max_positional);

}  // namespace hp::cli

#endif  // HPARAMS_TOOLS_CLI_ARGS_H_
