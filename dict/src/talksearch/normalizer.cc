#include "talksearch/normalizer.h"

#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <stdexcept>
#include <string_view>

namespace talksearch {
namespace {

const icu::Normalizer2& NfkcCasefold() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || n == nullptr) {
    throw std::runtime_error(std::string("ICU NFKC_Casefold unavailable: ") +
                             u_errorName(status));
  }
  return *n;
}

// The base letter of a Latin letter with diacritics (ö → o, ǖ → u): the
// first code point of its canonical decomposition (ICU's NFD), when that is
// ASCII; any other code point as it is (ø and ł have no decomposition).
char32_t LatinBase(char32_t c) {
  const bool latin = (c >= 0xC0 && c <= 0x24F) || (c >= 0x1E00 && c <= 0x1EFF);
  if (!latin) return c;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status) || nfd == nullptr) return c;
  icu::UnicodeString decomposition;
  if (!nfd->getDecomposition(static_cast<UChar32>(c), decomposition) ||
      decomposition.isEmpty()) {
    return c;
  }
  const UChar32 base = decomposition.char32At(0);
  return base < 0x80 ? static_cast<char32_t>(base) : c;
}


bool IsKanaOrProlongedMark(char32_t c) {
  return (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC;
}

// Hyphens: after kana typed for ー, elsewhere a hyphen ('-'). NFKC has
// already made ⁻ ₋ into − and ﹣ － into '-'; they are listed in case the
// ICU version differs.
bool IsHyphen(char32_t c) {
  static constexpr std::u32string_view kHyphens =
      U"-\u02D7\u058A\u2010\u2011\u2012\u2013\u2043\u207B\u208B\u2212\uFE63\uFF0D";
  return kHyphens.find(c) != std::u32string_view::npos;
}

// Dashes and box-drawing lines: after kana typed for ー, elsewhere left as
// they are.
bool IsDash(char32_t c) {
  return c == 0x2014 || c == 0x2015 || c == 0x2500 || c == 0x2501 || c == 0xFE58;
}

bool IsMiddleDot(char32_t c) {
  static constexpr std::u32string_view kMiddleDots =
      U"\u00B7\u0387\u1427\u2022\u2219\u22C5\u2E31\uFF65";
  return kMiddleDots.find(c) != std::u32string_view::npos;
}

// Normalize's per-code-point fold of `c` after `previous` (its folded form).
char32_t FoldCodePoint(char32_t c, char32_t previous) {
  if (c < 0x80 && c != '-') return c;
  if (IsHyphen(c) || IsDash(c)) {
    if (IsKanaOrProlongedMark(previous)) return 0x30FC;
    return IsHyphen(c) ? U'-' : c;
  }
  if (IsMiddleDot(c)) return 0x30FB;
  // The small hiragana ゕ ゖ as か け, before MeCab reads the text: it knows
  // 一か月 and 三け所 (and their katakana ヵ ヶ) but not these spellings.
  if (c == 0x3095) return 0x304B;
  if (c == 0x3096) return 0x3051;
  // 〻 as 々, which MeCab knows (時〻 = 時々).
  if (c == 0x303B) return 0x3005;
  return LatinBase(c);
}

// Whether UTF-8 `text` may hold a code point FoldCodePoint changes: a lead
// byte of U+00B7–U+058A (C2–D6), of U+1427 or U+1E00–U+1EFF (E1), of
// U+2010–U+2E31 (E2), of U+FE58–U+FF65 (EF), or a '-' after a three-byte
// kana (E3), ゕ ゖ (E3 82 95–96) or 〻 (E3 80 BB). Most text (ASCII, Japanese) has none and is left as it is
// without decoding it.
bool MayFold(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    if ((b >= 0xC2 && b <= 0xD6) || b == 0xE1 || b == 0xE2 || b == 0xEF) return true;
    if (b == '-' && i >= 3 && static_cast<unsigned char>(text[i - 3]) == 0xE3) return true;
    if (b == 0xE3 && i + 2 < text.size()) {
      const unsigned char b1 = static_cast<unsigned char>(text[i + 1]);
      const unsigned char b2 = static_cast<unsigned char>(text[i + 2]);
      if ((b1 == 0x82 && (b2 == 0x95 || b2 == 0x96)) || (b1 == 0x80 && b2 == 0xBB)) return true;
    }
  }
  return false;
}


