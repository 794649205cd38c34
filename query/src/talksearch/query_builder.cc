#include "talksearch/query_builder.h"

#include <vector>

#include "talksearch/normalizer.h"
#include "talksearch/query_error.h"

namespace talksearch {

double RankingParams::FieldWeight(TextFieldId field) const {
  switch (field) {
    case TextFieldId::kTitle: return title_weight;
    case TextFieldId::kSpeaker: return speaker_weight;
    case TextFieldId::kPanelist: return panelist_weight;
    case TextFieldId::kAffiliation: return affiliation_weight;
    case TextFieldId::kAbstract: return abstract_weight;
    case TextFieldId::kReferences: return references_weight;
  }
  return 1.0;
}

namespace {

// Terms in order with their positions; a phrase of them must keep the order
// within the span they had in the query.
Xapian::Query PhraseOf(const std::vector<Token>& tokens, std::string_view prefix) {
  std::vector<Xapian::Query> terms;
  for (const Token& t : tokens) terms.emplace_back(std::string(prefix) + t.term);
  if (terms.size() == 1) return terms.front();
  const Xapian::termcount window = tokens.back().position - tokens.front().position + 1;
  return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), window);
}

// The words of one typed word or phrase. A quoted phrase must match as a
// phrase; an unquoted compound (格子QCD, physics-informed) also matches with
// its words apart, scoring less than the adjacent form.
Xapian::Query WordsQuery(const std::vector<Token>& words, std::string_view prefix,
                         bool phrase_only) {
  Xapian::Query phrase = PhraseOf(words, prefix);
  if (phrase_only || words.size() == 1) return phrase;
  std::vector<Xapian::Query> terms;
  for (const Token& t : words) terms.emplace_back(std::string(prefix) + t.term);
  return Xapian::Query(Xapian::Query::OP_OR, phrase,
                       Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()));
}

// Consecutive bigrams of one CJK run form a phrase; separate runs must all
// match (AND).
Xapian::Query BigramQuery(const std::vector<Token>& bigrams, std::string_view prefix) {
  std::vector<Xapian::Query> runs;
  std::vector<Token> run;
  for (const Token& b : bigrams) {
    if (!run.empty() && b.position != run.back().position + 1) {
      runs.push_back(PhraseOf(run, prefix));
      run.clear();
    }
    run.push_back(b);
  }
  if (!run.empty()) runs.push_back(PhraseOf(run, prefix));
  if (runs.size() == 1) return runs.front();
  return Xapian::Query(Xapian::Query::OP_AND, runs.begin(), runs.end());
}

// One typed word or phrase, analysed once and queried in every field.
struct AnalyzedClause {
  std::vector<Token> words, bigrams, readings, name_readings;
  bool is_phrase = false;
  std::optional<TextFieldId> field;

  bool empty() const { return words.empty() && bigrams.empty() && readings.empty(); }
};

AnalyzedClause AnalyzeClause(const TextClause& clause, Analyzer& analyzer, BuiltQuery* built) {
  AnalyzedClause a;
  a.is_phrase = clause.is_phrase;
  a.field = clause.field;
  for (Token& t : analyzer.Analyze(clause.text)) {
    switch (t.kind) {
      case TermKind::kWord: a.words.push_back(std::move(t)); break;
      case TermKind::kBigram: a.bigrams.push_back(std::move(t)); break;
      case TermKind::kReading: a.readings.push_back(std::move(t)); break;
      case TermKind::kSubword: break;  // the typed compound is what is searched
    }
  }
  if (built) {
    for (const Token& w : a.words) built->word_terms.insert(w.term);
    std::vector<std::string> run;
    for (size_t i = 0; i < a.bigrams.size(); ++i) {
      if (i > 0 && a.bigrams[i].position != a.bigrams[i - 1].position + 1) {
        built->bigram_runs.insert(run);
        run.clear();
      }
      run.push_back(a.bigrams[i].term);
    }
    if (!run.empty()) built->bigram_runs.insert(run);
  }
  const Script script = ScriptOf(clause.text);
  if (script != Script::kKana) a.readings.clear();
  if (script == Script::kLatin && !clause.is_phrase) {
    a.name_readings = analyzer.RomajiReadings(clause.text);
  }
  return a;
}

