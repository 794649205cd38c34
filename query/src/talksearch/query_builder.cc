#include "talksearch/query_builder.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>
#include <vector>

#include "talksearch/normalizer.h"
#include "talksearch/query_error.h"
#include "talksearch/term_mapper.h"

namespace talksearch {

namespace {

// Stands for a typed word none of whose terms the index has: matches
// nothing, yet keeps the word's place in an AND. Never indexed (boolean
// prefixes are upper case; this one is not in the schema).
constexpr std::string_view kAbsentTerm = "XZABSENT";

// Every bigram of the word (or reading) must be in `field`. Bigrams are
// indexed without positions: within a Japanese word the inner bigrams are
// distinctive enough that the AND finds what a phrase of them did (measured:
// the same totals and the same nDCG@10 on both judged sets), and positions
// of bigrams were most of the index and of the phrase-checking work.
// A bigram of kana alone in the other script (hiragana bigrams keep their
// script in the index: Analyzer), or nullopt for any other token.
std::optional<Token> OtherScriptBigram(const Token& t) {
  if (t.kind != TermKind::kBigram) return std::nullopt;
  std::string other = KanaTermInOtherScript(t.term);
  if (other.empty()) return std::nullopt;
  Token alternative = t;
  alternative.term = std::move(other);
  return alternative;
}

// A bigram of kana alone also matches its spelling in the other script
// (OtherScriptBigram), when the index has that spelling. With
// `other_script_only`, only that spelling (empty if a bigram has none or the
// index lacks it).
Xapian::Query BigramQuery(const std::vector<Token>& bigrams, const TextField& field,
                          const TermFilter& index_has = {}, bool other_script_only = false) {
  std::vector<Xapian::Query> terms;
  for (const Token& b : bigrams) {
    std::string term = FieldTerm(field, b);
    const std::optional<Token> alternative = OtherScriptBigram(b);
    if (other_script_only && !alternative) return Xapian::Query();
    if (!alternative) {
      terms.emplace_back(std::move(term));
      continue;
    }
    std::string other_term = FieldTerm(field, *alternative);
    if (other_script_only) {
      if (index_has && !index_has(other_term)) return Xapian::Query();
      terms.emplace_back(std::move(other_term));
    } else if (index_has && !index_has(other_term)) {
      terms.emplace_back(std::move(term));
    } else if (index_has && !index_has(term)) {
      terms.emplace_back(std::move(other_term));
    } else {
      terms.emplace_back(Xapian::Query::OP_OR, Xapian::Query(std::move(term)),
                         Xapian::Query(std::move(other_term)));
    }
  }
  if (terms.size() == 1) return terms.front();
  return Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end());
}

// Whether bigram `b` spans a join between two of `words` (拡散|モデル: 散モ).
bool SpansWordJoin(const Token& b, const std::vector<Token>& words) {
  for (const Token& w : words) {
    if ((w.end > b.begin && w.end < b.end) || (w.begin > b.begin && w.begin < b.end)) return true;
  }
  return false;
}

// The bigrams of each run (one per typed CJK text) that cover it: every
// other one, the last, and every one across a join between the text's
// words (ニュ ーラ ルネ ット ワー ーク, 6 of ニューラルネットワーク's 10; all
// three of 機械学習's, 械学 being across 機械|学習). Without positions, the
// AND of all of a word's bigrams checks little more than that of a cover
// of them, and each bigram is a long postlist the matcher walks:
// ニューラルネットワーク's abstract bigrams alone were 390,000 of the 790,000
// postings of 対称性 ニューラルネットワーク at 100,000 talks. A cover of
// every other bigram alone dropped the bigrams across joins, so
// 機械学習 matched 機械 and 学習 apart, and so did a quoted "機械学習" and
// an exclusion -機械学習: those ask for every bigram (AnalyzedClause).
std::vector<Token> CoveringBigrams(const std::vector<Token>& bigrams,
                                   const std::vector<Token>& words) {
  std::vector<Token> cover;
  size_t in_run = 0;  // index of bigrams[i] within its run
  for (size_t i = 0; i < bigrams.size(); ++i) {
    if (i > 0 && bigrams[i].position != bigrams[i - 1].position + 1) in_run = 0;
    const bool run_ends =
        i + 1 == bigrams.size() || bigrams[i + 1].position != bigrams[i].position + 1;
    if (in_run % 2 == 0 || run_ends || SpansWordJoin(bigrams[i], words)) {
      cover.push_back(bigrams[i]);
    }
    ++in_run;
  }
  return cover;
}

// The words of one typed word or phrase next to each other, in order. Words
// with positions (TokenKeepsPosition) are checked as a phrase, within the
// span they had in the query. CJK words have none: they must all be there,
// and the clause's bigrams too, which span the joins between the words
// (拡散|モデル: 散モ). The bigrams only filter; the words give the weight,
// as a phrase's terms do.
Xapian::Query PhraseOf(const std::vector<Token>& words, const std::vector<Token>& bigrams,
                       const TextField& field, const TermFilter& index_has) {
  std::vector<Xapian::Query> positioned, unpositioned;
  Xapian::termpos first = 0, last = 0;
  for (const Token& t : words) {
    std::string term = FieldTerm(field, t);
    if (TokenKeepsPosition(t)) {
      if (positioned.empty()) first = t.position;
      last = t.position;
      positioned.emplace_back(std::move(term));
    } else {
      unpositioned.emplace_back(std::move(term));
    }
  }
  if (words.size() == 1) return positioned.empty() ? unpositioned.front() : positioned.front();
  std::vector<Xapian::Query> parts = std::move(unpositioned);
  if (positioned.size() > 1) {
    parts.emplace_back(Xapian::Query::OP_PHRASE, positioned.begin(), positioned.end(),
                       last - first + 1);
  } else if (!positioned.empty()) {
    parts.push_back(positioned.front());
  }
  Xapian::Query all(Xapian::Query::OP_AND, parts.begin(), parts.end());
  if (positioned.size() == words.size() || bigrams.empty()) return all;
  return Xapian::Query(Xapian::Query::OP_FILTER, all, BigramQuery(bigrams, field, index_has));
}

// The words of one typed word or phrase. A quoted phrase must match as a
// phrase; an unquoted compound (格子QCD, physics-informed) also matches with
// its words apart, scoring less than the adjacent form.
Xapian::Query WordsQuery(const std::vector<Token>& words, const std::vector<Token>& bigrams,
                         const TextField& field, bool phrase_only, const TermFilter& index_has) {
  Xapian::Query phrase = PhraseOf(words, bigrams, field, index_has);
  if (phrase_only || words.size() == 1) return phrase;
  std::vector<Xapian::Query> terms;
  for (const Token& t : words) terms.emplace_back(FieldTerm(field, t));
  return Xapian::Query(Xapian::Query::OP_OR, phrase,
                       Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()));
}

