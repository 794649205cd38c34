// Corrections of typed words the index cannot find: typos and kanji
// input-method errors.
//
// A word is corrected only when it finds nothing — none of its word terms,
// nor all of its character bigrams, is in the index — and is no glossary
// form nor a romaji name the speakers' readings have. Then:
//   - English and katakana words: the index's closest word (Xapian's
//     spelling table, built from titles and abstracts): difusion →
//     diffusion, シュヴィンガー → シュウィンガー. At most one edit for words
//     of up to five characters, two for longer ones.
//   - Text with kanji: a glossary form read the same (経路績分 → 経路積分,
//     強化学修 → 強化学習, 量子リザーバー計算 → 量子リザバー計算), for the
//     whole word or, failing that, the longest run of its MeCab words that
//     holds the word the index lacks (非平衡臨海現象 → 非平衡臨界現象). A
//     reading two concepts share is no correction. A word MeCab cannot
//     read (績分) is matched to the one glossary form that differs from it
//     in one kanji. Failing the glossary, a word of the talks' titles and
//     abstracts read the same (the indexer keeps them by reading), the one
//     most talks have.
#ifndef TALKSEARCH_CORRECTOR_H_
#define TALKSEARCH_CORRECTOR_H_

#include <xapian.h>

#include <set>
#include <string>
#include <vector>

#include "talksearch/analyzer.h"
#include "talksearch/glossary.h"
#include "talksearch/query_builder.h"
#include "talksearch/query_parser.h"

namespace talksearch {

struct WordCorrection {
  size_t begin = 0, end = 0;  // the typed word, in the query
  std::string from, to;
  std::string kind;  // "spelling" or "reading"
};

class QueryCorrector {
 public:
  // `index_has` tells whether the index has a term (a cached lookup).
  QueryCorrector(Xapian::Database& db, Analyzer& analyzer, const Glossary* glossary,
                 TermFilter index_has)
      : db_(db), analyzer_(analyzer), glossary_(glossary), index_has_(std::move(index_has)) {}

  // The corrections of `parsed`'s positive words, in query order, but for
  // `glossary_words` (BuiltQuery::glossary_words: "black" of "black hole"
  // is no typo though the index has only ブラックホール).
  std::vector<WordCorrection> Corrections(const ParsedQuery& parsed,
                                          const std::set<std::string>& glossary_words);

  // Replaces each corrected word in `parsed` by its correction.
  static void Apply(const std::vector<WordCorrection>& corrections, ParsedQuery& parsed);
  // `query` with each corrected word replaced.
  static std::string Corrected(const std::string& query,
                               const std::vector<WordCorrection>& corrections);

 private:
  // Whether the index can find `text` at all: all its word terms in some
  // field, or all its bigrams in some field.
  bool Findable(const std::string& text);
  bool IsGlossaryForm(const std::string& text);
  // Whether a Latin word reads as (part of) a speaker's name.
  bool IsRomajiName(const std::string& text);
  std::string SpellingCorrection(const std::string& normalized_word);
  std::string ReadingCorrection(const std::string& text);
  // The one glossary form differing from `text` in one kanji, if just one.
  std::string FormOneKanjiAway(const std::string& text);
  // The indexed word read as `text` is read (the indexer's reading table in
  // Xapian's synonyms, kReadingSynonymPrefix), the one most talks have.
  std::string IndexedWordReadAs(const std::string& text);

  Xapian::Database& db_;
  Analyzer& analyzer_;
  const Glossary* glossary_;
  TermFilter index_has_;
};

}  // namespace talksearch

#endif  // TALKSEARCH_CORRECTOR_H_
