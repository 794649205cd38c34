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

#include <set>
#include <string>

#include "talksearch/analyzer.h"
#include "talksearch/query_parser.h"

namespace talksearch {

enum class DefaultOperator { kAnd, kOr };

// Ranking knobs. The defaults are the values chosen on the judged queries
// (bench/relevance, tests/relevance); see README "Ranking".
struct RankingParams {
  double title_weight = 3.0;
  double speaker_weight = 3.0;
  double panelist_weight = 1.0;
  double affiliation_weight = 1.0;
  double abstract_weight = 1.0;
  double references_weight = 0.3;
  double bigram_weight = 0.5;  // relative to a word match in the same field
  DefaultOperator default_operator = DefaultOperator::kOr;

  double FieldWeight(TextFieldId field) const;
};

struct BuiltQuery {
  Xapian::Query query;
  // Unprefixed terms of the positive clauses, for highlighting.
  std::set<std::string> word_terms;
  std::set<std::string> bigram_terms;
};

// `default_collection` filters when the query names no collection
// ("talks"; empty = everything). Throws QueryError("empty_query") when there
// is nothing to search for.
BuiltQuery BuildQuery(const ParsedQuery& parsed, Analyzer& analyzer,
                      const RankingParams& params,
                      const std::string& default_collection = "talks");

}  // namespace talksearch

#endif  // TALKSEARCH_QUERY_BUILDER_H_
