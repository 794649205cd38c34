#include "talksearch/query_builder.h"

#include <vector>

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
Xapian::Query PhraseOf(const std::vector<const Token*>& tokens,
                       std::string_view prefix) {
  std::vector<Xapian::Query> terms;
  for (const Token* t : tokens) terms.emplace_back(std::string(prefix) + t->term);
  if (terms.size() == 1) return terms.front();
  const Xapian::termcount window =
      tokens.back()->position - tokens.front()->position + 1;
  return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), window);
}

// The words of one typed word or phrase. A quoted phrase must match as a
// phrase; an unquoted compound (格子QCD, physics-informed) also matches with
// its words apart, scoring less than the adjacent form.
Xapian::Query WordsQuery(const std::vector<const Token*>& words, std::string_view prefix,
                         bool phrase_only) {
  Xapian::Query phrase = PhraseOf(words, prefix);
  if (phrase_only || words.size() == 1) return phrase;
  std::vector<Xapian::Query> terms;
  for (const Token* t : words) terms.emplace_back(std::string(prefix) + t->term);
  return Xapian::Query(Xapian::Query::OP_OR, phrase,
                       Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()));
}

// Consecutive bigrams of one CJK run form a phrase; separate runs must all
// match (AND).
Xapian::Query BigramQuery(const std::vector<const Token*>& bigrams,
                          std::string_view prefix) {
  std::vector<Xapian::Query> runs;
  std::vector<const Token*> run;
  for (const Token* b : bigrams) {
    if (!run.empty() && b->position != run.back()->position + 1) {
      runs.push_back(PhraseOf(run, prefix));
      run.clear();
    }
    run.push_back(b);
  }
  if (!run.empty()) runs.push_back(PhraseOf(run, prefix));
  if (runs.size() == 1) return runs.front();
  return Xapian::Query(Xapian::Query::OP_AND, runs.begin(), runs.end());
}

Xapian::Query ClauseQuery(const TextClause& clause, Analyzer& analyzer,
                          const RankingParams& params, BuiltQuery* built) {
  const std::vector<Token> tokens = analyzer.Analyze(clause.text);
  std::vector<const Token*> words, bigrams;
  for (const Token& t : tokens) {
    (t.kind == TermKind::kWord ? words : bigrams).push_back(&t);
    if (built) {
      (t.kind == TermKind::kWord ? built->word_terms : built->bigram_terms).insert(t.term);
    }
  }
  if (words.empty() && bigrams.empty()) return Xapian::Query();

  std::vector<Xapian::Query> per_field;
  for (const TextField& field : kTextFields) {
    if (clause.field && *clause.field != field.id) continue;
    std::vector<Xapian::Query> forms;
    if (!words.empty()) forms.push_back(WordsQuery(words, field.word_prefix, clause.is_phrase));
    if (!bigrams.empty()) {
      forms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                         BigramQuery(bigrams, field.bigram_prefix),
                         params.bigram_weight);
    }
    Xapian::Query field_query(Xapian::Query::OP_OR, forms.begin(), forms.end());
    per_field.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, field_query,
                           params.FieldWeight(field.id));
  }
  return Xapian::Query(Xapian::Query::OP_OR, per_field.begin(), per_field.end());
}

Xapian::Query OrOfTerms(const std::vector<std::string>& terms) {
  std::vector<Xapian::Query> qs(terms.begin(), terms.end());
  return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
}

}  // namespace

BuiltQuery BuildQuery(const ParsedQuery& parsed, Analyzer& analyzer,
                      const RankingParams& params,
                      const std::string& default_collection) {
  BuiltQuery built;
  std::vector<Xapian::Query> groups;
  for (const auto& group : parsed.groups) {
    std::vector<Xapian::Query> alternatives;
    for (const TextClause& clause : group) {
      Xapian::Query q = ClauseQuery(clause, analyzer, params, &built);
      if (!q.empty()) alternatives.push_back(q);
    }
    if (!alternatives.empty()) {
      groups.emplace_back(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
    }
  }

  const bool has_filters = !parsed.filters.empty();
  Xapian::Query query;
  if (!groups.empty()) {
    const auto op = params.default_operator == DefaultOperator::kAnd
                        ? Xapian::Query::OP_AND
                        : Xapian::Query::OP_OR;
    query = Xapian::Query(op, groups.begin(), groups.end());
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
