#include "talksearch/code_points.h"

#include <unicode/uscript.h>

namespace talksearch {

bool IsValidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  if (text.size() > static_cast<size_t>(INT32_MAX)) return false;
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c <= 0) return false;  // invalid sequence (<0) or NUL (0)
  }
  return true;
}

bool ContainsCjk(std::string_view text) {
  bool cjk = false;
  ForEachCodePoint(text, [&cjk](char32_t c, size_t, size_t) { cjk = cjk || IsCjkCodePoint(c); });
  return cjk;
}

bool IsCjkCodePoint(char32_t c) {
  if (c == 0x30FC || c == 0x3005) return true;  // ー 々
  UErrorCode status = U_ZERO_ERROR;
  UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &status);
  if (U_FAILURE(status)) return false;
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA ||
         script == USCRIPT_KATAKANA;
}

void AppendUtf8(char32_t c, std::string& out) {
  uint8_t buf[4];
  int32_t len = 0;
  U8_APPEND_UNSAFE(buf, len, c);  // c is a valid code point: 4 bytes suffice
  out.append(reinterpret_cast<const char*>(buf), len);
}

}  // namespace talksearch
