#include "talksearch/term_mapper.h"

#include <algorithm>
#include <array>

#include "talksearch/normalizer.h"

namespace talksearch {
namespace {

// English function words (articles, prepositions, conjunctions, pronouns,
// auxiliaries), as the Porter2 stemmer leaves them. They are 30% of the
// English words of the abstracts; see WordKeepsPositions.
bool IsEnglishFunctionWord(std::string_view term) {
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

}  // namespace

AnalyzeOptions FieldAnalyzeOptions(const TextField& field) {
  AnalyzeOptions options;
  options.join_cjk_across_spaces = field.is_person_name;
  return options;
}

bool FieldHasTermsOf(const TextField& field, TermKind kind) {
  return kind != TermKind::kReading || field.has_readings;
}

std::string FieldTerm(const TextField& field, TermKind kind, std::string_view text) {
  const std::string_view prefix = kind == TermKind::kBigram    ? field.bigram_prefix
                                  : kind == TermKind::kReading ? field.reading_prefix
                                                               : field.word_prefix;
  std::string term;
  term.reserve(prefix.size() + text.size());
  term.append(prefix).append(text);
  return term;
}

bool WordKeepsPositions(std::string_view term) {
  if (IsEnglishFunctionWord(term)) return false;
  bool cjk = false;
  ForEachCodePoint(term, [&](char32_t c, size_t, size_t) { cjk = cjk || IsCjkCodePoint(c); });
  return !cjk;
}

bool TokenKeepsPosition(const Token& token) {
  return (token.kind == TermKind::kWord || token.kind == TermKind::kSubword) &&
         WordKeepsPositions(token.term);
}

std::vector<Token> NameReadings(std::string_view text, Analyzer& analyzer) {
  if (ScriptOf(text) != Script::kLatin) return {};
  return analyzer.RomajiReadings(text);
}

std::string_view ConceptPrefix(const TextField& field, ConceptLink link) {
  switch (link) {
    case ConceptLink::kSelf: return field.concept_prefix;
    case ConceptLink::kNarrower: return field.narrower_prefix;
    case ConceptLink::kRelated: return field.related_prefix;
  }
  return {};
}

std::string ConceptTerm(const TextField& field, ConceptLink link, const Glossary& glossary,
                        size_t concept) {
  const std::string_view prefix = ConceptPrefix(field, link);
  if (prefix.empty()) return {};
  return std::string(prefix) + glossary.ConceptKey(concept);
}

}  // namespace talksearch
