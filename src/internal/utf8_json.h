// UTF-8 validation and JSON string literals as Python's json.dumps writes
// them. Nothing here depends on hp::Value, so value.cc can use it (through
// group_name.h it would close an include cycle).
#ifndef HPARAMS_INTERNAL_UTF8_JSON_H_
#define HPARAMS_INTERNAL_UTF8_JSON_H_

#include <string>
#include <string_view>

namespace hp::internal {

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view s);

// A JSON string literal as Python writes it with ensure_ascii=True: quotes,
// \" \\ \n \r \t \b \f, other code points below 0x20 and from 0x7f up as
// \uXXXX in lowercase hex (surrogate pairs above U+FFFF); "/" unescaped.
// Requires is_valid_utf8(s).
std::string python_json_string(std::string_view s);

}  // namespace hp::internal

#endif  // HPARAMS_INTERNAL_UTF8_JSON_H_
