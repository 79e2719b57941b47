// The order runs are listed and looked up in, everywhere: the logdir root
// "." first (TensorBoard reads its config first), then the others by name.
#ifndef HPARAMS_INTERNAL_RUN_ORDER_H_
#define HPARAMS_INTERNAL_RUN_ORDER_H_

#include <string_view>

namespace hp::internal {

inline bool run_name_less(std::string_view a, std::string_view b) {
  if ((a == ".") != (b == ".")) return a == ".";
  return a < b;
}

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_RUN_ORDER_H_
