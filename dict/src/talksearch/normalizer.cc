#include "talksearch/normalizer.h"

#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

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

void AppendUtf8(char32_t c, std::string& out) {
  uint8_t buf[4];
  int32_t len = 0;
  U8_APPEND_UNSAFE(buf, len, c);  // c is a valid code point: 4 bytes suffice
  out.append(reinterpret_cast<const char*>(buf), len);
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
  return LatinBase(c);
}

// Whether UTF-8 `text` may hold a code point FoldCodePoint changes: a lead
// byte of U+00B7–U+058A (C2–D6), of U+1427 or U+1E00–U+1EFF (E1), of
// U+2010–U+2E31 (E2), of U+FE58–U+FF65 (EF), or a '-' after a three-byte
// kana (E3). Most text (ASCII, Japanese) has none and is left as it is
// without decoding it.
bool MayFold(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    if ((b >= 0xC2 && b <= 0xD6) || b == 0xE1 || b == 0xE2 || b == 0xEF) return true;
    if (b == '-' && i >= 3 && static_cast<unsigned char>(text[i - 3]) == 0xE3) return true;
  }
  return false;
}

}  // namespace

// Builds a NormalizedText from another, piece by piece in order: pieces
// kept as they are and pieces replaced. The result's map goes to the
// original source: a kept piece keeps the input's map, a replaced one is a
// changed stretch over the source of the input it replaces.
class TextRewriter {
 public:
  explicit TextRewriter(const NormalizedText& input) : in_(input) {
    out_.text_.reserve(in_.text_.size());
    out_.spans_.reserve(in_.spans_.size() + 8);
  }

  // Input bytes [begin, end) as they are.
  void Keep(size_t begin, size_t end) {
    if (begin >= end) return;
    size_t k = SpanAt(begin);
    while (begin < end) {
      const Span& span = in_.spans_[k];
      const size_t span_end = std::min(end, in_.spans_[k + 1].normalized);
      if (span.changed) {
        PushChanged(span.source, span.source + span.source_length);
      } else {
        PushUnchanged(span.source + (begin - span.normalized), span_end - begin);
      }
      out_.text_.append(in_.text_, begin, span_end - begin);
      begin = span_end;
      ++k;
    }
  }

  // Input bytes [begin, end) as `with`.
  void Replace(size_t begin, size_t end, std::string_view with) {
    PushChanged(SourceStart(begin), SourceEnd(end));
    out_.text_.append(with);
  }

  NormalizedText Finish() && {
    out_.spans_.push_back({out_.text_.size(), in_.spans_.back().source, 0, false});
    return std::move(out_);
  }

 private:
  using Span = NormalizedText::Span;

  // The input span holding byte `offset` (the last starting at or before it).
  size_t SpanAt(size_t offset) const {
    auto it = std::upper_bound(in_.spans_.begin(), in_.spans_.end(), offset,
                               [](size_t off, const Span& s) { return off < s.normalized; });
    return static_cast<size_t>(std::prev(it) - in_.spans_.begin());
  }
  size_t SourceStart(size_t offset) const { return in_.SourceOffset(offset); }
  // As SourceOffset, except that an offset inside a changed stretch maps to
  // the stretch's end: a piece ending there covers the whole stretch.
  size_t SourceEnd(size_t offset) const {
    const Span& span = in_.spans_[SpanAt(offset)];
    if (span.changed && offset > span.normalized) return span.source + span.source_length;
    return in_.SourceOffset(offset);
  }

  void PushUnchanged(size_t source, size_t length) {
    if (!out_.spans_.empty()) {
      Span& last = out_.spans_.back();
      if (!last.changed && last.source + last.source_length == source &&
          last.normalized + last.source_length == out_.text_.size()) {
        last.source_length += length;
        return;
      }
    }
    out_.spans_.push_back({out_.text_.size(), source, length, false});
  }

