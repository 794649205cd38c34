// Queries as people type them: a Japanese sentence without spaces
// (機械学習で相転移を検出する方法), an English question ("how are evolutionary
// algorithms used in physics?"), a name with an honorific (橋本さんの講演).
//
// SplitNaturalClauses turns such text into the words a search looks for,
// before the query is built:
//   - Japanese text is split by MeCab: a run of nouns (with prefixes,
//     suffixes and numbers) stays one compound — one clause, matched as
//     today, its parts as weaker alternatives; particles and auxiliaries
//     split runs and are dropped.
//   - Content verbs and adjectives (解く, 見分ける) become optional clauses:
//     they add to a talk's score, but a talk without them still has "every
//     word" of the query.
//   - Scaffolding carries no weight and is dropped: question and request
//     words (方法, どう, なぜ, 知りたい, ありますか; how, what, why, can, are,
//     used), honorifics (さん, 先生, 氏) and words about talks themselves
//     (講演, 発表, 研究, talk, seminar). An English one stays a clause
//     marked scaffolding, for a glossary form that holds it (University of
//     Tokyo); alone it counts for nothing. A query of scaffolding alone
//     ("研究") is searched as typed.
// Quoted phrases, field-restricted words (title:…), exclusions and OR
// groups are left as typed; so is text wholly in kana (はしもとこうじ is a
// name's reading, not a sentence to split).
#ifndef TALKSEARCH_NATURAL_QUERY_H_
#define TALKSEARCH_NATURAL_QUERY_H_

#include <string>
#include <vector>

#include "talksearch/analyzer.h"
#include "talksearch/query_parser.h"

namespace talksearch {

// Rewrites `parsed` in place (see above).
void SplitNaturalClauses(ParsedQuery& parsed, Analyzer& analyzer);

// Whether a normalized English word is scaffolding of a question or a
// request (how, are, the, used, talk, …).
bool IsEnglishScaffolding(const std::string& normalized_word);

}  // namespace talksearch

#endif  // TALKSEARCH_NATURAL_QUERY_H_
