#include "talksearch/natural_query.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "talksearch/normalizer.h"
#include "talksearch/scaffolding_words.h"

namespace talksearch {
namespace {

bool IsAsciiAlnum(unsigned char c) { return c < 0x80 && std::isalnum(c); }

struct Segment {
  size_t begin, end;  // in the clause's text
  bool optional;
};

// The content words of Japanese (or mixed) text, by MeCab's parts of speech.
std::vector<Segment> JapaneseSegments(const std::string& text, Analyzer& analyzer) {
  using Pos = Morpheme::Pos;
  std::vector<Segment> segments;
  std::optional<size_t> run_begin;
  size_t run_end = 0;
  auto close_run = [&] {
    if (run_begin) segments.push_back({*run_begin, run_end, false});
    run_begin.reset();
  };
  for (const Analyzer::SourceWord& w : analyzer.Words(text)) {
    const Pos pos = w.morpheme.pos;
    const bool verb_like = pos == Pos::kVerb || pos == Pos::kAdjective;
    const bool scaffolding =
        pos == Pos::kPersonSuffix ||
        (verb_like ? JapaneseScaffoldingVerbs().count(w.morpheme.base_form) > 0
                   : JapaneseScaffoldingNouns().count(w.surface) > 0);
    if (scaffolding) {
      close_run();
      continue;
    }
    switch (pos) {
      case Pos::kNounSuffix:
        if (!run_begin) break;  // a suffix of dropped scaffolding (研究|者)
        [[fallthrough]];
      case Pos::kNoun:
      case Pos::kNumber:
      case Pos::kPrefix:
        if (!run_begin) run_begin = w.begin;
        run_end = w.end;
        continue;
      case Pos::kVerb:
      case Pos::kAdjective:
        close_run();
        segments.push_back({w.begin, w.end, true});
        continue;
      default:
        break;
    }
    close_run();
  }
  close_run();
  // A run that is only a prefix or only a number says nothing alone.
  segments.erase(std::remove_if(segments.begin(), segments.end(),
                                [&](const Segment& s) {
                                  return !ContainsCjk(text.substr(s.begin, s.end - s.begin)) &&
                                         !std::any_of(text.begin() + s.begin,
                                                      text.begin() + s.end, [](char c) {
                                                        return std::isalpha(
                                                            static_cast<unsigned char>(c));
                                                      });
                                }),
                 segments.end());
  return segments;
}

}  // namespace

bool IsEnglishScaffolding(const std::string& normalized_word) {
  return EnglishScaffoldingWords().count(normalized_word) > 0;
}

void SplitNaturalClauses(ParsedQuery& parsed, Analyzer& analyzer) {
  std::vector<std::vector<TextClause>> groups;
  for (std::vector<TextClause> group : parsed.groups) {  // a copy: kept as typed if all goes
    if (group.size() != 1 || group[0].is_phrase || group[0].field) {
      groups.push_back(std::move(group));
      continue;
    }
    TextClause& clause = group[0];
    const std::string normalized = NormalizeString(clause.text);
    if (!ContainsCjk(normalized)) {
      // An English word: without the punctuation of the sentence around it
      // ("research?"), and marked when it is scaffolding.
      const std::string& t = clause.text;
      size_t first = 0, last = t.size();
      while (first < last && !IsAsciiAlnum(t[first]) && static_cast<unsigned char>(t[first]) < 0x80) ++first;
      while (last > first && !IsAsciiAlnum(t[last - 1]) && static_cast<unsigned char>(t[last - 1]) < 0x80) --last;
      if (first == last) {
        groups.push_back(std::move(group));
        continue;
      }
      if (IsEnglishScaffolding(NormalizeString(std::string_view(t).substr(first, last - first)))) {
        clause.scaffolding = true;  // kept for glossary forms that hold it
      }
      if (first > 0 || last < t.size()) {
        clause.text = t.substr(first, last - first);
        clause.end = clause.begin + last;
        clause.begin += first;
      }
      groups.push_back(std::move(group));
      continue;
    }
    if (ScriptOfNormalized(normalized) == Script::kKana) {
      groups.push_back(std::move(group));
      continue;
    }
    const std::vector<Segment> segments = JapaneseSegments(clause.text, analyzer);
    if (segments.size() == 1 && segments[0].begin == 0 && segments[0].end == clause.text.size()) {
      groups.push_back(std::move(group));
      continue;
    }
    if (segments.empty()) continue;  // scaffolding alone
    for (const Segment& s : segments) {
      TextClause part;
      part.text = clause.text.substr(s.begin, s.end - s.begin);
      part.begin = clause.begin + s.begin;
      part.end = clause.begin + s.end;
      part.optional = s.optional;
      groups.push_back({std::move(part)});
    }
  }
  if (groups.size() > kMaxQueryClauses) groups.resize(kMaxQueryClauses);
  // A query of scaffolding alone ("研究", "how") is searched as typed.
  const bool all_scaffolding = std::all_of(groups.begin(), groups.end(), [](const auto& g) {
    return std::all_of(g.begin(), g.end(), [](const TextClause& c) { return c.scaffolding; });
  });
  if (groups.empty() || all_scaffolding) return;
  // All optional (two verbs): each is what the query asks for.
  if (std::all_of(groups.begin(), groups.end(), [](const std::vector<TextClause>& g) {
        return std::all_of(g.begin(), g.end(), [](const TextClause& c) { return c.optional; });
      })) {
    for (auto& g : groups) {
      for (TextClause& c : g) c.optional = false;
    }
  }
  parsed.groups = std::move(groups);
}

}  // namespace talksearch