  // Pieces of one changed input stretch (㍻ → 平成, one of whose characters
  // is folded) stay one changed stretch: its parts have no source of their own.
  void PushChanged(size_t source_begin, size_t source_end) {
    if (!out_.spans_.empty()) {
      Span& last = out_.spans_.back();
      if (last.changed &&
          (source_begin < last.source + last.source_length || source_begin == last.source)) {
        last.source_length = std::max(last.source + last.source_length, source_end) - last.source;
        return;
      }
    }
    out_.spans_.push_back({out_.text_.size(), source_begin, source_end - source_begin, true});
  }

  const NormalizedText& in_;
  NormalizedText out_;
};

namespace {

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

// --- Kana search keys (FoldKana) ---

bool IsHiragana(char32_t c) { return (c >= 0x3041 && c <= 0x3096) || c == 0x309D || c == 0x309E; }
bool IsKatakana(char32_t c) {
  return (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FD || c == 0x30FE || (c >= 0x31F0 && c <= 0x31FF);
}
constexpr char32_t kProlongedMark = 0x30FC;  // ー

// The script a word of kana is in, for where a word ends (FoldKana's ー).
enum class KanaScript { kNone, kHiragana, kKatakana };
KanaScript KanaScriptOf(char32_t c) {
  return IsHiragana(c)   ? KanaScript::kHiragana
         : IsKatakana(c) ? KanaScript::kKatakana
                         : KanaScript::kNone;
}

char32_t ToKatakana(char32_t c) { return IsHiragana(c) ? c + 0x60 : c; }
char32_t ToHiragana(char32_t c) {
  return (c >= 0x30A1 && c <= 0x30F6) || c == 0x30FD || c == 0x30FE ? c - 0x60 : c;
}

// The kana without its voicing mark (ガ → カ, パ → ハ), by its canonical
// decomposition; any other code point as it is.
char32_t Unvoiced(char32_t c) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status) || nfd == nullptr) return c;
  icu::UnicodeString decomposition;
  if (!nfd->getRawDecomposition(static_cast<UChar32>(c), decomposition) ||
      decomposition.countChar32() != 2) {
    return c;
  }
  const UChar32 mark = decomposition.char32At(decomposition.length() - 1);
  if (mark != 0x3099 && mark != 0x309A) return c;
  return static_cast<char32_t>(decomposition.char32At(0));
}

// The voiced kana (カ → ガ, ハ → バ); a kana that has none as it is.
char32_t Voiced(char32_t c) {
  const char32_t base = Unvoiced(c);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || nfc == nullptr) return c;
  const UChar32 voiced = nfc->composePair(static_cast<UChar32>(base), 0x3099);
  return voiced < 0 ? base : static_cast<char32_t>(voiced);
}

// Small katakana as large (ァ → ア, ッ → ツ, ヵ → カ, ㇰ → ク); others as they are.
char32_t LargeKana(char32_t c) {
  static constexpr std::u32string_view kSmall =
      U"ァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ";
  static constexpr std::u32string_view kLarge =
      U"アイウエオツヤユヨワカケクシストヌハヒフヘホムラリルレロ";
  static_assert(kSmall.size() == kLarge.size());
  const size_t at = kSmall.find(c);
  return at == std::u32string_view::npos ? c : kLarge[at];
}

bool IsORowKana(char32_t c) {
  static const std::u32string kORow = U"オコソトノホモヨロゴゾドボポ";
  return kORow.find(c) != std::u32string::npos;
}

// The index of ァ ィ ェ ォ (as katakana) in "ァィェォ", or npos: the small
// vowels that make ヴ, ヅ, ズ and グ one sound with a new vowel.
size_t SmallVowelIndex(char32_t c) {
  static const std::u32string kSmallVowels = U"ァィェォ";
  return kSmallVowels.find(ToKatakana(c));
}

// One piece of FoldKana's output: input bytes [begin, end) became `key`
// (in the script of the input: hiragana folds to hiragana).
struct KanaPiece {
  size_t begin, end;
  std::u32string key;
  bool changed;
};

