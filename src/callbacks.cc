// Logs, CallbackList, KerasCallback and TensorBoardCallback.
#include "hparams/callbacks.h"

namespace hp {

Logs::Logs(std::initializer_list<Entry> entries) {
  for (const Entry& entry : entries) set(entry.first, entry.second);
}

void Logs::set(std::string_view name, double value) {
  for (Entry& entry : entries_) {
    if (entry.first == name) {
      entry.second = value;
      return;
    }
  }
  entries_.emplace_back(std::string(name), value);
}

std::optional<double> Logs::get(std::string_view name) const {
  for (const Entry& entry : entries_) {
    if (entry.first == name) return entry.second;
  }
  return std::nullopt;
}

CallbackList::CallbackList(std::vector<Callback*> callbacks) {
  for (Callback* callback : callbacks) add(callback);
}

void CallbackList::add(Callback* callback) {
  if (callback != nullptr) callbacks_.push_back(callback);
}

void CallbackList::add(std::unique_ptr<Callback> callback) {
  if (callback == nullptr) return;
  callbacks_.push_back(callback.get());
  owned_.push_back(std::move(callback));
}

// Every callback runs even after one fails: one broken logger must not
// silence the others. The first error is returned.
#define HP_FORWARD_TO_ALL_(call)                                \
  absl::Status first_error;                                     \
  for (Callback* callback : callbacks_) first_error.Update(callback->call); \
  return first_error

absl::Status CallbackList::on_train_begin() { HP_FORWARD_TO_ALL_(on_train_begin()); }
absl::Status CallbackList::on_train_end(const Logs& logs) { HP_FORWARD_TO_ALL_(on_train_end(logs)); }
absl::Status CallbackList::on_epoch_begin(int64_t epoch) { HP_FORWARD_TO_ALL_(on_epoch_begin(epoch)); }
absl::Status CallbackList::on_epoch_end(int64_t epoch, const Logs& logs) {
  HP_FORWARD_TO_ALL_(on_epoch_end(epoch, logs));
}
absl::Status CallbackList::on_train_batch_end(int64_t batch, const Logs& logs) {
  HP_FORWARD_TO_ALL_(on_train_batch_end(batch, logs));
}
absl::Status CallbackList::on_train_failed(const absl::Status& status) {
  HP_FORWARD_TO_ALL_(on_train_failed(status));
}

#undef HP_FORWARD_TO_ALL_

}  // namespace hp