// One typed word or phrase, analysed once and queried in every field.
struct AnalyzedClause {
  std::string text;  // as typed
  std::vector<Token> words, bigrams, readings, name_readings;
  // The parts of a typed compound (機械 and 学習 of 機械学習): where the
  // index lacks the compound as a word, it is searched as its parts.
  std::vector<Token> subwords;
  // Typed in hiragana: MeCab splits a hiragana word inside running text
  // its own way (ではにせものについて), so only the bigrams find it there.
  bool is_hiragana = false;
  bool is_phrase = false;
  // A quoted phrase or an exclusion: its bigram form asks for every bigram
  // (not a CoveringBigrams cover), so that it is exactly the text.
  bool every_bigram = false;
  std::optional<TextFieldId> field;

  bool empty() const { return words.empty() && bigrams.empty() && readings.empty(); }
};

// Marks the words of an analysed text in titles and snippets: each word,
// and each run of consecutive CJK bigrams (one per Japanese word).
void MarkForHighlight(const std::vector<Token>& tokens, BuiltQuery* built) {
  if (!built) return;
  std::vector<std::string> run;
  const Token* previous_bigram = nullptr;
  for (const Token& t : tokens) {
    if (t.kind == TermKind::kWord) built->word_terms.insert(t.term);
    if (t.kind != TermKind::kBigram) continue;
    if (previous_bigram && t.position != previous_bigram->position + 1) {
      built->bigram_runs.insert(run);
      run.clear();
    }
    run.push_back(t.term);
    previous_bigram = &t;
  }
  if (!run.empty()) built->bigram_runs.insert(run);
}

