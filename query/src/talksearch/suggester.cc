#include "talksearch/suggester.h"

#include <algorithm>
#include <map>
#include <set>

#include "talksearch/normalizer.h"
#include "talksearch/schema.h"
#include "talksearch/term_mapper.h"
#include "talksearch/talk.h"

namespace talksearch {
namespace {

// Spaces and hyphens do not distinguish completions ("piecewise-linear").
std::string Key(std::string_view text) { return NormalizeWithout(text, " -"); }

// Seminar talks containing every word of `text` in some field.
Xapian::doccount Frequency(const Xapian::Database& db, std::string_view text,
                           Analyzer& analyzer) {
  std::vector<Xapian::Query> words;
  for (const Token& t : analyzer.Analyze(text)) {
    if (t.kind != TermKind::kWord) continue;
    std::vector<Xapian::Query> fields;
    for (const TextField& field : kTextFields) {
      fields.emplace_back(FieldTerm(field, t));
    }
    words.emplace_back(Xapian::Query::OP_OR, fields.begin(), fields.end());
  }
  if (words.empty()) return 0;
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER,
                                  Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end()),
                                  Xapian::Query(DefaultCollectionTerm())));
  return enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

}  // namespace

Suggester::Suggester(const Xapian::Database& db, const StoredTalkCodec& codec,
                     const Glossary* glossary, Analyzer& analyzer) {
  // Speakers by SpeakerKey: the same person written with and without the
  // space is one completion, shown as most often written.
  std::map<std::string, std::map<std::string, Xapian::doccount>> speakers;
  const std::string talks_term = DefaultCollectionTerm();
  for (auto it = db.postlist_begin(talks_term); it != db.postlist_end(talks_term); ++it) {
    const Talk talk = codec.Decode(db.get_document(*it).get_data());
    entries_.push_back({{talk.title, "title"}, Key(talk.title), analyzer.ReadingOf(talk.title), 1,
                        NormalizeString(talk.title)});
    for (const Speaker& s : talk.speakers) ++speakers[SpeakerKey(s.name)][s.name];
  }
  for (const auto& [key, spellings] : speakers) {
    std::string shown;
    Xapian::doccount total = 0, best = 0;
    for (const auto& [name, count] : spellings) {
      total += count;
      if (count > best) {
        best = count;
        shown = name;
      }
    }
    entries_.push_back({{shown, "speaker"}, Key(shown), analyzer.ReadingOf(shown), total,
                        NormalizeString(shown)});
  }
  if (glossary) {
    std::set<std::string> seen;
    int concept_id = 0;
    for (const auto& forms : glossary->concepts()) {
      ++concept_id;
      for (const std::string& form : forms) {
        const std::string key = Key(form);
        if (!seen.insert(key).second) continue;
        const Xapian::doccount frequency = Frequency(db, form, analyzer);
        if (frequency == 0) continue;  // a completion must find something
        entries_.push_back({{form, "term"}, key, analyzer.ReadingOf(form), frequency,
                            NormalizeString(form), concept_id});
      }
    }
  }
}

std::vector<Suggestion> Suggester::Suggest(std::string_view prefix, size_t limit) const {
  const std::string key = Key(prefix);
  if (key.empty() || limit == 0) return {};
  const std::string typed = NormalizeString(prefix);
  // Inside a title or name, a match must start a word (or be CJK, where
  // words are not separated): "pi" must not complete to "inspire".
  auto starts_word_inside = [&typed](const std::string& text) {
    for (size_t at = text.find(typed, 1); at != std::string::npos; at = text.find(typed, at + 1)) {
      const unsigned char before = static_cast<unsigned char>(text[at - 1]);
      if (!std::isalnum(before) || static_cast<unsigned char>(typed[0]) >= 0x80) return true;
    }
    return false;
  };
  const bool kana = ScriptOf(key) == Script::kKana;
  const std::string reading = kana ? Analyzer::FoldReading(key) : std::string();

  struct Scored {
    const Entry* entry;
    int rank;  // 0 = starts with, 1 = reading starts with, 2 = inside
  };
  std::vector<Scored> found;
  for (const Entry& e : entries_) {
    int rank = -1;
    if (e.key.compare(0, key.size(), key) == 0) {
      rank = 0;
    } else if (kana && !reading.empty() && e.reading.compare(0, reading.size(), reading) == 0) {
      rank = 1;
    } else if (e.suggestion.kind != "term" && !typed.empty() && starts_word_inside(e.normalized)) {
      rank = 2;
    }
    if (rank >= 0) found.push_back({&e, rank});
  }
  std::sort(found.begin(), found.end(), [](const Scored& a, const Scored& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.entry->frequency != b.entry->frequency) return a.entry->frequency > b.entry->frequency;
    if (a.entry->key.size() != b.entry->key.size()) return a.entry->key.size() < b.entry->key.size();
    return a.entry->key < b.entry->key;
  });
  std::vector<Suggestion> out;
  // One suggestion per key (normalized, without spaces and hyphens): "Lattice
  // QCD" (a title) and "lattice QCD" (a term) complete to the same search.
  std::set<std::string> keys;
  std::set<int> concepts;
  for (const Scored& s : found) {
    if (out.size() == limit) break;
    if (s.entry->concept_id >= 0 && !concepts.insert(s.entry->concept_id).second) continue;
    if (keys.insert(s.entry->key).second) out.push_back(s.entry->suggestion);
  }
  return out;
}

}  // namespace talksearch
