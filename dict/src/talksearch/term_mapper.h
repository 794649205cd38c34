// How analysed tokens become Xapian terms, field by field: the one rule the
// indexer writes a talk's text with and the query builder looks a query's
// words up by, so that a word typed finds exactly the terms the indexer
// made of the same word in a talk. Which prefix each field and kind of term
// has is schema.h; what the tokens are is the Analyzer.
//
// Free functions of immutable tables: safe from any thread (NameReadings
// uses the caller's Analyzer, which is not).
#ifndef TALKSEARCH_TERM_MAPPER_H_
#define TALKSEARCH_TERM_MAPPER_H_

#include <string>
#include <string_view>
#include <vector>

#include "talksearch/analyzer.h"
#include "talksearch/glossary.h"
#include "talksearch/schema.h"

namespace talksearch {

// How a field's text is analysed: a person name's CJK bigrams run across
// the space between family and given name (三角 樹弘 is also 三角樹弘).
AnalyzeOptions FieldAnalyzeOptions(const TextField& field);

// Whether `field` has terms of tokens of `kind`: reading bigrams only in the
// fields with has_readings (titles and names); words, subwords and bigrams
// in every field.
bool FieldHasTermsOf(const TextField& field, TermKind kind);

// The term of a token of `kind` in `field`: the field's prefix for the kind
// and the token's text. Subwords are stored as words.
std::string FieldTerm(const TextField& field, TermKind kind, std::string_view text);
inline std::string FieldTerm(const TextField& field, const Token& token) {
  return FieldTerm(field, token.kind, token.term);
}

// Word terms are stored with positions, for phrases, unless they hold a CJK
// character or are English function words. A Japanese word's neighbours are
// checked by the CJK bigrams instead, which span the joins between words
// (拡散|モデル has 散モ); its positions were over half of the position table
// (54% of its entries at 100,000 talks). A function word in a quoted phrase
// must be in the talk, and the phrase's other words stand within the span
// they have in the query ("physics of learning": physics, then learning two
// positions on): their positions were 18% of the position table at 100,000
// talks.
bool WordKeepsPositions(std::string_view term);

// Whether `token`'s term carries its position: a word's (or subword's) that
// WordKeepsPositions. Bigrams and readings never do (they are matched as
// sets, not phrases).
bool TokenKeepsPosition(const Token& token);

// The reading bigrams a name written in Latin script is also found by, its
// romaji read as katakana ("Koji Hashimoto": コウジ ハシモト), so that it
// matches a name written in Japanese and a name typed in romaji matches
// it; empty for text in any other script. Uses `analyzer` (not
// thread-safe).
std::vector<Token> NameReadings(std::string_view text, Analyzer& analyzer);

// What a concept term marks: the concept itself, or (titles and abstracts)
// that a concept narrower than it or related to it is named (see
// ConceptMatcher).
enum class ConceptLink { kSelf, kNarrower, kRelated };

// The prefix of `field`'s concept terms of `link`; empty when the field has
// none.
std::string_view ConceptPrefix(const TextField& field, ConceptLink link);

// The term of `concept` of `glossary` in `field`, for `link`; empty when the
// field has no such terms.
std::string ConceptTerm(const TextField& field, ConceptLink link, const Glossary& glossary,
                        size_t concept);

}  // namespace talksearch

#endif  // TALKSEARCH_TERM_MAPPER_H_
