// The one table of how talks are laid out in Xapian: term prefixes, which
// fields are text (analyzed) and with what weight they are searched, which
// are boolean filters, and the value slots. Indexer, query parser, snippets
// and facets all read it; no other file spells a prefix.
#ifndef TALKSEARCH_SCHEMA_H_
#define TALKSEARCH_SCHEMA_H_

#include <algorithm>
#include <array>
#include <string_view>

#include <xapian.h>

#include "talksearch/normalizer.h"

namespace talksearch {

enum class TextFieldId { kTitle, kSpeaker, kPanelist, kAffiliation, kAbstract, kReferences };

struct TextField {
  TextFieldId id;
  std::string_view name;           // as used in queries: "title:"
  std::string_view word_prefix;    // prefix of word terms
  std::string_view bigram_prefix;  // prefix of CJK bigram terms
  std::string_view reading_prefix;  // prefix of katakana reading bigrams
  bool is_person_name;             // bigrams run across spaces (三角 樹弘);
                                   // romaji queries match the reading
  // Whether the field's reading bigrams are indexed (and queried). Only
  // titles and names: abstracts' readings were a third of the index, and
  // kana typed for an abstract's domain word reaches it through the
  // glossary's readings instead (measured: nDCG@10 unchanged to 0.001;
  // index 31% smaller, indexing 37% faster on 10,000 generated talks).
  bool has_readings;
  // Prefix of the field's glossary concept terms (see ConceptMatcher), or
  // empty: concepts are topics, marked in titles, abstracts and references.
  std::string_view concept_prefix;
  // Prefixes of the terms that mark, in titles and abstracts only, the
  // concepts broader than (within two links) or related to a concept the
  // field names: a query for 生成モデル finds a VAE talk by one term.
  std::string_view narrower_prefix;
  std::string_view related_prefix;
};

// Unprefixed terms are the abstract's words (Omega's convention for body text).
inline constexpr std::array<TextField, 6> kTextFields = {{
    {TextFieldId::kTitle, "title", "S", "XSB", "XSR", false, true, "XSK", "XSKN", "XSKR"},
    {TextFieldId::kSpeaker, "speaker", "A", "XAB", "XAR", true, true, "", "", ""},
    {TextFieldId::kPanelist, "panelist", "XPAN", "XPANB", "XPANR", true, true, "", "", ""},
    {TextFieldId::kAffiliation, "affiliation", "XAFF", "XAFFB", "XAFFR", false, false, "XAFFK", "",
     ""},
    {TextFieldId::kAbstract, "abstract", "", "XB", "XR", false, false, "XK", "XKN", "XKR"},
    {TextFieldId::kReferences, "references", "XREF", "XREFB", "XREFR", false, false, "XREFK", "",
     ""},
}};

inline const TextField& GetTextField(TextFieldId id) {
  return kTextFields[static_cast<size_t>(id)];
}

// The prefix of `field`'s terms of one kind (word, bigram, reading).
// Subwords (kind 3) are stored as words.
inline std::string_view PrefixFor(const TextField& field, int kind_index) {
  return kind_index == 1 ? field.bigram_prefix
                         : kind_index == 2 ? field.reading_prefix : field.word_prefix;
}

// English function words (articles, prepositions, conjunctions, pronouns,
// auxiliaries), as the Porter2 stemmer leaves them. They are 30% of the
// English words of the abstracts; see WordKeepsPositions.
inline bool IsEnglishFunctionWord(std::string_view term) {
  static constexpr std::array<std::string_view, 56> kWords = {
      "a",    "about", "an",   "and",  "are",   "as",   "at",    "be",    "been",  "both",
      "but",  "by",    "can",  "could", "do",   "for",  "from",  "had",   "has",   "have",
      "he",   "her",   "his",  "i",    "if",    "in",   "into",  "is",    "it",    "may",
      "not",  "of",    "on",   "or",   "our",   "she",  "should", "so",   "than",  "that",
      "the",  "their", "them", "these", "they", "this", "those", "to",    "us",    "was",
      "we",   "were",  "which", "will", "with",  "would"};
  static_assert([] {  // binary_search needs them in order
    for (size_t i = 1; i < kWords.size(); ++i) {
      if (!(kWords[i - 1] < kWords[i])) return false;
    }
    return true;
  }());
  return std::binary_search(kWords.begin(), kWords.end(), term);
}

// Word terms are stored with positions, for phrases, unless they hold a CJK
// character or are English function words. A Japanese word's neighbours are
// checked by the CJK bigrams instead, which span the joins between words
// (拡散|モデル has 散モ); its positions were over half of the position table
// (54% of its entries at 100,000 talks). A function word in a quoted phrase
// must be in the talk, and the phrase's other words stand within the span
// they have in the query ("physics of learning": physics, then learning two
// positions on): their positions were 18% of the position table at 100,000
// talks. Bigrams and readings never take positions.
inline bool WordKeepsPositions(std::string_view term) {
  if (IsEnglishFunctionWord(term)) return false;
  bool cjk = false;
  ForEachCodePoint(term, [&](char32_t c, size_t, size_t) { cjk = cjk || IsCjkCodePoint(c); });
  return !cjk;
}

// Boolean terms (filters). Values are lowercase ASCII or digits.
inline constexpr std::string_view kIdPrefix = "Q";          // unique id
inline constexpr std::string_view kYearPrefix = "Y";        // 2023
inline constexpr std::string_view kLanguagePrefix = "L";    // ja, en
inline constexpr std::string_view kSeriesPrefix = "XSERIES";  // dlap, mlphys
inline constexpr std::string_view kCollectionPrefix = "XCOLL";  // talks, papers
inline constexpr std::string_view kSpeakerFilterPrefix = "XSPK";  // SpeakerKey(name)
// Key in Xapian's synonym table of the Japanese words of titles and
// abstracts read as a folded katakana reading (Analyzer::WordReading): a
// word typed with the wrong kanji of the same reading finds the word meant.
inline constexpr std::string_view kReadingSynonymPrefix = "XRDG";

// Value slots.
inline constexpr Xapian::valueno kDateSlot = 0;         // "YYYY-MM-DD", sorts
inline constexpr Xapian::valueno kContentHashSlot = 1;  // for incremental reindex
// Every facet of a talk in one slot, so counting facets over the matches
// reads one value per talk, not five (measured: 5.3 ms of an 8.4 ms search
// on 100,000 talks went to five spies): the facets in FacetField order,
// separated by kFacetFieldSeparator; several values of one facet (a talk's
// series, speakers) separated by kFacetSeparator.
inline constexpr Xapian::valueno kFacetsSlot = 2;
enum class FacetField { kYear, kLanguage, kSeries, kSpeaker, kCollection };
inline constexpr size_t kFacetFieldCount = 5;
inline constexpr char kFacetFieldSeparator = '\x1e';
inline constexpr char kFacetSeparator = '\x1f';

// Database metadata keys.
inline constexpr std::string_view kAnalysisMetadataKey = "talksearch.analysis";
inline constexpr std::string_view kSchemaMetadataKey = "talksearch.schema";
// Glossary::digest() of the glossary whose concepts the index marks.
inline constexpr std::string_view kGlossaryMetadataKey = "talksearch.glossary";
// The zstd dictionary the stored talks are compressed with (see
// StoredTalkCodec); absent when the index has too few talks to train one.
inline constexpr std::string_view kStoredTalkDictionaryKey = "talksearch.stored_talk_dictionary";
// 11: stored talks compressed with the index's zstd dictionary.
inline constexpr std::string_view kSchemaVersion = "11";

}  // namespace talksearch

#endif  // TALKSEARCH_SCHEMA_H_