// The per-code-point fold step of Normalize, on its NFKC_Casefold result.
NormalizedText FoldCodePoints(const NormalizedText& normalized) {
  TextRewriter out(normalized);
  const std::string& text = normalized.text();
  size_t kept_from = 0;
  char32_t previous = 0;
  ForEachCodePoint(text, [&](char32_t c, size_t begin, size_t end) {
    const char32_t folded = FoldCodePoint(c, previous);
    previous = folded;
    if (folded == c) return;
    out.Keep(kept_from, begin);
    std::string with;
    AppendUtf8(folded, with);
    out.Replace(begin, end, with);
    kept_from = end;
  });
  out.Keep(kept_from, text.size());
  return std::move(out).Finish();
}

bool WellFormedUtf8(std::string_view text) {
  bool ok = text.size() < static_cast<size_t>(INT32_MAX);
  ForEachCodePoint(text, [&](char32_t, size_t begin, size_t end) {
    // ForEachCodePoint reports an invalid sequence as U+FFFD of the bytes
    // it skipped; a real U+FFFD is three bytes EF BF BD.
    if (ok && end - begin >= 1) {
      const unsigned char lead = static_cast<unsigned char>(text[begin]);
      const size_t expected = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
      ok = expected == end - begin;
    }
  });
  return ok;
}

}  // namespace

NormalizedText Normalize(std::string_view source) {
  const icu::Normalizer2& norm = NfkcCasefold();
  NormalizedText out;
  out.text_.reserve(source.size());
  if (WellFormedUtf8(source)) {
    // One pass over the UTF-8, with ICU recording every stretch it changed.
    UErrorCode status = U_ZERO_ERROR;
    icu::Edits edits;
    icu::StringByteSink<std::string> sink(&out.text_);
    norm.normalizeUTF8(0, icu::StringPiece(source.data(), static_cast<int32_t>(source.size())),
                       sink, &edits, status);
    if (U_SUCCESS(status)) {
      icu::Edits::Iterator it = edits.getFineIterator();
      while (it.next(status)) {
        out.spans_.push_back({static_cast<size_t>(it.destinationIndex()),
                              static_cast<size_t>(it.sourceIndex()),
                              static_cast<size_t>(it.oldLength()), it.hasChange() != 0});
      }
      out.spans_.push_back({out.text_.size(), source.size(), 0, false});
      return MayFold(out.text_) ? FoldCodePoints(out) : out;
    }
    out.text_.clear();
    out.spans_.clear();
  }

  // Ill-formed input: normalize code point by code point between ICU's
  // normalization boundaries, invalid bytes becoming U+FFFD.
  icu::UnicodeString chunk;
  size_t chunk_source_start = 0;
  auto flush = [&](size_t next_source_start) {
    if (chunk.isEmpty()) return;
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString normalized = norm.normalize(chunk, status);
    out.spans_.push_back({out.text_.size(), chunk_source_start,
                          next_source_start - chunk_source_start, true});
    (U_SUCCESS(status) ? normalized : chunk).toUTF8String(out.text_);
    chunk.remove();
    chunk_source_start = next_source_start;
  };
  ForEachCodePoint(source, [&](char32_t c, size_t begin, size_t) {
    if (!chunk.isEmpty() && norm.hasBoundaryBefore(static_cast<UChar32>(c))) flush(begin);
    if (chunk.isEmpty()) chunk_source_start = begin;
    chunk.append(static_cast<UChar32>(c));
  });
  flush(source.size());
  out.spans_.push_back({out.text_.size(), source.size(), 0, false});
  return MayFold(out.text_) ? FoldCodePoints(out) : out;
}

NormalizedText NormalizeForSearch(std::string_view source) { return FoldKana(Normalize(source)); }

std::string NormalizeString(std::string_view source) {
  return Normalize(source).text();
}

std::string NormalizeWithout(std::string_view text, std::string_view drop) {
  std::string key = NormalizeString(text);
  key.erase(std::remove_if(key.begin(), key.end(),
                           [drop](char c) { return drop.find(c) != std::string_view::npos; }),
            key.end());
  return key;
}

}  // namespace talksearch
