#include "talksearch/kana_fold.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <string>
#include <vector>

#include "talksearch/code_points.h"

namespace talksearch {
namespace {

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

std::string KanaTermInOtherScript(std::string_view term) {
  bool hiragana = false, katakana = false, other = false;
  std::string out;
  ForEachCodePoint(term, [&](char32_t c, size_t, size_t) {
    if (c == kProlongedMark) {
      AppendUtf8(c, out);
    } else if (IsHiragana(c)) {
      hiragana = true;
      AppendUtf8(ToKatakana(c), out);
    } else if (IsKatakana(c) && ToHiragana(c) != c) {
      katakana = true;
      AppendUtf8(ToHiragana(c), out);
    } else {
      other = true;
    }
  });
  if (other || hiragana == katakana) return {};
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

}  // namespace talksearch