// The clause in one field, before the field's weight: the best of words,
// bigrams (down-weighted) and readings (down-weighted). OP_MAX, not OP_OR: a
// whole-word match also matches its bigrams and reading, and counting the
// same evidence three times let one word in a title outweigh a talk that
// matches every word of the query. Empty if nothing applies.
void LabelTerms(const Xapian::Query& q, const std::string& via, BuiltQuery* built) {
  if (!built) return;
  for (auto it = q.get_unique_terms_begin(); it != q.get_unique_terms_end(); ++it) {
    built->term_via.emplace(*it, via);
  }
}

Xapian::Query FieldQuery(const AnalyzedClause& a, const TextField& field,
                         const RankingParams& params, bool from_glossary, BuiltQuery* built) {
  if (a.field && *a.field != field.id) return Xapian::Query();
  std::vector<Xapian::Query> forms;
  auto label = [&](const Xapian::Query& q, const char* how) {
    LabelTerms(q, from_glossary ? "glossary" : how, built);
  };
  if (!a.words.empty()) {
    forms.push_back(WordsQuery(a.words, field.word_prefix, a.is_phrase));
    label(forms.back(), field.is_person_name ? "name"
                        : a.is_phrase && a.words.size() > 1 ? "phrase" : "word");
  }
  if (!a.bigrams.empty()) {
    Xapian::Query q = BigramQuery(a.bigrams, field.bigram_prefix);
    label(q, field.is_person_name ? "name" : "bigram");
    forms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, q, params.bigram_weight);
  }
  const bool romaji = field.is_person_name && !a.name_readings.empty();
  const auto& readings = romaji ? a.name_readings : a.readings;
  if (!readings.empty()) {
    Xapian::Query q = BigramQuery(readings, field.reading_prefix);
    label(q, romaji ? "name" : "reading");
    forms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, q, params.reading_weight);
  }
  return Xapian::Query(Xapian::Query::OP_MAX, forms.begin(), forms.end());
}

// Several clauses that mean the same (a glossary concept's forms) in every
// field: within a field they are one OP_SYNONYM, so the concept is scored as
// a single term with one frequency, whichever language a talk uses.
Xapian::Query AcrossFields(const std::vector<AnalyzedClause>& alternatives,
                           const RankingParams& params, bool from_glossary, BuiltQuery* built) {
  std::vector<Xapian::Query> per_field;
  for (const TextField& field : kTextFields) {
    // A field named in the query (title:…) is searched alone at weight 1.
    const double weight =
        alternatives.front().field.has_value() ? 1.0 : params.FieldWeight(field.id);
    if (weight <= 0) continue;
    std::vector<Xapian::Query> forms;
    for (const AnalyzedClause& a : alternatives) {
      Xapian::Query q = FieldQuery(a, field, params, from_glossary, built);
      if (!q.empty()) forms.push_back(q);
    }
    if (forms.empty()) continue;
    Xapian::Query field_query =
        forms.size() == 1 ? forms.front()
                          : Xapian::Query(Xapian::Query::OP_SYNONYM, forms.begin(), forms.end());
    per_field.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, field_query, weight);
  }
  return Xapian::Query(Xapian::Query::OP_OR, per_field.begin(), per_field.end());
}

Xapian::Query ClauseQuery(const TextClause& clause, Analyzer& analyzer,
                          const RankingParams& params, BuiltQuery* built) {
  AnalyzedClause a = AnalyzeClause(clause, analyzer, built);
  if (a.empty()) return Xapian::Query();
  return AcrossFields({std::move(a)}, params, false, built);
}

Xapian::Query OrOfTerms(const std::vector<std::string>& terms) {
  std::vector<Xapian::Query> qs(terms.begin(), terms.end());
  return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
}

// A group that is one unrestricted word or phrase can take part in a
// glossary match.
bool IsPlainGroup(const std::vector<TextClause>& group) {
  return group.size() == 1 && !group[0].field;
}

