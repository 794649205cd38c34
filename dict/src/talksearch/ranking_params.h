// The ranking knobs every search ranks by: the weight of each field and
// kind of term and BM25's parameters. In dict/ so that both the query
// builder (query/) and the static bundle exporter (indexer/, which writes
// them into the bundle's meta.json for the browser's ranking) read the one
// definition. Plain values: safe to copy and read from any thread.
#ifndef TALKSEARCH_RANKING_PARAMS_H_
#define TALKSEARCH_RANKING_PARAMS_H_

#include "talksearch/schema.h"

namespace talksearch {

// How the words of a query combine. kOr: any word matches, BM25 ranks; kAnd:
// every word must match; kSoftAnd: any word matches, but a talk matching
// every word scores its match twice (OR of AND and OR), so it ranks above
// talks that match some words with a high score.
enum class DefaultOperator { kAnd, kOr, kSoftAnd };

// Ranking knobs. The defaults are the values chosen on the judged queries
// (bench/relevance, tests/relevance); see docs/design.md, "Ranking".
struct RankingParams {
  double title_weight = 2.0;
  double speaker_weight = 3.0;
  double panelist_weight = 1.0;
  double affiliation_weight = 1.0;
  double abstract_weight = 1.0;
  double references_weight = 0.3;
  double bigram_weight = 0.35;  // relative to a word match in the same field
  // A glossary concept in any of its forms (its concept term, see
  // ConceptMatcher), relative to the typed words: a talk is about a concept
  // whichever language or spelling it uses, and the typed words break ties.
  // Chosen on the judged sets (nDCG@10 own / shared) with the two weights
  // below: 4 → 0.953 / 0.972, 6 → 0.956 / 0.970, 3 → 0.950 / 0.972.
  double glossary_weight = 6.0;
  // Talks naming a concept narrower than a typed one (glossary "> "
  // relations, two links deep), relative to the typed words.
  double narrower_weight = 1.5;
  // Talks naming a concept related to a typed one (glossary "~ " relations),
  // relative to the typed words.
  double related_weight = 1.0;
  // Reading bigrams, used when a word is typed in kana or a name in romaji.
  double reading_weight = 0.5;
  // An optional word of a typed sentence (a verb: 解く, 見分ける; see
  // SplitNaturalClauses), relative to the other words.
  double optional_word_weight = 0.5;
  DefaultOperator default_operator = DefaultOperator::kSoftAnd;
  // kSoftAnd: the extra score of a talk matching every word, relative to
  // its score for the words.
  double all_words_weight = 2.0;
  // kSoftAnd: rank the any-word and every-word parts separately and merge
  // them (EveryWordFirst, soft_and_ranking.h); false: one query, as Xapian
  // ranks it.
  bool soft_and_in_two_parts = true;
  // Xapian BM25Weight: k1 (term-frequency saturation) and b (document-length
  // normalisation).
  double bm25_k1 = 1.0;
  double bm25_b = 0.2;

  double FieldWeight(TextFieldId field) const;
};

}  // namespace talksearch

#endif  // TALKSEARCH_RANKING_PARAMS_H_
