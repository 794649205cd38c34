// UTF-8 and code points: walking UTF-8 text code point by code point,
// checking it is well formed, encoding a code point, and which code points
// are CJK (the ones that take part in character bigrams).
//
// Thread-safety: all functions are safe to call from any thread.
#ifndef TALKSEARCH_CODE_POINTS_H_
#define TALKSEARCH_CODE_POINTS_H_

#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace talksearch {

// True when `text` is well-formed UTF-8 with no NUL bytes.
bool IsValidUtf8(std::string_view text);

// Calls fn(code_point, begin, end) for each code point of UTF-8 `text`,
// with byte offsets; an invalid sequence is reported as U+FFFD.
template <typename Fn>
void ForEachCodePoint(std::string_view text, Fn&& fn) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    fn(static_cast<char32_t>(c < 0 ? 0xFFFD : c), static_cast<size_t>(start),
       static_cast<size_t>(i));
  }
}

// True for code points that take part in CJK character bigrams: Han,
// Hiragana, Katakana, the prolonged sound mark ー and the iteration mark 々.
bool IsCjkCodePoint(char32_t c);

// Whether `text` (UTF-8) has a code point IsCjkCodePoint accepts.
bool ContainsCjk(std::string_view text);

// The number of code points of UTF-8 `text`.
inline size_t CodePointCount(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// Appends code point `c` (a valid one: not a surrogate, at most U+10FFFF)
// to `out` as UTF-8.
void AppendUtf8(char32_t c, std::string& out);

}  // namespace talksearch

#endif  // TALKSEARCH_CODE_POINTS_H_