// FoldKana of UTF-8 `text`, as pieces in order.
std::vector<KanaPiece> FoldKanaPieces(std::string_view text) {
  struct CodePoint {
    char32_t c;
    size_t begin, end;
  };
  std::vector<CodePoint> cps;
  cps.reserve(text.size() / 2);
  ForEachCodePoint(text, [&cps](char32_t c, size_t begin, size_t end) {
    cps.push_back({c, begin, end});
  });

  std::vector<KanaPiece> pieces;
  pieces.reserve(cps.size());
  char32_t plain_before = 0;  // the code point before, iteration marks written out, unfolded
  KanaScript word_script = KanaScript::kNone;  // of the kana word being read
  size_t word_kana = 0;                        // kana of it in the key so far
  // Appends input [begin, end) to the last piece, its key unchanged (a
  // dropped ー belongs to the kana before it, so a match of that kana marks it).
  auto absorb = [&pieces](size_t end) {
    pieces.back().end = end;
    pieces.back().changed = true;
  };
  for (size_t i = 0; i < cps.size(); ++i) {
    const CodePoint& cp = cps[i];
    const KanaScript script = KanaScriptOf(cp.c);

    if (cp.c == kProlongedMark) {
      plain_before = cp.c;
      const bool after_mark = !pieces.empty() && !pieces.back().key.empty() &&
                              pieces.back().key.back() == kProlongedMark;
      size_t next = i + 1;
      while (next < cps.size() && cps[next].c == kProlongedMark) ++next;
      const bool word_ends = next == cps.size() || KanaScriptOf(cps[next].c) != word_script;
      // Three characters before it, a ー inside the word counted (サーバー,
      // ユーザー, メモリー), so that a short word keeps it: カラー is not から
      // (hiragana and katakana being one) nor マター また.
      if (after_mark || (word_script != KanaScript::kNone && word_kana >= 3 && word_ends)) {
        absorb(cp.end);
      } else {
        pieces.push_back({cp.begin, cp.end, {cp.c}, false});
        if (word_script != KanaScript::kNone) ++word_kana;
      }
      continue;
    }

    char32_t c = ToKatakana(cp.c);
    if (c == U'ヽ' || c == U'ヾ') {
      const char32_t before = ToKatakana(plain_before);
      if (IsKatakana(before) && before != U'ヽ' && before != U'ヾ') {
        c = c == U'ヽ' ? Unvoiced(before) : Voiced(before);
      }
    } else if ((c == U'々' || c == U'〻') && plain_before != 0 &&
               (IsKatakana(ToKatakana(plain_before)) ||
                u_hasBinaryProperty(static_cast<UChar32>(plain_before), UCHAR_IDEOGRAPHIC))) {
      c = plain_before;
    }
    plain_before = c;

    size_t end = cp.end;
    const size_t small_vowel =
        i + 1 < cps.size() ? SmallVowelIndex(cps[i + 1].c) : std::u32string::npos;
    auto with_small_vowel = [&](const char32_t* row) {
      if (small_vowel == std::u32string::npos) return false;
      c = row[small_vowel];
      end = cps[++i].end;
      plain_before = cps[i].c;
      return true;
    };
    switch (c) {
      case U'ヴ':
        if (!with_small_vowel(U"バビベボ")) c = U'ブ';
        break;
      case U'ヷ':
        c = U'バ';
        break;
      case U'ヸ':
        c = U'ビ';
        break;
      case U'ヹ':
        c = U'ベ';
        break;
      case U'ヺ':
        c = U'ボ';
        break;
      case U'ヅ':
        if (!with_small_vowel(U"ザジゼゾ")) c = U'ズ';
        break;
      case U'ズ':
        with_small_vowel(U"ザジゼゾ");
        break;
      case U'グ':
        with_small_vowel(U"ガギゲゴ");
        break;
      case U'ヂ':
        c = U'ジ';
        break;
      case U'ヲ':
        c = U'オ';
        break;
      default:
        c = LargeKana(c);
        break;
    }
    if (c == U'オ' && !pieces.empty() && !pieces.back().key.empty() &&
        IsORowKana(ToKatakana(pieces.back().key.back()))) {
      c = U'ウ';
    }
    // The key keeps the script: した解析 is not シタ解析 (KanaSearchTerm).
    if (script == KanaScript::kHiragana) c = ToHiragana(c);

    if (script == KanaScript::kNone) {
      word_script = KanaScript::kNone;
      word_kana = 0;
    } else if (script == word_script) {
      ++word_kana;
    } else {
      word_script = script;
      word_kana = 1;
    }
    pieces.push_back({cp.begin, end, {c}, c != cp.c || end != cp.end});
  }
  return pieces;
}