AnalyzedClause AnalyzeClause(const TextClause& clause, Analyzer& analyzer, BuiltQuery* built) {
  AnalyzedClause a;
  a.text = clause.text;
  a.is_phrase = clause.is_phrase;
  a.every_bigram = clause.is_phrase;
  a.field = clause.field;
  const std::vector<Token> tokens = analyzer.Analyze(clause.text);
  MarkForHighlight(tokens, built);
  for (const Token& t : tokens) {
    switch (t.kind) {
      case TermKind::kWord: a.words.push_back(t); break;
      case TermKind::kBigram: a.bigrams.push_back(t); break;
      case TermKind::kReading: a.readings.push_back(t); break;
      case TermKind::kSubword: a.subwords.push_back(t); break;
    }
  }
  // Readings find the kanji of a word typed in kana (かくさん → 拡散).
  // Katakana typed is a word spelled as it is read, so its reading bigrams
  // are its own bigrams again: a title that has the word scored it three
  // times (word, bigram, reading). Measured: nDCG@10 own 0.9563 → 0.9562,
  // shared 0.9696 → 0.9718, recall@10 own 0.932 → 0.936, the same talks
  // found for every katakana judged query.
  const std::string normalized = NormalizeString(clause.text);
  const Script script = ScriptOfNormalized(normalized);
  a.is_hiragana = script == Script::kKana && !IsKatakanaNormalized(normalized);
  if (script != Script::kKana || IsKatakanaNormalized(normalized)) a.readings.clear();
  // Romaji name readings serve person fields.
  if (!clause.is_phrase) a.name_readings = NameReadings(clause.text, analyzer);
  if (built) {
    for (const std::vector<Token>* readings : {&a.readings, &a.name_readings}) {
      for (const Token& t : *readings) built->reading_bigrams.insert(t.term);
    }
  }
  return a;
}

// Records how the tokens' terms in `field` came about. From the tokens, not
// Query::get_unique_terms, which walks (and sorts) the whole query each time.
void LabelTerms(const std::vector<Token>& tokens, const TextField& field, const char* via,
                const std::string& typed, BuiltQuery* built) {
  if (!built) return;
  for (const Token& t : tokens) {
    std::string term = FieldTerm(field, t);
    built->term_origin.emplace(term, BuiltQuery::TermOrigin{typed});
    built->term_via.emplace(std::move(term), via);
  }
}

