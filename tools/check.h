// `hparams check`: the mistakes that leave the HParams dashboard empty or
// wrong, each with a message saying what to do.
#ifndef HPARAMS_TOOLS_CHECK_H_
#define HPARAMS_TOOLS_CHECK_H_

#include <string>
#include <vector>

#include "hparams/experiment_view.h"

namespace hp::cli {

struct Finding {
  std::string code;     // stable lower_snake_case name, e.g. "metric_not_found"
  std::string message;  // what is wrong, where, and what to do
};

std::vector<Finding> check_experiment(const ExperimentView& view);

}  // namespace hp::cli

#endif  // HPARAMS_TOOLS_CHECK_H_
