// A talk as a Xapian document: the terms of its text fields (through
// term_mapper.h), its filter terms and facet slot (schema.h), its date and
// content hash, and the talk itself as document data. What IndexWriter
// writes; also usable alone (tests, a caller building its own database).
//
// Free functions: safe from any thread as long as each thread passes its
// own Analyzer (which is not thread-safe); a ConceptMatcher and a
// StoredTalkCodec may be shared.
#ifndef TALKSEARCH_DOCUMENT_BUILDER_H_
#define TALKSEARCH_DOCUMENT_BUILDER_H_

#include <xapian.h>

#include <map>
#include <set>
#include <string>
#include <utility>

#include "talksearch/analyzer.h"
#include "talksearch/glossary.h"
#include "talksearch/stored_talk.h"
#include "talksearch/talk.h"

namespace talksearch {

// Word -> count, for Xapian's spelling table ("did you mean").
using SpellingWordCounts = std::map<std::string, Xapian::termcount>;
// (kReadingSynonymPrefix + reading, word): the Japanese words (with a kanji,
// two characters or more) of titles and abstracts by their reading, for
// Xapian's synonym table, where a query's kanji input-method error finds
// the word meant (QueryCorrector).
using ReadingWords = std::set<std::pair<std::string, std::string>>;

// The Xapian document for `talk`: prefixed word and bigram terms with
// positions for each text field (see schema.h), boolean filter terms, the
// date and content-hash values, and the talk as document data (`codec`'s
// encoding; plain JSON without one). When `spelling_words` is given, the
// English and katakana words of the title and abstract are counted into it
// from the same analysis. With `concepts`, the glossary concepts of titles,
// abstracts and references are marked by concept terms (see ConceptMatcher).
// Throws std::invalid_argument for a talk whose id is empty or too long
// for a Xapian term, and nlohmann::json's exceptions for a talk JSON cannot
// hold (invalid UTF-8).
Xapian::Document BuildDocument(const Talk& talk, Analyzer& analyzer,
                               SpellingWordCounts* spelling_words = nullptr,
                               const ConceptMatcher* concepts = nullptr,
                               const StoredTalkCodec* codec = nullptr,
                               ReadingWords* reading_words = nullptr);

// The spelling words BuildDocument counts for `talk`, for taking back
// those of a stored talk when it is replaced or removed.
SpellingWordCounts SpellingWords(const Talk& talk, Analyzer& analyzer);

// What a talk's document depends on besides the talk: the analysis and the
// glossary whose concepts it marks (`concepts` may be null). A talk is
// rebuilt when either changes.
std::string IndexFingerprint(Analyzer& analyzer, const ConceptMatcher* concepts);
// The glossary part of IndexFingerprint, stored as the database's
// kGlossaryMetadataKey.
std::string GlossaryDigest(const ConceptMatcher* concepts);

// Stable 64-bit hash of everything indexed for `talk` under the analysis
// `fingerprint`, as 16 hex digits. Throws as BuildDocument for a talk JSON
// cannot hold.
std::string ContentHash(const Talk& talk, const std::string& fingerprint);

}  // namespace talksearch

#endif  // TALKSEARCH_DOCUMENT_BUILDER_H_