// The clause in one field, before the field's weight: words, plus bigrams
// (×0.35) and readings (×0.5). OP_OR with small bigram and reading weights,
// not OP_MAX: Xapian 1.4.22 segfaults matching OP_MAX over several
// databases (reproduced with OR(MAX(a,b), MAX(c,d)) on two local shards of
// 648 talks; tests/shard_test.cc), and OR with these weights ranks as well
// on the judged sets (own 0.951 vs 0.952, shared 0.967 both), still without
// letting one word's three forms outweigh a talk that matches every word of
// the query. Empty if nothing applies. Forms with a term the index lacks
// cannot match and are left out (each term costs a postlist lookup).
Xapian::Query FieldQuery(const AnalyzedClause& a, const TextField& field,
                         const RankingParams& params, const TermFilter& index_has,
                         BuiltQuery* built) {
  if (a.field && *a.field != field.id) return Xapian::Query();
  auto present = [&](const std::vector<Token>& tokens) {
    if (!index_has) return true;
    for (const Token& t : tokens) {
      if (index_has(FieldTerm(field, t))) continue;
      const std::optional<Token> alternative = OtherScriptBigram(t);
      if (!alternative || !index_has(FieldTerm(field, *alternative))) return false;
    }
    return true;
  };
  std::vector<Xapian::Query> forms;
  const bool words_indexed = !a.words.empty() && present(a.words);
  // A typed compound the field lacks as a word is its parts next to each
  // other, their join checked by the bigram across it (械学 of 機械|学習).
  // Not its parts apart: on the natural judged set that form cost 0.006
  // nDCG@10; typed with a space (機械 学習), the words are found apart.
  const bool as_parts = !words_indexed && a.words.size() == 1 && a.subwords.size() > 1 &&
                        present(a.subwords);
  const std::vector<Token>& words = as_parts ? a.subwords : a.words;
  if (words_indexed || as_parts) {
    const bool phrase_only = a.is_phrase || as_parts;
    forms.push_back(WordsQuery(words, a.bigrams, field, phrase_only, index_has));
    LabelTerms(words, field,
               field.is_person_name ? "name" : a.is_phrase && words.size() > 1 ? "phrase" : "word",
               a.text, built);
  }
  // A single typed word the field has as a word needs no bigram form: its
  // bigrams would find it inside other words, and those long postlists were
  // most of a search's postings. Measured (100,000 generated talks, judged
  // keyword queries, with the analyzer's bigrams kept apart from hiragana):
  // p99 12.8–13.3 → 8.6–9.7 ms; nDCG@10 own 0.9591 → 0.9599, shared
  // natural 0.908 → 0.921, the other sets unchanged (bench/README.md).
  // But a word typed in hiragana keeps it (MeCab splits hiragana in running
  // text its own way: ではにせものについて), and one typed in katakana keeps
  // the bigrams of its hiragana spelling (イヌ finds いぬ in a sentence).
  const bool word_alone =
      words_indexed && a.words.size() == 1 && !a.every_bigram && !field.is_person_name &&
      !a.is_hiragana &&
      std::all_of(a.bigrams.begin(), a.bigrams.end(), [&](const Token& b) {
        return b.begin >= a.words[0].begin && b.end <= a.words[0].end;  // the word is the text
      });
  if (!a.bigrams.empty() && present(a.bigrams)) {
    const std::vector<Token> cover =
        a.every_bigram ? a.bigrams : CoveringBigrams(a.bigrams, words);
    Xapian::Query q = BigramQuery(cover, field, index_has, word_alone);
    if (!q.empty()) {
      // Both spellings of a kana bigram, so a talk matched by either is
      // shown as matched by its bigrams.
      std::vector<Token> labelled = cover;
      for (const Token& b : cover) {
        if (std::optional<Token> alternative = OtherScriptBigram(b)) labelled.push_back(*alternative);
      }
      LabelTerms(labelled, field, field.is_person_name ? "name" : "bigram", a.text, built);
      forms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, q, params.bigram_weight);
    }
  }
  const bool romaji = field.is_person_name && !a.name_readings.empty();
  const auto& readings = romaji ? a.name_readings : a.readings;
  if (FieldHasTermsOf(field, TermKind::kReading) && !readings.empty() && present(readings)) {
    Xapian::Query q = BigramQuery(readings, field);
    LabelTerms(readings, field, romaji ? "name" : "reading", a.text, built);
    forms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, q, params.reading_weight);
  }
  return Xapian::Query(Xapian::Query::OP_OR, forms.begin(), forms.end());
}

// A typed word or phrase in every field, each with its weight. One none of
// whose forms is in the index is kAbsentTerm rather than empty, so that it
// still counts as a word the query asks for.
Xapian::Query AcrossFields(const AnalyzedClause& clause, const RankingParams& params,
                           const TermFilter& index_has, BuiltQuery* built) {
  std::vector<Xapian::Query> per_field;
  for (const TextField& field : kTextFields) {
    // A field named in the query (title:…) is searched alone at weight 1.
    const double weight = clause.field.has_value() ? 1.0 : params.FieldWeight(field.id);
    if (weight <= 0) continue;
    Xapian::Query q = FieldQuery(clause, field, params, index_has, built);
    if (!q.empty()) per_field.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, q, weight);
  }
  if (per_field.empty() && index_has) return Xapian::Query(std::string(kAbsentTerm));
  return Xapian::Query(Xapian::Query::OP_OR, per_field.begin(), per_field.end());
}

