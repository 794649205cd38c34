#include "talksearch/corrector.h"

#include <algorithm>

#include "talksearch/database_set.h"
#include "talksearch/normalizer.h"
#include "talksearch/schema.h"
#include "talksearch/spelling_edits.h"
#include "talksearch/term_mapper.h"

namespace talksearch {
bool QueryCorrector::Findable(const std::string& text) {
  std::vector<Token> words, bigrams;
  for (Token& t : analyzer_.Analyze(text)) {
    if (t.kind == TermKind::kWord) words.push_back(std::move(t));
    if (t.kind == TermKind::kBigram) bigrams.push_back(std::move(t));
  }
  if (words.empty() && bigrams.empty()) return true;  // nothing to correct
  // One word the index has (most typed words): no count needed.
  auto in_some_field = [&](const Token& w) {
    for (const TextField& field : kTextFields) {
      if (index_has_(FieldTerm(field, w))) return true;
    }
    return false;
  };
  if (words.size() == 1 && in_some_field(words[0])) return true;
  // Japanese by its bigrams (which join its words: 変|微分方程式 is no
  // word though each part is), other text by its words, together in one
  // field of some talk.
  const std::vector<Token>& terms = bigrams.empty() ? words : bigrams;
  std::vector<Xapian::Query> per_field;
  for (const TextField& field : kTextFields) {
    std::vector<Xapian::Query> all;
    for (const Token& t : terms) {
      std::string term = FieldTerm(field, t);
      if (!index_has_(term)) break;
      all.emplace_back(std::move(term));
    }
    if (all.size() == terms.size()) {
      per_field.emplace_back(Xapian::Query::OP_AND, all.begin(), all.end());
    }
  }
  if (per_field.empty()) return false;
  return CountMatchesUpTo(db_, Xapian::Query(Xapian::Query::OP_OR, per_field.begin(), per_field.end()),
                          1) > 0;
}

bool QueryCorrector::IsGlossaryForm(const std::string& text) {
  return glossary_ && glossary_->FindConcept(Glossary::Key(text, analyzer_)) != Glossary::kNoConcept;
}

bool QueryCorrector::IsRomajiName(const std::string& text) {
  const std::vector<Token> readings = analyzer_.RomajiReadings(text);
  if (readings.empty()) return false;
  for (const TextField& field : kTextFields) {
    if (!field.is_person_name || field.reading_prefix.empty()) continue;
    const bool all = std::all_of(readings.begin(), readings.end(), [&](const Token& r) {
      return index_has_(FieldTerm(field, r));
    });
    if (all) return true;
  }
  return false;
}

std::string QueryCorrector::SpellingCorrection(const std::string& word) {
  const unsigned max_edits = SpellingMaxEdits(CodePointCount(word));
  std::string better;
  try {
    better = db_.get_spelling_suggestion(word, max_edits);
  } catch (const Xapian::UnimplementedError&) {  // remote shards keep no spelling table
    return {};
  }
  if (better.empty() || better == word || !Findable(better)) return {};
  return better;
}

std::string QueryCorrector::IndexedWordReadAs(const std::string& text) {
  const std::string reading = analyzer_.ReadingOf(text);
  if (CodePointCount(reading) < Analyzer::kMinDistinctiveReading) return {};
  const std::string key = std::string(kReadingSynonymPrefix) + reading;
  // The word most talks have, of those the index reads so (in titles or
  // abstracts, where the indexer reads them).
  std::string best;
  Xapian::doccount best_talks = 0;
  try {
    for (auto it = db_.synonyms_begin(key); it != db_.synonyms_end(key); ++it) {
      const std::string word = *it;
      if (word == text) continue;
      const Xapian::doccount talks =
          db_.get_termfreq(FieldTerm(GetTextField(TextFieldId::kAbstract), TermKind::kWord, word)) +
          db_.get_termfreq(FieldTerm(GetTextField(TextFieldId::kTitle), TermKind::kWord, word));
      if (talks > best_talks) {
        best = word;
        best_talks = talks;
      }
    }
  } catch (const Xapian::UnimplementedError&) {  // remote shards keep no synonym table
    return {};
  }
  return best;
}

std::string QueryCorrector::FormOneKanjiAway(const std::string& text) {
  // The code points of `text`; a form must have as many, and differ in one
  // Han character (an input method's wrong kanji: 経路績分 for 経路積分,
  // where MeCab knows no reading of 績分 to compare).
  std::u32string typed;
  ForEachCodePoint(text, [&typed](char32_t c, size_t, size_t) { typed.push_back(c); });
  if (typed.size() < 3) return {};
  std::string found;
  for (const std::vector<std::string>& forms : glossary_->concepts()) {
    for (const std::string& form : forms) {
      std::u32string f;
      ForEachCodePoint(form, [&f](char32_t c, size_t, size_t) { f.push_back(c); });
      if (f.size() != typed.size()) continue;
      size_t differ = 0, at = 0;
      for (size_t i = 0; i < f.size() && differ < 2; ++i) {
        if (f[i] != typed[i]) {
          ++differ;
          at = i;
        }
      }
      if (differ != 1 || !IsCjkCodePoint(typed[at]) || !IsCjkCodePoint(f[at]) ||
          typed[at] < 0x4E00 || f[at] < 0x4E00) {
        continue;
      }
      if (!found.empty() && found != form) return {};  // two forms: no confident correction
      found = form;
    }
  }
  return found;
}

std::string QueryCorrector::ReadingCorrection(const std::string& text) {
  if (!glossary_) return {};
  // The Japanese form of a concept that reads as `part`, if just one does.
  auto form_read_as = [&](const std::string& part) -> std::string {
    const std::string reading = analyzer_.ReadingOf(part);
    if (CodePointCount(reading) < Analyzer::kMinDistinctiveReading) return {};
    const size_t concept = glossary_->FindConceptByReading(reading);
    if (concept == Glossary::kNoConcept) return {};
    const std::vector<std::string>& forms = glossary_->concepts()[concept];
    const std::vector<std::string>& readings = glossary_->FormReadings(concept);
    for (size_t f = 0; f < forms.size(); ++f) {
      if (readings[f] == reading && forms[f] != part) return forms[f];
    }
    return {};
  };
  if (std::string whole = form_read_as(text); !whole.empty()) return whole;
  if (std::string one_off = FormOneKanjiAway(text); !one_off.empty()) return one_off;
  if (std::string word = IndexedWordReadAs(text); !word.empty()) return word;
  // The longest run of words holding one the index lacks.
  const std::vector<Analyzer::SourceWord> words = analyzer_.Words(text);
  std::vector<bool> absent;
  for (const Analyzer::SourceWord& w : words) {
    absent.push_back(!w.morpheme.is_symbol && !Findable(w.surface));
  }
  if (std::none_of(absent.begin(), absent.end(), [](bool a) { return a; })) return {};
  for (size_t length = words.size(); length >= 1; --length) {
    for (size_t i = 0; i + length <= words.size(); ++i) {
      if (std::none_of(absent.begin() + i, absent.begin() + i + length, [](bool a) { return a; })) {
        continue;
      }
      const size_t begin = words[i].begin, end = words[i + length - 1].end;
      const std::string part = text.substr(begin, end - begin);
      if (length == words.size() && i == 0) continue;  // the whole: tried above
      std::string better = form_read_as(part);
      if (better.empty() && ContainsCjk(part)) better = FormOneKanjiAway(part);
      if (better.empty()) better = IndexedWordReadAs(part);
      // A katakana word the index lacks, by spelling (シュヴィンガー模型).
      if (better.empty() && length == 1 && IsKatakanaNormalized(words[i].surface)) {
        better = SpellingCorrection(words[i].surface);
      }
      if (!better.empty()) return text.substr(0, begin) + better + text.substr(end);
    }
  }
  return {};
}

std::vector<WordCorrection> QueryCorrector::Corrections(
    const ParsedQuery& parsed, const std::set<std::string>& glossary_words) {
  std::vector<WordCorrection> corrections;
  for (const auto& group : parsed.groups) {
    for (const TextClause& clause : group) {
      if (clause.is_phrase || clause.scaffolding || clause.begin >= clause.end) continue;
      if (glossary_words.count(clause.text)) continue;
      if (Findable(clause.text) || IsGlossaryForm(clause.text)) continue;
      const std::string normalized = NormalizeString(clause.text);
      // Kana is searched by its reading already (かくさんもでる finds 拡散モデル).
      if (ScriptOfNormalized(normalized) == Script::kKana && !IsKatakanaNormalized(normalized)) {
        continue;
      }
      std::string better;
      std::string kind;
      if (normalized.find(' ') == std::string::npos && IsSpellingScriptNormalized(normalized)) {
        if (ScriptOfNormalized(normalized) == Script::kLatin && IsRomajiName(clause.text)) continue;
        better = SpellingCorrection(normalized);
        kind = "spelling";
      } else if (ContainsCjk(normalized)) {
        better = ReadingCorrection(clause.text);
        kind = "reading";
      }
      // A correction that finds nothing either is none (シュヴィンガー模型 is
      // not シュレディンガー模型 because the index has that word); a
      // glossary form is found through its concept.
      if (better.empty() || !(Findable(better) || IsGlossaryForm(better))) continue;
      corrections.push_back({clause.begin, clause.end, clause.text, better, kind});
    }
  }
  std::sort(corrections.begin(), corrections.end(),
            [](const WordCorrection& a, const WordCorrection& b) { return a.begin < b.begin; });
  return corrections;
}

void QueryCorrector::Apply(const std::vector<WordCorrection>& corrections, ParsedQuery& parsed) {
  for (auto& group : parsed.groups) {
    for (TextClause& clause : group) {
      for (const WordCorrection& c : corrections) {
        if (c.begin == clause.begin && c.end == clause.end) clause.text = c.to;
      }
    }
  }
}

std::string QueryCorrector::Corrected(const std::string& query,
                                      const std::vector<WordCorrection>& corrections) {
  // From the last back, so earlier offsets stay right.
  std::string corrected = query;
  for (auto c = corrections.rbegin(); c != corrections.rend(); ++c) {
    if (c->end > corrected.size() || c->begin >= c->end) continue;
    corrected.replace(c->begin, c->end - c->begin, c->to);
  }
  return corrected;
}

}  // namespace talksearch
