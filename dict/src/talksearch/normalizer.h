// Unicode normalization shared by indexing and querying.
//
// Text is normalized with ICU's NFKC_Casefold (full-width ＰＩＮＮ -> pinn,
// the Kangxi radical ⽤ -> 用, half-width ｶﾀｶﾅ -> カタカナ, case folded),
// Latin letters lose their accents (ö -> o), and dashes and middle dots
// written several ways become one (コ-ヒ- -> コーヒー, Runge‐Kutta ->
// runge-kutta, アラン·チューリング -> アラン・チューリング).
// Search keys fold kana spellings further (kana_fold.h); MeCab still reads
// the normalized text, whose spelling it knows. Both keep a map back to the
// original byte offsets (normalized_text.h) so that tokens found in them can
// be highlighted in the original. This header also brings the UTF-8 and
// code point helpers (code_points.h) that callers of these use with them.
//
// Thread-safety: all functions are safe to call from any thread.
#ifndef TALKSEARCH_NORMALIZER_H_
#define TALKSEARCH_NORMALIZER_H_

#include <string>
#include <string_view>

#include "talksearch/code_points.h"
#include "talksearch/kana_fold.h"
#include "talksearch/normalized_text.h"

namespace talksearch {

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

}  // namespace talksearch

#endif  // TALKSEARCH_NORMALIZER_H_
