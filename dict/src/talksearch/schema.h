// The one table of how talks are laid out in Xapian: term prefixes, which
// fields are text (analyzed), which are boolean filters (how a query and the
// API name them, what their values may be), the value slots and how the
// facet slot is encoded. Indexer, query parser, searcher, snippets and
// facets all read it; no other file spells a prefix. How a text field's
// tokens become terms is term_mapper.h.
#ifndef TALKSEARCH_SCHEMA_H_
#define TALKSEARCH_SCHEMA_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace talksearch {

struct Talk;

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

// Boolean terms (filters). Values are lowercase ASCII or digits.
inline constexpr std::string_view kIdPrefix = "Q";          // unique id
inline constexpr std::string_view kYearPrefix = "Y";        // 2023
inline constexpr std::string_view kLanguagePrefix = "L";    // ja, en
inline constexpr std::string_view kSeriesPrefix = "XSERIES";  // dlap, mlphys
inline constexpr std::string_view kCollectionPrefix = "XCOLL";  // talks, papers
inline constexpr std::string_view kSpeakerFilterPrefix = "XSPK";  // SpeakerKey(name)

// The unique term of the talk with `id` (replace_document and lookups by id).
inline std::string IdTerm(std::string_view id) { return std::string(kIdPrefix).append(id); }

// The collection of a talk whose source names none, and the one a search
// looks in when the query names none.
inline constexpr std::string_view kDefaultCollection = "talks";
// The filter term of kDefaultCollection.
inline std::string DefaultCollectionTerm() {
  return std::string(kCollectionPrefix) + std::string(kDefaultCollection);
}
// collection:all (collection=all): every collection, lifting the default.
inline constexpr std::string_view kAllCollections = "all";

// The facets of the facet slot (kFacetsSlot), in the slot's order.
enum class FacetField { kYear, kLanguage, kSeries, kSpeaker, kCollection };
inline constexpr size_t kFacetFieldCount = 5;

// What a filter's values may be.
enum class FilterValueKind {
  kYear,        // four digits
  kLanguage,    // ja or en
  kLabel,       // ASCII letters, digits, '-' and '_' (series, collection)
  kPersonName,  // any text; the filter term holds its SpeakerKey
};

// A boolean filter: its names, term prefix and values, and the facet that
// counts its values over the matches.
struct FilterField {
  // In a query (year:2023) and as an API parameter (year=2023).
  std::string_view name;
  // The API's facet of its values; a query may name the filter so too
  // (language:ja).
  std::string_view facet_name;
  std::string_view prefix;
  FilterValueKind kind;
  FacetField facet;
  // Why a value is refused, in a query and as an API parameter; {} stands
  // for the value as typed.
  std::string_view query_error;
  std::string_view parameter_error;
};

// In the order the API reads its parameters.
inline constexpr std::array<FilterField, 5> kFilterFields = {{
    {"year", "year", kYearPrefix, FilterValueKind::kYear, FacetField::kYear,
     "year: wants a four-digit year, got \"{}\"", "year must be four digits, got \"{}\""},
    {"series", "series", kSeriesPrefix, FilterValueKind::kLabel, FacetField::kSeries,
     "series: wants a series name such as dlap or mlphys", "series is a name such as dlap"},
    {"speaker", "speaker", kSpeakerFilterPrefix, FilterValueKind::kPersonName,
     FacetField::kSpeaker, "", ""},
    {"lang", "language", kLanguagePrefix, FilterValueKind::kLanguage, FacetField::kLanguage,
     "lang: is ja or en", "lang is ja or en"},
    {"collection", "collection", kCollectionPrefix, FilterValueKind::kLabel,
     FacetField::kCollection, "collection: is talks, papers or all",
     "collection is talks, related, papers or all"},
}};

// The filter a query's "name:" names (by its name or facet name), or null.
// A query looks up text fields first: speaker: in a query is the speaker
// text field, not this filter.
const FilterField* FilterNamedInQuery(std::string_view name);
// The filter an API parameter names (by its name only), or null.
const FilterField* FilterNamedAsParameter(std::string_view name);

// Whether `value` is a value of `filter` (kLabel: of at most
// `max_label_bytes`). Case matters: a query lowercases its values first.
bool IsFilterValue(const FilterField& filter, std::string_view value,
                   size_t max_label_bytes = SIZE_MAX);
// `message` (a FilterField error) with `typed` in place of {}.
std::string FilterValueError(std::string_view message, std::string_view typed);

// The term that selects the talks with `value` for `filter`: its prefix
// and the value (a person name's SpeakerKey).
std::string FilterTerm(const FilterField& filter, std::string_view value);

// A talk's values of one facet, which its filter selects it by: the year
// (none when the date is unknown), language, series, speakers' names (the
// panelists' too), collection.
std::vector<std::string> TalkFacetValues(const Talk& talk, FacetField facet);

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
inline constexpr char kFacetFieldSeparator = '\x1e';
inline constexpr char kFacetSeparator = '\x1f';

// The talk's kFacetsSlot value: its TalkFacetValues, encoded as above.
std::string FacetSlotValue(const Talk& talk);

// Calls part(field index, value) for each non-empty facet value of a whole
// kFacetsSlot value, in order.
template <typename Part>
void ForEachFacetValue(std::string_view slot_value, Part part) {
  size_t field = 0, start = 0;
  for (size_t i = 0; i <= slot_value.size() && field < kFacetFieldCount; ++i) {
    const bool at_end = i == slot_value.size();
    if (!at_end && slot_value[i] != kFacetSeparator && slot_value[i] != kFacetFieldSeparator) {
      continue;
    }
    if (i > start) part(field, slot_value.substr(start, i - start));
    if (!at_end && slot_value[i] == kFacetFieldSeparator) ++field;
    start = i + 1;
  }
}

// Database metadata keys.
inline constexpr std::string_view kAnalysisMetadataKey = "talksearch.analysis";
inline constexpr std::string_view kSchemaMetadataKey = "talksearch.schema";
// Glossary::digest() of the glossary whose concepts the index marks.
inline constexpr std::string_view kGlossaryMetadataKey = "talksearch.glossary";
// The zstd dictionary the stored talks are compressed with (see
// StoredTalkCodec); absent when the index has too few talks to train one.
inline constexpr std::string_view kStoredTalkDictionaryKey = "talksearch.stored_talk_dictionary";
// 11: stored talks compressed with the index's zstd dictionary.
// 12: a field's narrower and related concept marks leave out the concepts
// it names itself.
inline constexpr std::string_view kSchemaVersion = "12";

}  // namespace talksearch

#endif  // TALKSEARCH_SCHEMA_H_
