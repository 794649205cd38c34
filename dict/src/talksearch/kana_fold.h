// Kana search keys: the spellings of one word in kana (ファイル = フアイル =
// ふぁいる, サーバー = サーバ, ねこ = ネコ) folded to one, for the index's terms
// and the query's alike. MeCab still reads the normalized text, whose
// spelling it knows; these keys are for matching only.
//
// Thread-safety: all functions are safe to call from any thread.
#ifndef TALKSEARCH_KANA_FOLD_H_
#define TALKSEARCH_KANA_FOLD_H_

#include <string>
#include <string_view>

#include "talksearch/normalized_text.h"

namespace talksearch {

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

// Hiragana, U+3041–U+3096 and the iteration marks ゝ ゞ (the kana
// FoldKana reads as hiragana).
inline bool IsHiragana(char32_t c) {
  return (c >= 0x3041 && c <= 0x3096) || c == 0x309D || c == 0x309E;
}

// A term of kana alone in one script (ー allowed), spelled in the other
// script (にせ ↔ ニセ); empty for any other term. Character bigrams of
// hiragana keep their script (Analyzer), so a query's kana bigrams also ask
// for this spelling: にせもの finds ニセモノ and the other way round.
std::string KanaTermInOtherScript(std::string_view term);

// `text` with every hiragana as its katakana; byte offsets stay (both are
// three bytes in UTF-8), so it can stand for `text` when matching.
std::string HiraganaAsKatakana(std::string_view text);

}  // namespace talksearch

#endif  // TALKSEARCH_KANA_FOLD_H_
