// HParam, Metric and HParams: validation (of lists of them too) and the
// strict trial check.
#include "hparams/hparam.h"

#include <set>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "internal/group_name.h"
#include "internal/validate_each_once.h"

namespace hp {
namespace {

absl::Status check_label(const char* what, const std::string& owner, const std::string& text) {
  if (internal::is_valid_utf8(text)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(what, " of ", owner, " is not valid UTF-8: ", Value(text).repr()));
}

}  // namespace

// --- HParam ----------------------------------------------------------------------

HParam::HParam(std::string name, std::optional<Domain> domain, std::string display_name,
               std::string description)
    : name_(std::move(name)),
      domain_(domain.has_value() ? std::make_shared<const std::optional<Domain>>(std::move(domain))
                                 : nullptr),
      display_name_(std::move(display_name)),
      description_(std::move(description)) {}

const std::optional<Domain>& HParam::domain() const {
  // Also what a moved-from HParam reports.
  static const std::optional<Domain>* const kNoDomain = new std::optional<Domain>();
  return domain_ == nullptr ? *kNoDomain : *domain_;
}

absl::Status HParam::validate() const {
  if (name_.empty()) {
    return absl::InvalidArgumentError("hparam name is empty; give every HParam a name");
  }
  if (!internal::is_valid_utf8(name_)) {
    return absl::InvalidArgumentError(
        absl::StrCat("hparam name ", Value(name_).repr(), " is not valid UTF-8"));
  }
  const std::string owner = absl::StrCat("hparam '", name_, "'");
  if (absl::Status s = check_label("display_name", owner, display_name_); !s.ok()) return s;
  if (absl::Status s = check_label("description", owner, description_); !s.ok()) return s;
  if (domain().has_value()) {
    const absl::Status& s = domain_status(*domain());
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("hparam '", name_, "' has an invalid domain: ", s.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status HParam::check_value(const Value& v) const {
  if (v.is_string() && !internal::is_valid_utf8(v.as_string())) {
    return absl::InvalidArgumentError(
        absl::StrCat("value ", v.repr(), " of hparam '", name_, "' is not valid UTF-8"));
  }
  if (!domain().has_value()) return absl::OkStatus();
  const Domain& domain = *this->domain();
  if (!domain_status(domain).ok()) return validate();
  if (domain_contains(domain, v)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("value ", v.repr(), " (", v.type_name(), ") of hparam '",
                                                 name_, "' is not in its domain ", domain_repr(domain),
                                                 "; use a value of the domain's kind and range"));
}

// --- Metric ----------------------------------------------------------------------

Metric::Metric(std::string tag, std::string group, std::string display_name, std::string description,
               DatasetType dataset_type)
    : tag_(std::move(tag)),
      group_(std::move(group)),
      display_name_(std::move(display_name)),
      description_(std::move(description)),
      dataset_type_(dataset_type) {}

absl::Status Metric::validate() const {
  if (tag_.empty()) {
    return absl::InvalidArgumentError("metric tag is empty; give every Metric the scalar's tag");
  }
  if (!internal::is_valid_utf8(tag_)) {
    return absl::InvalidArgumentError(absl::StrCat("metric tag ", Value(tag_).repr(), " is not valid UTF-8"));
  }
  const std::string owner = absl::StrCat("metric '", tag_, "'");
  if (absl::Status s = check_label("group", owner, group_); !s.ok()) return s;
  if (absl::Status s = check_label("display_name", owner, display_name_); !s.ok()) return s;
  if (absl::Status s = check_label("description", owner, description_); !s.ok()) return s;
  if (dataset_type_ < DATASET_UNKNOWN || dataset_type_ > DATASET_VALIDATION) {
    return absl::InvalidArgumentError(
        absl::StrCat(owner, " has unknown dataset_type ", static_cast<int>(dataset_type_),
                     "; use DATASET_UNKNOWN, DATASET_TRAINING or DATASET_VALIDATION"));
  }
  return absl::OkStatus();
}

// --- Lists of them (internal/validate_each_once.h) -------------------------------

namespace internal {
namespace {

template <typename Item, typename KeyOf>
absl::Status validate_each_once_by(const std::vector<Item>& items, std::string_view kind,
                                   std::string_view list, KeyOf key_of) {
  std::set<std::invoke_result_t<KeyOf, const Item&>> seen;
  for (const Item& item : items) {
    if (absl::Status s = item.validate(); !s.ok()) return s;
    if (!seen.insert(key_of(item)).second) return appears_twice_error(kind, describe_item(item), list);
  }
  return absl::OkStatus();
}

}  // namespace

std::string describe_item(const HParam& hparam) { return absl::StrCat("hparam '", hparam.name(), "'"); }

std::string describe_item(const Metric& metric) {
  return absl::StrCat("metric '", metric.tag(), "' (group '", metric.group(), "')");
}

absl::Status appears_twice_error(std::string_view kind, std::string_view what, std::string_view list,
                                 std::string_view detail) {
  const auto view = [](std::string_view s) { return absl::string_view(s.data(), s.size()); };
  return absl::InvalidArgumentError(
      absl::StrCat(view(what), " appears twice in ", view(list), detail.empty() ? "" : " (", view(detail),
                   detail.empty() ? "" : ")", "; give each ", view(kind), " once"));
}

absl::Status validate_each_once(const std::vector<HParam>& hparams, std::string_view list) {
  return validate_each_once_by(hparams, "hparam", list,
                               [](const HParam& h) { return std::string_view(h.name()); });
}

absl::Status validate_each_once(const std::vector<Metric>& metrics, std::string_view list) {
  return validate_each_once_by(metrics, "metric", list, [](const Metric& m) {
    return std::pair<std::string_view, std::string_view>(m.group(), m.tag());
  });
}

}  // namespace internal

// --- HParams ---------------------------------------------------------------------

void HParams::index_from(size_t first) {
  if (entries_.size() < kIndexFrom) return;
  if (index_.empty()) first = 0;
  for (size_t i = first; i < entries_.size(); ++i) index_.try_emplace(entries_[i].name(), i);
}

const Value* HParams::find(std::string_view name) const {
  if (index_.empty()) {
    for (const Entry& e : entries_) {
      if (e.name() == name) return &e.value();
    }
    return nullptr;
  }
  auto it = index_.find(std::string(name));
  return it == index_.end() ? nullptr : &entries_[it->second].value();
}

absl::Status HParams::validate() const {
  std::set<std::string_view> seen;
  for (const Entry& e : entries_) {
    if (e.name().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("hparam with value ", e.value().repr(), " has an empty name; name every hparam"));
    }
    if (!internal::is_valid_utf8(e.name())) {
      return absl::InvalidArgumentError(
          absl::StrCat("hparam name ", Value(e.name()).repr(), " is not valid UTF-8"));
    }
    if (!seen.insert(e.name()).second) {
      return internal::appears_twice_error("hparam", absl::StrCat("hparam '", e.name(), "'"), "the trial",
                                           absl::StrCat(find(e.name())->repr(), ", then ", e.value().repr()));
    }
    if (e.hparam() != nullptr) {
      if (absl::Status s = e.hparam()->validate(); !s.ok()) return s;
      if (absl::Status s = e.hparam()->check_value(e.value()); !s.ok()) return s;
    } else if (e.value().is_string() && !internal::is_valid_utf8(e.value().as_string())) {
      return absl::InvalidArgumentError(
          absl::StrCat("value ", e.value().repr(), " of hparam '", e.name(), "' is not valid UTF-8"));
    }
  }
  return absl::OkStatus();
}

std::string HParams::repr() const {
  std::string out = "{";
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (i > 0) out.append(", ");
    absl::StrAppend(&out, Value(entries_[i].name()).repr(), ": ", entries_[i].value().repr());
  }
  out.push_back('}');
  return out;
}

// --- Strict check ------------------------------------------------------------------

absl::Status check_trial(const std::vector<HParam>& config, const HParams& trial) {
  if (absl::Status s = internal::validate_each_once(config, "the config"); !s.ok()) return s;
  std::set<std::string_view> config_names;
  for (const HParam& h : config) config_names.insert(h.name());
  if (absl::Status s = trial.validate(); !s.ok()) return s;
  for (const HParam& h : config) {
    const Value* v = trial.find(h.name());
    if (v == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("trial ", trial.repr(), " has no value for hparam '", h.name(),
                       "' of the config; give every configured hparam a value"));
    }
    if (absl::Status s = h.check_value(*v); !s.ok()) return s;
  }
  for (const HParams::Entry& e : trial) {
    if (config_names.count(e.name()) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("trial gives hparam '", e.name(), "' = ", e.value().repr(),
                       ", which is not in the config; add it to hparams_config or drop it"));
    }
  }
  return absl::OkStatus();
}

}  // namespace hp
