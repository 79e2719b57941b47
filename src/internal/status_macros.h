// Early-return helpers for absl::Status, which abseil 20220623 does not ship.
#ifndef HPARAMS_INTERNAL_STATUS_MACROS_H_
#define HPARAMS_INTERNAL_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define HP_STATUS_CONCAT_INNER_(a, b) a##b
#define HP_STATUS_CONCAT_(a, b) HP_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function when `expr` (an absl::Status) is not OK.
#define HP_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::absl::Status hp_status_ = (expr);      \
    if (!hp_status_.ok()) return hp_status_; \
  } while (false)

// `HP_ASSIGN_OR_RETURN(auto x, MakeX());` declares/assigns x from a StatusOr
// or returns its error.
#define HP_ASSIGN_OR_RETURN(lhs, expr) \
  HP_ASSIGN_OR_RETURN_IMPL_(HP_STATUS_CONCAT_(hp_statusor_, __LINE__), lhs, expr)
// NOLINTBEGIN(bugprone-macro-parentheses): `lhs` is a declaration or an
// lvalue and `statusor` a new name; neither can be parenthesised.
#define HP_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr)     \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()
// NOLINTEND(bugprone-macro-parentheses)

#endif  // HPARAMS_INTERNAL_STATUS_MACROS_H_
