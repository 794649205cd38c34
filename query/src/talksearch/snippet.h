// Keyword-in-context excerpts with highlighted matches.
#ifndef TALKSEARCH_SNIPPET_H_
#define TALKSEARCH_SNIPPET_H_

#include <xapian.h>

#include <bitset>
#include <set>
#include <string>
#include <unordered_map>

#include <vector>

#include "talksearch/normalizer.h"

namespace talksearch {

// Marks a query's words in text: keyword-in-context excerpts and whole
// fields (titles, names) with highlighted matches.
//
// Matches are found by plain search in the text's search key form
// (NormalizeForSearch: NFKC, case folded, kana spellings folded as terms
// are, mapped back to the source; hiragana compared as katakana), not by
// analysing it: MeCab over every
// hit's abstract would be a quarter of a search. An English word term (a stem)
// marks the whole words it starts ("diffus" → "diffusion") or that stem
// to it ("theori": "theory", "theories"); a Japanese
// word (at least two characters) or a bigram run (joined: 拡散モデル) marks
// wherever it occurs, so a stray shared character pair is never marked.
// Built once per search from the query's terms, then used for every hit:
// the needles are grouped by their first character, so a text is read once
// however many forms a widened query highlights.
class Highlighter {
 public:
  // `phrase_forms`: texts of several words (glossary forms such as
  // "physics-informed neural networks", Hopfield模型) marked only where all
  // their words occur in order, never word by word: "Physics" of Nature
  // Physics is not a match for a neural network.
  Highlighter(const std::set<std::string>& word_terms,
              const std::set<std::vector<std::string>>& bigram_runs,
              const std::set<std::string>& phrase_forms = {});

  // About `max_chars` characters of `text` around its densest cluster of
  // matches, HTML-escaped, each match wrapped once in <mark>…</mark>
  // (touching matches, or matches apart by spaces only, merge into one mark:
  // 橋本 幸士). "…" marks a cut, made where a word starts or ends (a change
  // of script, a space or punctuation) and never inside a mark. Without any
  // match, the beginning of the text.
  std::string Snippet(const std::string& text, size_t max_chars = 120) const;
  // The same, for `text` already normalized (`normalized` is
  // NormalizeForSearch(text); Normalize(text) would miss folded kana
  // spellings): a searcher keeps its hits' normalized texts, since
  // normalizing every hit's fields again would be a quarter of the highlighting.
  std::string Snippet(const std::string& text, const NormalizedText& normalized,
                      size_t max_chars = 120) const;

 private:
  struct Needle {
    std::string text;
    bool latin;  // marks from a word's start to its end
  };
  struct Span {
    size_t begin, end;
  };
  // A phrase form's words, in order: a Latin word as its stem, any other
  // (CJK) word as its normalized text with hiragana as katakana.
  struct Phrase {
    std::vector<std::string> words;
    std::vector<bool> latin;
  };
  void AddPhrase(const Phrase& phrase);
  std::vector<Span> FindMarks(const NormalizedText& normalized) const;
  void FindPhrases(const std::string& norm, const NormalizedText& normalized,
                   std::vector<Span>& spans) const;

  std::vector<Phrase> phrases_;
  std::unordered_map<char32_t, std::vector<size_t>> phrases_by_start_;  // by first code point
  std::bitset<4096> phrase_may_start_;  // as may_start_, for phrases

  std::unordered_map<char32_t, std::vector<Needle>> needles_;  // by first code point
  // The analyzer's English stemmer: a Latin needle (a stem) also marks a
  // word it does not begin but that stems to it (theori: "theory").
  Xapian::Stem stemmer_{"english"};
  // Which first code points (mod 4096) any needle has: most characters of a
  // text start none, and a bit test is cheaper than a hash lookup.
  std::bitset<4096> may_start_;
};

// Highlighter(word_terms, bigram_runs).Snippet(text, max_chars).
std::string MakeSnippet(const std::string& text,
                        const std::set<std::string>& word_terms,
                        const std::set<std::vector<std::string>>& bigram_runs,
                        size_t max_chars = 120);

std::string HtmlEscape(std::string_view text);

}  // namespace talksearch

#endif  // TALKSEARCH_SNIPPET_H_
