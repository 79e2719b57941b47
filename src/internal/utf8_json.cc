// UTF-8 validation and Python's JSON string escaping, the pieces of
// json.dumps that need no hp::Value (so value.cc can use them without an
// include cycle through group_name.h).
#include "internal/utf8_json.h"

#include <cstdint>

namespace hp::internal {
namespace {

// Decodes the code point at s[*i] and advances *i; -1 on malformed input.
int32_t decode_utf8(std::string_view s, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t lead = byte(*i);
  if (lead < 0x80) {
    ++*i;
    return lead;
  }
  int extra;
  int32_t cp;
  int32_t min_cp;
  if ((lead & 0xe0) == 0xc0) {
    extra = 1, cp = lead & 0x1f, min_cp = 0x80;
  } else if ((lead & 0xf0) == 0xe0) {
    extra = 2, cp = lead & 0x0f, min_cp = 0x800;
  } else if ((lead & 0xf8) == 0xf0) {
    extra = 3, cp = lead & 0x07, min_cp = 0x10000;
  } else {
    return -1;
  }
  if (*i + static_cast<size_t>(extra) >= s.size()) return -1;  // truncated sequence
  for (int k = 1; k <= extra; ++k) {
    const uint8_t b = byte(*i + static_cast<size_t>(k));
    if ((b & 0xc0) != 0x80) return -1;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min_cp || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  *i += static_cast<size_t>(extra) + 1;
  return cp;
}

void append_u_escape(uint32_t unit, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\u");
  for (int shift = 12; shift >= 0; shift -= 4) out->push_back(kHex[(unit >> shift) & 0xf]);
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (decode_utf8(s, &i) < 0) return false;
  }
  return true;
}

std::string python_json_string(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    const int32_t cp = decode_utf8(s, &i);
    if (cp < 0) {  // precondition violated: escape the byte rather than emit bad JSON
      append_u_escape(static_cast<uint8_t>(s[i]), &out);
      ++i;
      continue;
    }
    switch (cp) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        if (cp >= 0x20 && cp < 0x7f) {
          out.push_back(static_cast<char>(cp));
        } else if (cp < 0x10000) {
          append_u_escape(static_cast<uint32_t>(cp), &out);
        } else {
          const uint32_t v = static_cast<uint32_t>(cp) - 0x10000;
          append_u_escape(0xd800 + (v >> 10), &out);
          append_u_escape(0xdc00 + (v & 0x3ff), &out);
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace hp::internal