// A glossary concept, in any of its forms: the concept term of each field
// that has one (narrower and related ones: titles and abstracts), with the
// field's weight.
Xapian::Query ConceptQuery(const Glossary& glossary, size_t concept, ConceptLink link,
                           const RankingParams& params, const TermFilter& index_has,
                           BuiltQuery* built) {
  std::vector<Xapian::Query> per_field;
  for (const TextField& field : kTextFields) {
    if (ConceptPrefix(field, link).empty()) continue;
    const double weight = params.FieldWeight(field.id);
    if (weight <= 0) continue;
    std::string term = ConceptTerm(field, link, glossary, concept);
    if (index_has && !index_has(term)) continue;
    if (built) {
      built->term_via.emplace(term, link == ConceptLink::kSelf ? "glossary" : "related");
      built->term_origin.emplace(term, BuiltQuery::TermOrigin{"", concept});
    }
    per_field.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(std::move(term)), weight);
  }
  return Xapian::Query(Xapian::Query::OP_OR, per_field.begin(), per_field.end());
}

// Marks the forms of a concept the query reaches in titles and snippets,
// from the glossary's analysis of them: a broad concept reaches dozens of
// narrower forms, and analysing them again (even from the analyzer's cache)
// was an eighth of a search on the seminar corpus.
// A form of several words is marked only whole (BuiltQuery::phrase_forms):
// word by word, "physics-informed neural network" marked the Physics of
// Nature Physics, and Hopfield模型 the 模型 of イジング模型.
void HighlightForms(const Glossary& glossary, size_t concept, BuiltQuery* built) {
  if (!built) return;
  const std::vector<std::vector<Token>>& form_tokens = glossary.FormTokens(concept);
  const std::vector<std::string>& forms = glossary.concepts()[concept];
  for (size_t f = 0; f < form_tokens.size(); ++f) {
    const size_t words = std::count_if(form_tokens[f].begin(), form_tokens[f].end(),
                                       [](const Token& t) { return t.kind == TermKind::kWord; });
    // Latin and CJK in one word (Hopfield模型) is a phrase too: its CJK
    // bigrams alone were a run of their own (模型).
    const std::string& form = f < forms.size() ? forms[f] : std::string();
    const bool has_latin = std::any_of(form.begin(), form.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0;
    });
    const bool has_other = std::any_of(form.begin(), form.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0x80) != 0;
    });
    if ((words > 1 || (has_latin && has_other)) && f < forms.size()) {
      built->phrase_forms.insert(forms[f]);
    } else {
      MarkForHighlight(form_tokens[f], built);
    }
  }
}

