#include "trainer_flags.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace hparams_tuning {
namespace {

constexpr const char* kCommonFlags[] = {"--logdir", "--seed", "--train-limit", "--epochs", "--data-dir"};

absl::Status apply_common(const std::string& flag, const std::string& value, TrainerFlags& flags) {
  if (flag == "--logdir") {
    if (value.empty()) return absl::InvalidArgumentError("--logdir: must not be empty");
    flags.logdir = value;
  } else if (flag == "--seed") {
    if (!absl::SimpleAtoi(value, &flags.seed)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--seed: \"", value, "\" is not a non-negative integer"));
    }
  } else if (flag == "--train-limit") {
    uint64_t n = 0;
    if (!absl::SimpleAtoi(value, &n) || n == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--train-limit: \"", value, "\" is not a positive integer"));
    }
    flags.train_limit = static_cast<size_t>(n);
  } else if (flag == "--epochs") {
    if (!absl::SimpleAtoi(value, &flags.epochs) || flags.epochs <= 0 || flags.epochs > 1000) {
      return absl::InvalidArgumentError(
          absl::StrCat("--epochs: \"", value, "\" is not an integer in 1..1000"));
    }
  } else if (flag == "--data-dir") {
    flags.data_dir = value;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status parse_trainer_flags(int argc, char** argv, TrainerFlags& flags,
                                 const std::vector<ExtraFlag>& extra) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      flags.help = true;
      return absl::OkStatus();
    }
    const auto own = [&](bool takes_value) -> const ExtraFlag* {
      for (const ExtraFlag& flag : extra) {
        if (arg == flag.name && flag.takes_value == takes_value) return &flag;
      }
      return nullptr;
    };
    if (const ExtraFlag* flag = own(/*takes_value=*/false)) {
      if (absl::Status s = flag->apply(""); !s.ok()) return s;
      continue;
    }
    std::string value;
    const size_t eq = arg.find('=');
    const bool inline_value = arg.rfind("--", 0) == 0 && eq != std::string::npos;
    if (inline_value) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    }
    const ExtraFlag* flag = own(/*takes_value=*/true);
    if (flag == nullptr &&
        std::find(std::begin(kCommonFlags), std::end(kCommonFlags), arg) == std::end(kCommonFlags)) {
      return absl::InvalidArgumentError(absl::StrCat(arg, ": unknown flag (see --help)"));
    }
    if (!inline_value) {
      if (i + 1 >= argc) return absl::InvalidArgumentError(absl::StrCat(arg, ": missing value"));
      value = argv[++i];
    }
    absl::Status s = flag != nullptr ? flag->apply(value) : apply_common(arg, value, flags);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace hparams_tuning
