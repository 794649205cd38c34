// Turning a ParsedQuery into a Xapian::Query with the shared Analyzer.
//
// Each word or phrase is analysed exactly as the indexer analysed the text;
// for every text field it matches as a word phrase (MeCab words in order) OR
// as a CJK-bigram phrase (so a word inside a compound is still found), the
// bigram part down-weighted so whole-word matches rank first. Fields are
// weighted with OP_SCALE_WEIGHT; filters are OP_FILTER on boolean terms.
#ifndef TALKSEARCH_QUERY_BUILDER_H_
#define TALKSEARCH_QUERY_BUILDER_H_

#include <xapian.h>

#include <functional>
#include <map>
#include <set>
#include <string>

#include "talksearch/analyzer.h"
#include "talksearch/glossary.h"
#include "talksearch/query_parser.h"
#include "talksearch/ranking_params.h"

namespace talksearch {

struct BuiltQuery {
  Xapian::Query query;
  // kSoftAnd with several words, `query` in two parts: the talks with any
  // word, and those with every word. A talk's score under `query` is its
  // score under `any_word_query`, times 1 + all_words_weight when it
  // matches `every_word_query` (where it scores the same), so a searcher
  // can take the best of each and merge them (EveryWordFirst,
  // soft_and_ranking.h). Empty otherwise.
  Xapian::Query any_word_query;
  Xapian::Query every_word_query;
  // The words every_word_query asks for (optional words are not among
  // them), each as its query before filters and as typed, so a searcher can
  // ask for fewer of them (relaxation) with `restrict`.
  struct RequiredWord {
    Xapian::Query query;
    std::string text;
  };
  std::vector<RequiredWord> required_words;
  // Wraps a query of words in the query's exclusions and filters.
  std::function<Xapian::Query(Xapian::Query)> restrict;
  // What the positive clauses look for, for highlighting: single words, and
  // runs of consecutive CJK bigrams (one per typed Japanese word).
  std::set<std::string> word_terms;
  std::set<std::vector<std::string>> bigram_runs;
  // Glossary forms of several words the query reaches, marked only whole
  // (Highlighter's phrase_forms).
  std::set<std::string> phrase_forms;
  // The reading bigrams of words typed in kana or romaji (はしもとこうじ,
  // Misumi), unprefixed: a name whose words read so is marked too.
  std::set<std::string> reading_bigrams;
  // How each query term came about, for "matched_via": word, phrase,
  // bigram, reading, name, glossary, related (the first way a term was
  // added wins).
  std::map<std::string, std::string> term_via;
  // What each labelled term stands for, for "matched_terms": the text typed
  // (a word, phrase or name: what its word, bigram and reading terms came
  // from), or the glossary concept whose term it is (glossary and related
  // terms; form empty). The first origin of a term wins, as in term_via.
  struct TermOrigin {
    std::string form;
    size_t concept = static_cast<size_t>(-1);
  };
  std::map<std::string, TermOrigin> term_origin;
  // Typed words that are (part of) a glossary form: real words, never
  // "corrected" by did-you-mean (ニュートリノ is not a typo of ニュートン).
  std::set<std::string> glossary_words;
};

// Whether the index has a term; lets BuildQuery leave out forms that cannot
// match. Empty: every form is kept.
using TermFilter = std::function<bool(const std::string& term)>;

// `glossary` (may be null) widens words and runs of words that are a
// concept's form. `default_collection` filters when the query names no
// collection (empty = everything). Throws QueryError("empty_query")
// when there is nothing to search for.
BuiltQuery BuildQuery(const ParsedQuery& parsed, Analyzer& analyzer,
                      const RankingParams& params, const Glossary* glossary = nullptr,
                      const std::string& default_collection = std::string(kDefaultCollection),
                      const TermFilter& index_has = {});

}  // namespace talksearch

#endif  // TALKSEARCH_QUERY_BUILDER_H_