// Whether UTF-8 `text` may hold kana or an iteration mark (a code point
// from U+3000, lead byte E3): FoldKana leaves other text as it is.
bool MayHoldKana(std::string_view text) { return text.find('\xE3') != std::string_view::npos; }

}  // namespace

size_t NormalizedText::SourceOffset(size_t normalized_offset) const {
  // Last stretch starting at or before the offset.
  auto it = std::upper_bound(spans_.begin(), spans_.end(), normalized_offset,
                             [](size_t off, const Span& s) { return off < s.normalized; });
  if (it == spans_.begin()) return 0;
  const Span& span = *std::prev(it);
  if (span.changed) return span.source;
  return span.source + std::min(normalized_offset - span.normalized, span.source_length);
}

namespace {

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

NormalizedText FoldKana(const NormalizedText& normalized) {
  const std::string& text = normalized.text();
  if (text.empty() || !MayHoldKana(text)) return normalized;
  TextRewriter out(normalized);
  size_t kept_from = 0;
  std::string with;
  for (const KanaPiece& piece : FoldKanaPieces(text)) {
    if (!piece.changed) continue;
    out.Keep(kept_from, piece.begin);
    with.clear();
    for (char32_t c : piece.key) AppendUtf8(c, with);
    out.Replace(piece.begin, piece.end, with);
    kept_from = piece.end;
  }
  out.Keep(kept_from, text.size());
  return std::move(out).Finish();
}

std::string HiraganaAsKatakana(std::string_view text) {
  std::string out(text);
  // Hiragana U+3041–U+3096, U+309D–U+309E are E3 81 81–E3 82 9E; katakana
  // is 0x60 further, also three bytes: the offsets stay.
  for (size_t i = 0; i + 2 < out.size(); ++i) {
    if (static_cast<unsigned char>(out[i]) != 0xE3) continue;
    const unsigned char b1 = static_cast<unsigned char>(out[i + 1]);
    const unsigned char b2 = static_cast<unsigned char>(out[i + 2]);
    const char32_t c = 0x3000 | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
    if (!IsHiragana(c)) continue;
    const char32_t k = c + 0x60;
    out[i + 1] = static_cast<char>(0x80 | ((k >> 6) & 0x3F));
    out[i + 2] = static_cast<char>(0x80 | (k & 0x3F));
    i += 2;
  }
  return out;
}

std::string KanaSearchTerm(std::string_view key) {
  bool all_kana = !key.empty();
  ForEachCodePoint(key, [&all_kana](char32_t c, size_t, size_t) {
    all_kana = all_kana && (KanaScriptOf(c) != KanaScript::kNone || c == kProlongedMark);
  });
  return all_kana ? HiraganaAsKatakana(key) : std::string(key);
}

std::string FoldKanaKey(std::string_view normalized) {
  if (!MayHoldKana(normalized)) return std::string(normalized);
  std::string key;
  key.reserve(normalized.size());
  for (const KanaPiece& piece : FoldKanaPieces(normalized)) {
    for (char32_t c : piece.key) AppendUtf8(c, key);
  }
  return KanaSearchTerm(key);
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

}  // namespace talksearch
