// Unicode normalization shared by indexing and querying.
//
// Text is normalized with ICU's NFKC_Casefold (full-width ＰＩＮＮ -> pinn,
// the Kangxi radical ⽤ -> 用, half-width ｶﾀｶﾅ -> カタカナ, case folded),
// Latin letters lose their accents (ö -> o), and dashes and middle dots
// written several ways become one (コ-ヒ- -> コーヒー, Runge‐Kutta ->
// runge-kutta, アラン·チューリング -> アラン・チューリング).
// Search keys fold kana spellings further (FoldKana: ファイル = フアイル =
// ふぁいる, サーバー = サーバ); MeCab still reads the normalized text, whose
// spelling it knows.
// Both results keep a map back to the original byte offsets so that tokens
// found in them can be highlighted in the original.
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
  friend class TextRewriter;
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

// NFKC + case folding, then, code point by code point:
// - Latin letters with diacritics as their base letter (Schrödinger →
//   schrodinger, café → cafe: researchers type names and loanwords without
//   accents; other scripts keep theirs, が is not か);
// - a hyphen or dash (‐ ‑ ‒ – — ― − ─ ━ ˗ ֊ ⁃ -) right after a kana or ー
//   as the prolonged sound mark ー (デ—タ, コ-ヒ-: typed for ー);
// - elsewhere the hyphens (‐ ‑ ‒ – − ˗ ֊ ⁃) as ASCII '-' (Runge‐Kutta); the
//   dashes — ― ─ ━ stay, they separate clauses rather than join words;
// - the middle dots (· • ∙ ⋅ ⸱ ᐧ ･) as the katakana middle dot ・.
// MeCab reads this text, so these unify what it segments too.
// Invalid UTF-8 sequences become U+FFFD; callers that must reject them
// check IsValidUtf8 first.
NormalizedText Normalize(std::string_view source);

// The search key form of normalized text (Normalize's result), with the
// offset map still into the original source: kana spellings of one word
// become one spelling. Hiragana stays hiragana here, each fold giving the
// kana of the script it was written in (ゔぁ → ば); KanaSearchTerm makes
// the terms of kana alone katakana.
// - iteration marks written out: ヽ ゝ the kana before it unvoiced (バヽマ =
//   バハマ), ヾ ゞ voiced (いすゞ = いすず), 々 〻 the character before it
//   (時々 = 時時);
// - ヴァ ヴィ ヴェ ヴォ ヴ ヷ ヸ ヹ ヺ as バ ビ ベ ボ ブ バ ビ ベ ボ; ヅァ ヅィ ヅェ ヅォ and
//   ズァ ズィ ズェ ズォ as ザ ジ ゼ ゾ; グァ グィ グェ グォ as ガ ギ ゲ ゴ; ヂ as ジ, ヅ as
//   ズ, ヲ as オ;
// - small kana as large (ファイル = フアイル, 三ヵ月 = 三カ月);
// - オ after an o-row kana as ウ (トオル = トウル);
// - a run of ー as one ー, and a ー that ends a word of kana (the next code
//   point is not kana of the same script) after at least three characters
//   of the word, a ー among them, dropped (コンピューター = コンピュータ,
//   サーバーを = サーバを; カラー and ルー keep it).
// Not for MeCab: it segments the spelling as written.
NormalizedText FoldKana(const NormalizedText& normalized);

// The search term of a piece of FoldKana's text: kana alone as katakana
// (ねこ = ネコ); kana among other characters as it is, since a hiragana
// next to a kanji is an inflection or particle, and a katakana there part
// of a loanword compound (した解析 is not シタ解析, which would match the
// quoted phrase データ解析's bigram タ解).
std::string KanaSearchTerm(std::string_view key);

// The search term of one normalized word: KanaSearchTerm of its FoldKana.
std::string FoldKanaKey(std::string_view normalized);

// `text` with every hiragana as its katakana; byte offsets stay (both are
// three bytes in UTF-8), so it can stand for `text` when matching.
std::string HiraganaAsKatakana(std::string_view text);

// FoldKana(Normalize(source)): the text in which a Highlighter finds a
// search's terms.
NormalizedText NormalizeForSearch(std::string_view source);

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

// Whether `text` (UTF-8) has a code point IsCjkCodePoint accepts.
bool ContainsCjk(std::string_view text);

// The number of code points of UTF-8 `text`.
inline size_t CodePointCount(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace talksearch

#endif  // TALKSEARCH_NORMALIZER_H_
