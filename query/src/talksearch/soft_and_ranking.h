// How a search ranks: the BM25 parameters and time limit of every ranking
// Enquire, the sort orders, and the soft AND — talks with every typed word
// first, the others after — ranked in two parts (EveryWordFirst), or
// relaxed when no talk has every word (RelaxedEveryWord). Internal to the
// query library (the searcher's parts).
//
// Free functions: safe from any thread on its own Xapian::Database.
#ifndef TALKSEARCH_SOFT_AND_RANKING_H_
#define TALKSEARCH_SOFT_AND_RANKING_H_

#include <xapian.h>

#include <string>
#include <utility>
#include <vector>

#include "talksearch/halves_ranker.h"
#include "talksearch/query_builder.h"
#include "talksearch/searcher.h"
#include "talksearch/term_at_a_time.h"

namespace talksearch {

// The BM25 parameters and time limit of every ranking Enquire.
ScoringParameters ScoringOf(const RankingParams& params);

// Sets the ranking's BM25 parameters and the matcher's time limit
// (ScoringOf).
void SetUpRanking(Xapian::Enquire& enquire, const RankingParams& params);
// An Enquire on `db` set up so.
Xapian::Enquire RankingEnquire(const Xapian::Database& db, const RankingParams& params);

// Sets `sort`'s order, on the date slot (ties by relevance, or by the
// newest talk first).
void SetUpSort(Xapian::Enquire& enquire, SortOrder sort);

// Whether match a ranks before b in `sort`'s order, as SetUpSort has Xapian
// sort (the sort key is the date; HalvesRanker puts the lower id first on
// ties).
bool RanksBefore(const RankedMatches::Match& a, const RankedMatches::Match& b, SortOrder sort);

// The UUIDs of the local databases `db` joins, in order (Xapian joins them
// with ':'); empty if any is missing or two are the same, since
// EveryWordFirst tells the databases apart by them.
std::vector<std::string> LocalDatabaseUuids(const Xapian::Database& db);

// Talks that need not score more than a page can hold more than this many
// candidates (EveryWordFirst).
inline constexpr size_t kEveryWordCandidates = 50;

// The best `wanted` talks of a soft-AND query on `db`, with the scores the
// one query gives: from `any_word`, the best of its any-word part
// (BuiltQuery::any_word_query; at least `wanted`), each checked for every
// word; and when a talk below those could still reach the page, the best
// `wanted` of `every_word_query`. The every-word part, evaluated over every
// match of the one query, was the slowest part of broad queries.
// `database_uuids`: the local databases' UUIDs, in order (for their
// document ids; see LocalDatabaseUuids). `with_every_word`: how many of
// the candidates have every word.
std::vector<std::pair<Xapian::docid, double>> EveryWordFirst(
    const Xapian::Database& db, const RankingParams& params, const RankedMatches& any_word,
    const Xapian::Query& every_word_query, size_t wanted,
    const std::vector<std::string>& database_uuids, size_t* with_every_word = nullptr);

// For a query no talk matches with every word: the query of the talks
// with every required word of `built` that some talk has, or, when no
// talk has those together, MatchNothing (any word, none required); the
// words no longer required, as typed, in `dropped`.
Xapian::Query RelaxedEveryWord(const Xapian::Database& db, const BuiltQuery& built,
                               std::vector<std::string>* dropped);

}  // namespace talksearch

#endif  // TALKSEARCH_SOFT_AND_RANKING_H_