Xapian::Query ClauseQuery(const TextClause& clause, Analyzer& analyzer,
                          const RankingParams& params, const TermFilter& index_has,
                          BuiltQuery* built, bool excluded = false) {
  AnalyzedClause a = AnalyzeClause(clause, analyzer, built);
  a.every_bigram = a.every_bigram || excluded;
  if (a.empty()) return Xapian::Query();
  return AcrossFields(a, params, index_has, built);
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
                            const TermFilter& index_has, BuiltQuery* built, size_t* end) {
  size_t limit = start;
  while (limit < groups.size() && limit - start < glossary.max_form_words() &&
         IsPlainGroup(groups[limit])) {
    ++limit;
  }
  if (groups[start][0].scaffolding) return Xapian::Query();  // a form starts with a word
  for (size_t stop = limit; stop > start; --stop) {
    if (groups[stop - 1][0].scaffolding) continue;
    std::string typed;
    for (size_t k = start; k < stop; ++k) typed += (k > start ? " " : "") + groups[k][0].text;
    std::string key = Glossary::Key(typed, analyzer);
    size_t concept = glossary.FindConcept(key);
    // Japanese compounds are often typed with spaces between their words
    // (量子 機械学習 for 量子機械学習).
    if (concept == Glossary::kNoConcept && stop - start > 1 && ScriptOf(typed) != Script::kLatin) {
      std::string joined;
      for (size_t k = start; k < stop; ++k) joined += groups[k][0].text;
      if (ScriptOf(joined) != Script::kLatin) {
        const std::string joined_key = Glossary::Key(joined, analyzer);
        concept = glossary.FindConcept(joined_key);
        if (concept != Glossary::kNoConcept) key = joined_key;
      }
    }
    const bool is_form = concept != Glossary::kNoConcept;
    // Kana may spell a concept's reading (そうてんい → 相転移).
    std::string typed_reading;  // set when the concept was found so
    if (concept == Glossary::kNoConcept && ScriptOf(typed) == Script::kKana) {
      typed_reading = analyzer.ReadingOf(typed);
      concept = glossary.FindConceptByReading(typed_reading);
    }
    if (concept == Glossary::kNoConcept) continue;
    if (built && is_form) {
      for (size_t k = start; k < stop; ++k) built->glossary_words.insert(groups[k][0].text);
    }
    const std::vector<std::string>* forms = &glossary.concepts()[concept];
    std::vector<Xapian::Query> literal;
    // Kana read as a form (かくさんもでる) is marked as the form, not as the
    // words MeCab makes of the kana: their サン marked the サン of サンプリング.
    std::optional<std::pair<std::set<std::string>, std::set<std::vector<std::string>>>> marked;
    if (built && !typed_reading.empty()) marked.emplace(built->word_terms, built->bigram_runs);
    for (size_t k = start; k < stop; ++k) {
      if (groups[k][0].scaffolding) continue;  // "of" of University of Tokyo: the concept says it
      Xapian::Query q = ClauseQuery(groups[k][0], analyzer, params, index_has, built);
      if (!q.empty()) literal.push_back(q);
    }
    if (marked) {
      built->word_terms = std::move(marked->first);
      built->bigram_runs = std::move(marked->second);
    }
    // Kana that reads as a form is that word typed in kana: the form counts
    // as typed (そうてんい is 相転移, not a synonym of it).
    const std::vector<std::string>& form_readings = glossary.FormReadings(concept);
    for (size_t f = 0; f < forms->size(); ++f) {
      const std::string& form = (*forms)[f];
      if (typed_reading.empty() || form_readings[f] != typed_reading) continue;
      if (Glossary::Key(form, analyzer) == key) continue;  // what was typed
      Xapian::Query q = ClauseQuery(TextClause{form, false, std::nullopt}, analyzer, params,
                                    index_has, built);
      if (!q.empty()) literal.push_back(q);
    }
    *end = stop;
    std::vector<Xapian::Query> widened{Xapian::Query(default_op, literal.begin(), literal.end())};
    // The concept in any form, the typed one included: a talk that names it
    // in another language or spelling is found, one that says what was
    // typed scores more.
    auto add = [&](ConceptLink link, double weight) {
      if (weight <= 0) return;
      Xapian::Query q = ConceptQuery(glossary, concept, link, params, index_has, built);
      if (!q.empty()) widened.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, q, weight);
    };
    add(ConceptLink::kSelf, params.glossary_weight);
    HighlightForms(glossary, concept, built);
    // A quoted phrase asks for those words: no wider concepts. Otherwise the
    // talks naming a narrower concept (an instance of what was asked, and
    // marked) or a related one (which only explains the rank).
    bool quoted = false;
    for (size_t k = start; k < stop; ++k) quoted |= groups[k][0].is_phrase;
    if (!quoted) {
      add(ConceptLink::kNarrower, params.narrower_weight);
      add(ConceptLink::kRelated, params.related_weight);
      for (size_t id : glossary.Narrower(concept, ConceptMatcher::kNarrowerDepth)) {
        HighlightForms(glossary, id, built);
      }
    }
    if (widened.size() == 1) return widened.front();
    return Xapian::Query(Xapian::Query::OP_OR, widened.begin(), widened.end());
  }
  return Xapian::Query();
}

}  // namespace

