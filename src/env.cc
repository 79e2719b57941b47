// Env's portable pieces: the default file_id(), create_dirs_reporting(),
// sync_dir() and remove_dir(); join_path() and parent_dir().
#include "hparams/env.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace hp {

absl::StatusOr<FileId> Env::file_id(const std::string& path) {
  return absl::UnimplementedError("this Env cannot identify files ('" + path + "')");
}

absl::Status Env::create_dirs_reporting(const std::string& path, std::vector<std::string>* created) {
  // The prefixes that are missing now; whichever exist afterwards were made here.
  std::vector<std::string> missing;
  for (size_t pos = path.find('/', 1);; pos = path.find('/', pos + 1)) {
    const std::string prefix = path.substr(0, pos);
    if (!prefix.empty() && prefix.back() != '/' && absl::IsNotFound(is_directory(prefix).status())) {
      missing.push_back(prefix);
    }
    if (pos == std::string::npos) break;
  }
  absl::Status s = create_dirs(path);
  for (const std::string& dir : missing) {
    if (is_directory(dir).value_or(false)) created->push_back(dir);
  }
  return s;
}

absl::Status Env::sync_dir(const std::string& path) { return absl::OkStatus(); }

absl::Status Env::remove_dir(const std::string& path) {
  return absl::UnimplementedError(
      absl::StrCat("this Env cannot remove directories (asked to remove '", path, "')"));
}

std::string parent_dir(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  std::string_view parent = path.substr(0, slash);
  while (parent.size() > 1 && parent.back() == '/') parent.remove_suffix(1);
  return std::string(parent);
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
