#include "talksearch/document_builder.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "talksearch/normalizer.h"
#include "talksearch/schema.h"
#include "talksearch/stable_hash.h"
#include "talksearch/term_mapper.h"

namespace talksearch {
namespace {

// Position gap between separate values of one field (two speakers), so a
// phrase never runs from one name into the next.
constexpr Xapian::termpos kValueGap = 100;

// A word token as typed, normalized: normalized again from the source text,
// not its term, which is an English stem or a folded kana key (フアイル for
// ファイル: "did you mean" shows the spelling the talk uses). Plain ASCII by
// lowercasing it; ICU only for anything else (full-width letters, Japanese).
bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x80; });
}

std::string UnstemmedWord(const std::string& text, const Token& t) {
  const std::string_view source = std::string_view(text).substr(t.begin, t.end - t.begin);
  if (!IsAscii(source)) return NormalizeString(source);
  std::string word(source);
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return word;
}

// Words for "did you mean": English words and katakana words as typed
// (normalized, unstemmed), counted, from `text` and its tokens.
void AddSpellingWords(const std::string& text, const std::vector<Token>& tokens,
                      SpellingWordCounts& words) {
  for (const Token& t : tokens) {
    // Subwords too: シュウィンガー of the compound シュウィンガー模型 is a
    // word a query may misspell alone.
    if (t.kind != TermKind::kWord && t.kind != TermKind::kSubword) continue;
    const std::string word = UnstemmedWord(text, t);
    if (word.size() < 4 || word.find(' ') != std::string::npos) continue;
    // A word mixing katakana and hiragana (カッコいい) is not a loanword to
    // correct to.
    if (IsSpellingScriptNormalized(word)) ++words[word];
  }
}

bool HasHan(std::string_view text) {
  bool han = false;
  ForEachCodePoint(text, [&han](char32_t c, size_t, size_t) {
    han = han || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || c == 0x3005;
  });
  return han;
}

// The Japanese words of `tokens` by their reading (see ReadingWords).
void AddReadingWords(const std::vector<Token>& tokens, Analyzer& analyzer, ReadingWords& words) {
  for (const Token& t : tokens) {
    if (t.kind != TermKind::kWord && t.kind != TermKind::kSubword) continue;
    if (t.term.size() < 6 || !HasHan(t.term)) continue;  // two characters or more
    const std::string& reading = analyzer.WordReading(t.term);
    if (CodePointCount(reading) < Analyzer::kMinDistinctiveReading) continue;
    words.emplace(std::string(kReadingSynonymPrefix) + reading, t.term);
  }
}

// Concept -> places, over the values of one field.
using ConceptCounts = std::map<size_t, Xapian::termcount>;

void IndexText(Xapian::Document& doc, const TextField& field,
               const std::string& text, Analyzer& analyzer,
               Xapian::termpos& base, SpellingWordCounts* spelling = nullptr,
               const ConceptMatcher* concepts = nullptr, ConceptCounts* found = nullptr,
               ReadingWords* reading_words = nullptr) {
  if (text.empty()) return;
  Xapian::termpos last = 0;
  std::vector<Token> tokens = analyzer.Analyze(text, FieldAnalyzeOptions(field));
  if (spelling) AddSpellingWords(text, tokens, *spelling);
  if (reading_words) AddReadingWords(tokens, analyzer, *reading_words);
  if (concepts && found && !field.concept_prefix.empty()) {
    for (const auto& o : concepts->Find(tokens)) (*found)[o.concept] += o.count;
  }
  if (field.is_person_name) {
    // "Koji Hashimoto" also by its katakana reading, as a romaji query is.
    for (Token& t : NameReadings(text, analyzer)) tokens.push_back(std::move(t));
  }
  for (const Token& token : tokens) {
    if (!FieldHasTermsOf(field, token.kind)) continue;
    if (TokenKeepsPosition(token)) {
      doc.add_posting(FieldTerm(field, token), base + token.position);
    } else {
      doc.add_term(FieldTerm(field, token));
    }
    last = std::max<Xapian::termpos>(last, token.position);
  }
  base += last + kValueGap;
}

// Xapian (glass) refuses a longer term, at add_document, for the whole
// batch being written.
constexpr size_t kMaxXapianTermBytes = 245;

// A filter term; one too long for Xapian, or of an empty value, is no filter
// (the corpus loader refuses such labels; this keeps any other caller's talk
// indexable).
void AddBooleanTerm(Xapian::Document& doc, const FilterField& filter, const std::string& value) {
  const std::string term = FilterTerm(filter, value);
  if (term.size() > filter.prefix.size() && term.size() <= kMaxXapianTermBytes) {
    doc.add_boolean_term(term);
  }
}

}  // namespace

