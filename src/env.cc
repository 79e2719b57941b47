// Env's portable pieces: the default read_file() and join_path().
#include "hparams/env.h"

#include <string>


namespace hp {

absl::StatusOr<std::string> Env::read_file(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SequentialFile>> file = new_sequential_file(path);
  if (!file.ok()) return file.status();
  std::string contents;
  constexpr size_t kChunk = size_t{64} << 10;
  std::string scratch(kChunk, '\0');
  for (;;) {
    absl::StatusOr<std::string_view> piece = (*file)->read(kChunk, scratch.data());
    if (!piece.ok()) return piece.status();
    if (piece->empty()) break;
    contents.append(piece->data(), piece->size());
  }
  return contents;
}

absl::StatusOr<FileId> Env::file_id(const std::string& path) {
  return absl::UnimplementedError("this Env cannot identify files ('" + path + "')");
}

std::string join_path(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  while (a.size() > 1 && a.back() == '/') a.remove_suffix(1);
  while (!b.empty() && b.front() == '/') b.remove_prefix(1);
  std::string joined(a);
  if (a != "/") joined.push_back('/');
  joined.append(b.data(), b.size());
  return joined;
}

}  // namespace hp
