// Command-line parsing for the `hparams` tool.
#include "cli_args.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace hp::cli {

std::string Args::get(const std::string& name, const std::string& fallback) const {
  auto it = flags.find(name);
  return it == flags.end() || it->second.empty() ? fallback : it->second.back();
}

const std::vector<std::string>& Args::all(const std::string& name) const {
  static const std::vector<std::string> kNone;
  auto it = flags.find(name);
  return it == flags.end() ? kNone : it->second;
}

absl::StatusOr<Args> parse_args(const std::vector<std::string>& argv, const std::vector<FlagSpec>& specs,
                                size_t min_positional, size_t max_positional) {
  Args args;
  bool only_positional = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (only_positional || word.size() < 2 || word[0] != '-') {
      args.positional.push_back(word);
      continue;
    }
    if (word == "--") {
      only_positional = true;
      continue;
    }
    if (word == "--help" || word == "-h") {
      args.flags["help"].push_back("");
      continue;
    }
    std::string name;
    std::string value;
    bool has_inline_value = false;
    if (word.rfind("--", 0) == 0) {
      name = word.substr(2);
      size_t eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_inline_value = true;
      }
    } else {
      name = word.substr(1);
    }
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& s : specs) {
      if (s.name == name || (!s.short_name.empty() && s.short_name == name && word.rfind("--", 0) != 0))
        spec = &s;
    }
    if (spec == nullptr) {
      // A negative number is a positional argument, not a flag.
      if (word.size() > 1 && (isdigit(static_cast<unsigned char>(word[1])) || word[1] == '.')) {
        args.positional.push_back(word);
        continue;
      }
      return absl::InvalidArgumentError(absl::StrFormat("unknown option '%s'", word));
    }
    if (spec->takes_value) {
      if (!has_inline_value) {
        if (i + 1 >= argv.size()) {
          return absl::InvalidArgumentError(absl::StrFormat("option '--%s' needs a value", spec->name));
        }
        value = argv[++i];
      }
    } else if (has_inline_value) {
      return absl::InvalidArgumentError(absl::StrFormat("option '--%s' takes no value", spec->name));
    }
    auto& values = args.flags[spec->name];
    if (!values.empty() && !spec->repeatable) {
      return absl::InvalidArgumentError(absl::StrFormat("option '--%s' given more than once", spec->name));
    }
    values.push_back(value);
  }
  if (args.has("help")) return args;
  if (args.positional.size() < min_positional) {
    return absl::InvalidArgumentError(absl::StrFormat("expected %d argument%s, got %d", min_positional,
                                                      min_positional == 1 ? "" : "s",
                                                      args.positional.size()));
  }
  if (args.positional.size() > max_positional) {
    return absl::InvalidArgumentError(
        absl::StrFormat("unexpected argument '%s'", args.positional[max_positional]));
  }
  return args;
}

}  // namespace hp::cli