SpellingWordCounts SpellingWords(const Talk& talk, Analyzer& analyzer) {
  SpellingWordCounts words;
  for (const std::string* text : {&talk.title, &talk.abstract}) {
    AddSpellingWords(*text, analyzer.Analyze(*text), words);
  }
  return words;
}

std::string GlossaryDigest(const ConceptMatcher* concepts) {
  return concepts ? concepts->glossary().digest() : "none";
}

std::string IndexFingerprint(Analyzer& analyzer, const ConceptMatcher* concepts) {
  return analyzer.Fingerprint() + "\nglossary " + GlossaryDigest(concepts);
}

std::string ContentHash(const Talk& talk, const std::string& fingerprint) {
  // FNV-1a over the stored JSON and the analysis fingerprint: a change to
  // either means the document must be rebuilt.
  return StableHashHex(nlohmann::json(talk).dump() + '\n' + fingerprint + '\n' +
                       std::string(kSchemaVersion));
}

Xapian::Document BuildDocument(const Talk& talk, Analyzer& analyzer,
                               SpellingWordCounts* spelling_words,
                               const ConceptMatcher* concepts, const StoredTalkCodec* codec,
                               ReadingWords* reading_words) {
  Xapian::Document doc;
  for (const TextField& field : kTextFields) {
    Xapian::termpos base = 0;
    ConceptCounts found;
    switch (field.id) {
      case TextFieldId::kTitle:
        IndexText(doc, field, talk.title, analyzer, base, spelling_words, concepts, &found,
                  reading_words);
        break;
      case TextFieldId::kSpeaker:
        for (const Speaker& s : talk.speakers) {
          if (!s.is_panelist()) IndexText(doc, field, s.name, analyzer, base);
        }
        break;
      case TextFieldId::kPanelist:
        for (const Speaker& s : talk.speakers) {
          if (s.is_panelist()) IndexText(doc, field, s.name, analyzer, base);
        }
        break;
      case TextFieldId::kAffiliation:
        // Its institutions are glossary concepts too (東大 = 東京大学 =
        // University of Tokyo).
        for (const Speaker& s : talk.speakers) {
          IndexText(doc, field, s.affiliation, analyzer, base, nullptr, concepts, &found);
        }
        break;
      case TextFieldId::kAbstract:
        IndexText(doc, field, talk.abstract, analyzer, base, spelling_words, concepts, &found,
                  reading_words);
        break;
      case TextFieldId::kReferences:
        for (const std::string& r : talk.references) {
          IndexText(doc, field, r, analyzer, base, nullptr, concepts, &found);
        }
        break;
    }
    if (found.empty()) continue;
    // No positions: concepts are never part of a phrase.
    std::vector<ConceptMatcher::Occurrence> occurrences;
    for (const auto& [concept, count] : found) occurrences.push_back({concept, count});
    auto add = [&](ConceptLink link, const std::vector<ConceptMatcher::Occurrence>& list) {
      if (ConceptPrefix(field, link).empty()) return;
      for (const auto& o : list) {
        doc.add_term(ConceptTerm(field, link, concepts->glossary(), o.concept), o.count);
      }
    };
    add(ConceptLink::kSelf, occurrences);
    add(ConceptLink::kNarrower, concepts->BroaderOf(occurrences));
    add(ConceptLink::kRelated, concepts->RelatedOf(occurrences));
  }

  const std::string id_term = IdTerm(talk.id);
  if (talk.id.empty() || id_term.size() > kMaxXapianTermBytes) {
    throw std::invalid_argument("its id is empty or over " +
                                std::to_string(kMaxXapianTermBytes - kIdPrefix.size()) + " bytes");
  }
  doc.add_boolean_term(id_term);  // replace_document(id_term) needs it
  // Every name the speaker facet may show is a filter, up to Xapian's term
  // length (a name over the analyzer's 64-byte word limit was shown as a
  // facet value that then found nothing).
  for (const FilterField& filter : kFilterFields) {
    for (const std::string& value : TalkFacetValues(talk, filter.facet)) {
      AddBooleanTerm(doc, filter, value);
    }
  }
  doc.add_value(kFacetsSlot, FacetSlotValue(talk));
  doc.add_value(kDateSlot, talk.date);
  doc.add_value(kContentHashSlot, ContentHash(talk, IndexFingerprint(analyzer, concepts)));
  doc.set_data(codec ? codec->Encode(talk) : nlohmann::json(talk).dump());
  return doc;
}

}  // namespace talksearch
