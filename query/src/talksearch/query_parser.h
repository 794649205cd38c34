// Parsing what users type into a search box.
//
//   拡散モデル 経路積分        two words (combined with the default operator)
//   "neural network"          a phrase
//   -画像                      exclude talks matching a word or phrase
//   PINN OR 物理情報           either word (OR binds tighter than the default)
//   title:…  speaker:…  affiliation:…  abstract:…   restrict a word to a field
//   year:2023  series:dlap  lang:ja  collection:papers   filters (repeat = any)
//
// Japanese is not split here: each word or phrase is handed whole to the
// shared Analyzer when the Xapian query is built. Unknown "name:" prefixes
// are ordinary text (arXiv:2307.00721). Full-width spaces, quotes and colons
// are accepted.
#ifndef TALKSEARCH_QUERY_PARSER_H_
#define TALKSEARCH_QUERY_PARSER_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "talksearch/query_error.h"
#include "talksearch/schema.h"

namespace talksearch {

struct TextClause {
  std::string text;
  bool is_phrase = false;             // came from "…"
  std::optional<TextFieldId> field;   // all text fields when empty
  // Where `text` is in the input (bytes [begin, end)), for did-you-mean to
  // correct it there and not where the same text occurs first.
  size_t begin = 0, end = 0;
  // A word the query can do without (a verb of a typed sentence; see
  // SplitNaturalClauses): it adds to a talk's score, but a talk without it
  // still matches every word of the query.
  bool optional = false;
  // A function or question word of an English sentence (of, how, the): it
  // counts only as part of a glossary form (University of Tokyo), else not
  // at all (see SplitNaturalClauses).
  bool scaffolding = false;
};

struct ParsedQuery {
  // Positive clauses: each inner vector is an OR-group; groups are combined
  // with the searcher's default operator.
  std::vector<std::vector<TextClause>> groups;
  std::vector<TextClause> excluded;
  // Boolean filter terms by prefix: values of one prefix are OR-ed, prefixes
  // AND-ed. Holds full terms ("Y2023").
  std::map<std::string, std::vector<std::string>> filters;
  std::vector<std::string> excluded_filters;  // full terms
  bool all_collections = false;                // collection:all
  // Without words, list every talk the filters (and the default collection)
  // select, even when there are no filters (the searcher's facet counts).
  bool list_without_words = false;
};

// At most this many words, phrases and filters in one query: bounds the work
// one request can cause (each word fans out over fields, forms and glossary).
inline constexpr size_t kMaxQueryClauses = 32;

// Throws QueryError("bad_query", …) for an unbalanced quote, a malformed
// filter value (year:abc, lang:xx) or more than kMaxQueryClauses items.
ParsedQuery ParseQuery(std::string_view input);

}  // namespace talksearch

#endif  // TALKSEARCH_QUERY_PARSER_H_
