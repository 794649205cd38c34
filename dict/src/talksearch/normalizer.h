// Unicode normalization shared by indexing and querying.
//
// Text is normalized with ICU's NFKC_Casefold (full-width ＰＩＮＮ -> pinn,
// the Kangxi radical ⽤ -> 用, half-width ｶﾀｶﾅ -> カタカナ, case folded), and
// Latin letters lose their accents (ö -> o).
// The result keeps a map back to the original byte offsets so that tokens
// found in the normalized text can be highlighted in the original.
//
// Thread-safety: all functions are safe to call from any thread.
#ifndef TALKSEARCH_NORMALIZER_H_
#define TALKSEARCH_NORMALIZER_H_

#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace talksearch {

// Normalized text plus the offset map back to its source.
class NormalizedText {
 public:
  const std::string& text() const { return text_; }

  // Maps a byte offset in text() to the byte offset in the source. Exact in
  // text normalization left alone; inside a changed stretch (ＰＩＮＮ → pinn)
  // an offset maps to the stretch's start, its end to the stretch's end.
  size_t SourceOffset(size_t normalized_offset) const;

 private:
  friend NormalizedText Normalize(std::string_view source);
  friend void FoldLatinAccents(NormalizedText& text);
  // One stretch of the text, as ICU's Edits report it.
  struct Span {
    size_t normalized;  // start in text()
    size_t source;      // start in the source
    size_t source_length;
    bool changed;
  };
  std::string text_;
  std::vector<Span> spans_;  // sorted, covering text() and the source
};

// NFKC + case folding, then Latin letters with diacritics as their base
// letter (Schrödinger → schrodinger, café → cafe: researchers type names and
// loanwords without accents; other scripts keep theirs, が is not か).
// Invalid UTF-8 sequences become U+FFFD; callers that must reject them
// check IsValidUtf8 first.
NormalizedText Normalize(std::string_view source);

// Shorthand when no offset map is needed.
std::string NormalizeString(std::string_view source);

// Normalized text without the ASCII characters in `drop` ("a b" with " "
// → "ab"): for keys that must not depend on spacing or hyphens.
std::string NormalizeWithout(std::string_view text, std::string_view drop);

// The speaker filter key of a name: normalized, spaces removed, so
// "三角 樹弘" and "三角樹弘" are the same speaker.
inline std::string SpeakerKey(std::string_view name) { return NormalizeWithout(name, " "); }

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

}  // namespace talksearch

#endif  // TALKSEARCH_NORMALIZER_H_