// If groups [start, end) for the longest possible end spell a glossary form,
// returns their query widened to the concept's other forms and sets `end`.
Xapian::Query GlossaryQuery(const std::vector<std::vector<TextClause>>& groups, size_t start,
                            const Glossary& glossary, Analyzer& analyzer,
                            const RankingParams& params, Xapian::Query::op default_op,
                            BuiltQuery* built, size_t* end) {
  size_t limit = start;
  while (limit < groups.size() && limit - start < glossary.max_form_words() &&
         IsPlainGroup(groups[limit])) {
    ++limit;
  }
  for (size_t stop = limit; stop > start; --stop) {
    std::string typed;
    for (size_t k = start; k < stop; ++k) typed += (k > start ? " " : "") + groups[k][0].text;
    const std::string key = Glossary::Key(typed, analyzer);
    const std::vector<std::string>* forms = glossary.Find(key);
    if (!forms) continue;
    std::vector<Xapian::Query> literal;
    for (size_t k = start; k < stop; ++k) {
      Xapian::Query q = ClauseQuery(groups[k][0], analyzer, params, built);
      if (!q.empty()) literal.push_back(q);
    }
    std::vector<AnalyzedClause> others;
    for (const std::string& form : *forms) {
      if (Glossary::Key(form, analyzer) == key) continue;  // what was typed
      AnalyzedClause a = AnalyzeClause(TextClause{form, false, std::nullopt}, analyzer, built);
      if (!a.empty()) others.push_back(std::move(a));
    }
    *end = stop;
    Xapian::Query typed_query(default_op, literal.begin(), literal.end());
    if (others.empty()) return typed_query;
    return Xapian::Query(Xapian::Query::OP_OR, typed_query,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                       AcrossFields(others, params, true, built),
                                       params.glossary_weight));
  }
  return Xapian::Query();
}

}  // namespace

BuiltQuery BuildQuery(const ParsedQuery& parsed, Analyzer& analyzer,
                      const RankingParams& params, const Glossary* glossary,
                      const std::string& default_collection) {
  BuiltQuery built;
  const auto op = params.default_operator == DefaultOperator::kAnd ? Xapian::Query::OP_AND
                                                                    : Xapian::Query::OP_OR;
  std::vector<Xapian::Query> groups;
  for (size_t i = 0; i < parsed.groups.size();) {
    if (glossary && IsPlainGroup(parsed.groups[i])) {
      size_t end = i;
      Xapian::Query q = GlossaryQuery(parsed.groups, i, *glossary, analyzer, params, op, &built, &end);
      if (end > i) {
        if (!q.empty()) groups.push_back(q);
        i = end;
        continue;
      }
    }
    std::vector<Xapian::Query> alternatives;
    for (const TextClause& clause : parsed.groups[i]) {
      Xapian::Query q = ClauseQuery(clause, analyzer, params, &built);
      if (!q.empty()) alternatives.push_back(q);
    }
    if (!alternatives.empty()) {
      groups.emplace_back(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
    }
    ++i;
  }

  const bool has_filters = !parsed.filters.empty();
  Xapian::Query query;
  if (!groups.empty()) {
    query = Xapian::Query(op, groups.begin(), groups.end());
    if (params.default_operator == DefaultOperator::kSoftAnd && groups.size() > 1) {
      query = Xapian::Query(Xapian::Query::OP_OR,
                            Xapian::Query(Xapian::Query::OP_AND, groups.begin(), groups.end()),
                            query);
    }
  } else if (!parsed.groups.empty()) {
    throw QueryError("empty_query", "the query has no searchable words");
  } else if (has_filters) {
    query = Xapian::Query::MatchAll;  // a pure filter lists what it selects
  } else {
    throw QueryError("empty_query", "the query is empty");
  }

  std::vector<Xapian::Query> excluded;
  for (const TextClause& clause : parsed.excluded) {
    Xapian::Query q = ClauseQuery(clause, analyzer, params, nullptr);
    if (!q.empty()) excluded.push_back(q);
  }
  for (const std::string& term : parsed.excluded_filters) excluded.emplace_back(term);
  if (!excluded.empty()) {
    query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                          Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
  }

  std::vector<Xapian::Query> filters;
  for (const auto& [prefix, terms] : parsed.filters) filters.push_back(OrOfTerms(terms));
  if (!parsed.all_collections && !parsed.filters.count(std::string(kCollectionPrefix)) &&
      !default_collection.empty()) {
    filters.emplace_back(std::string(kCollectionPrefix) + default_collection);
  }
  if (!filters.empty()) {
    query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                          Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
  }
  built.query = query;
  return built;
}

}  // namespace talksearch