BuiltQuery BuildQuery(const ParsedQuery& parsed, Analyzer& analyzer,
                      const RankingParams& params, const Glossary* glossary,
                      const std::string& default_collection, const TermFilter& index_has) {
  BuiltQuery built;
  const auto op = params.default_operator == DefaultOperator::kAnd ? Xapian::Query::OP_AND
                                                                    : Xapian::Query::OP_OR;
  std::vector<Xapian::Query> groups;  // every group, optional ones weighted down
  // A group is optional when every clause it was made of is (a verb of a
  // typed sentence): it scores, but does not count among every word.
  auto add_group = [&](Xapian::Query q, size_t first, size_t end) {
    bool optional = true;
    std::string text;
    for (size_t k = first; k < end; ++k) {
      for (const TextClause& c : parsed.groups[k]) optional = optional && c.optional;
      text += (k > first ? " " : "") + parsed.groups[k].front().text;
    }
    if (optional) {
      groups.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, q, params.optional_word_weight);
    } else {
      groups.push_back(q);
      built.required_words.push_back({q, std::move(text)});
    }
  };
  for (size_t i = 0; i < parsed.groups.size();) {
    if (glossary && IsPlainGroup(parsed.groups[i])) {
      size_t end = i;
      Xapian::Query q = GlossaryQuery(parsed.groups, i, *glossary, analyzer, params, op,
                                      index_has, &built, &end);
      if (end > i) {
        if (!q.empty()) add_group(q, i, end);
        i = end;
        continue;
      }
    }
    std::vector<Xapian::Query> alternatives;
    for (const TextClause& clause : parsed.groups[i]) {
      if (clause.scaffolding) continue;  // not part of a glossary form: nothing
      Xapian::Query q = ClauseQuery(clause, analyzer, params, index_has, &built);
      if (!q.empty()) alternatives.push_back(q);
    }
    if (!alternatives.empty()) {
      add_group(Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end()), i,
                i + 1);
    }
    ++i;
  }

  // collection:all is a filter too (it lifts the default one), and so is an
  // excluded filter (-year:2020): alone, each lists what it selects.
  const bool has_filters = !parsed.filters.empty() || parsed.all_collections ||
                           !parsed.excluded_filters.empty() || parsed.list_without_words;
  Xapian::Query query;
  Xapian::Query any_word, every_word;
  if (!groups.empty()) {
    query = Xapian::Query(op, groups.begin(), groups.end());
    if (params.default_operator == DefaultOperator::kSoftAnd && groups.size() > 1) {
      any_word = query;
      std::vector<Xapian::Query> required;
      for (const BuiltQuery::RequiredWord& w : built.required_words) required.push_back(w.query);
      if (required.empty() || required.size() == groups.size()) {
        every_word = Xapian::Query(Xapian::Query::OP_AND, groups.begin(), groups.end());
      } else {
        // Scored as the any-word part (the optional words too), so that a
        // talk's score is its any-word score times 1 + all_words_weight.
        every_word = Xapian::Query(
            Xapian::Query::OP_FILTER, any_word,
            Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end()));
      }
      query = Xapian::Query(
          Xapian::Query::OP_OR,
          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, every_word, params.all_words_weight),
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
    Xapian::Query q = ClauseQuery(clause, analyzer, params, index_has, nullptr, true);
    if (!q.empty()) excluded.push_back(q);
  }
  for (const std::string& term : parsed.excluded_filters) excluded.emplace_back(term);
  std::vector<Xapian::Query> filters;
  for (const auto& [prefix, terms] : parsed.filters) filters.push_back(OrOfTerms(terms));
  if (!parsed.all_collections && !parsed.filters.count(std::string(kCollectionPrefix)) &&
      !default_collection.empty()) {
    filters.emplace_back(std::string(kCollectionPrefix) + default_collection);
  }
  // The exclusions and filters, around the words.
  auto restrict = [excluded, filters](Xapian::Query q) {
    if (!excluded.empty()) {
      q = Xapian::Query(Xapian::Query::OP_AND_NOT, q,
                        Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
    }
    if (!filters.empty()) {
      q = Xapian::Query(Xapian::Query::OP_FILTER, q,
                        Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    }
    return q;
  };
  built.restrict = restrict;
  built.query = restrict(query);
  if (!any_word.empty()) {
    built.any_word_query = restrict(any_word);
    built.every_word_query = restrict(every_word);
  }
  return built;
}

}  // namespace talksearch
