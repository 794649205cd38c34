// An OR of weighted terms scored term at a time (ScoreTermsAtATime) matches
// the documents Xapian's OR tree matches, with Xapian's BM25 weights, under
// the same factors, filters and exclusions, within a range of document ids;
// the parts that are not terms keep Xapian's own weights.
#include "talksearch/term_at_a_time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "talksearch/index_build.h"
#include "talksearch/schema.h"
#include "talksearch/soft_and_ranking.h"
#include "test_index.h"

namespace talksearch {
namespace {

using Weights = std::map<Xapian::docid, double>;

constexpr ScoringParameters kScoring{1.0, 0.2, 0.5};

// Every match of `query` over `db`, with its weight, as an Enquire with
// kScoring gives them.
Weights MatchesOf(const Xapian::Database& db, const Xapian::Query& query,
                  const ScoringParameters& scoring = kScoring) {
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(
      Xapian::BM25Weight(scoring.k1, 0, 0, scoring.b, scoring.min_normlen));
  enquire.set_query(query);
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount(), db.get_doccount());
  Weights weights;
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
    weights[*it] = it.get_weight();
  }
  return weights;
}

// The same documents, and weights equal but for the order of the additions.
void ExpectSameWeights(const Weights& expected, const Weights& actual) {
  ASSERT_EQ(expected.size(), actual.size());
  for (const auto& [docid, weight] : expected) {
    auto it = actual.find(docid);
    ASSERT_NE(it, actual.end()) << "document " << docid;
    EXPECT_NEAR(it->second, weight, 1e-9 * std::max(1.0, weight)) << "document " << docid;
  }
}

bool ScoredTermAtATime(const Xapian::Query& query) {
  return query.get_description().find("TermAtATimeSource") != std::string::npos;
}

// Terms of the corpus index: the `count` most frequent ones with `prefix`
// (and no longer prefix: plain words are lowercase or not Latin).
std::vector<std::string> FrequentTerms(const Xapian::Database& db, const std::string& prefix,
                                       size_t count) {
  std::vector<std::pair<Xapian::doccount, std::string>> by_frequency;
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
    const std::string rest = (*t).substr(prefix.size());
    if (rest.empty() || (rest[0] >= 'A' && rest[0] <= 'Z')) continue;
    by_frequency.emplace_back(t.get_termfreq(), *t);
  }
  std::sort(by_frequency.rbegin(), by_frequency.rend());
  std::vector<std::string> terms;
  for (size_t i = 0; i < by_frequency.size() && i < count; ++i) {
    terms.push_back(by_frequency[i].second);
  }
  return terms;
}

// Two terms at neighbouring positions of a talk.
std::pair<std::string, std::string> AdjacentTerms(const Xapian::Database& db) {
  for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d) {
    std::map<Xapian::termpos, std::string> at;
    for (auto t = db.termlist_begin(*d); t != db.termlist_end(*d); ++t) {
      for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) at[*p] = *t;
    }
    for (auto it = at.begin(); it != at.end() && std::next(it) != at.end(); ++it) {
      const auto next = std::next(it);
      if (next->first == it->first + 1 && next->second != it->second) {
        return {it->second, next->second};
      }
    }
  }
  return {};
}

Xapian::Query Scaled(double factor, Xapian::Query q) {
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, std::move(q), factor);
}

class TermAtATimeTest : public ::testing::Test {
 protected:
  TermAtATimeTest() : db_(testing::CorpusIndexPath()), lengths_(ReadDocumentLengths(db_)) {
    words_ = FrequentTerms(db_, "", 6);
    titles_ = FrequentTerms(db_, "S", 3);
    concepts_ = FrequentTerms(db_, "XK", 3);
  }

  // A query shaped as the query builder shapes a search's words: per word,
  // title and body terms under factors, a concept under nested factors, a
  // term twice, one weightless.
  Xapian::Query WidenedWords() const {
    std::vector<Xapian::Query> groups;
    for (size_t i = 0; i < 3; ++i) {
      groups.push_back(Xapian::Query(Xapian::Query::OP_OR, Scaled(2, Xapian::Query(titles_[i])),
                                     Xapian::Query(words_[i])));
      groups.push_back(
          Scaled(6, Xapian::Query(Xapian::Query::OP_OR, Scaled(2, Xapian::Query(concepts_[i])),
                                  Scaled(0.3, Xapian::Query(words_[i + 3])))));
    }
    groups.push_back(Scaled(1.5, Xapian::Query(words_[0])));  // a term twice
    groups.push_back(Scaled(0, Xapian::Query(words_[5])));    // matches, weighs nothing
    return Xapian::Query(Xapian::Query::OP_OR, groups.begin(), groups.end());
  }

  Xapian::Database db_;
  std::shared_ptr<const DocumentLengths> lengths_;
  TermScores scores_;
  std::vector<std::string> words_, titles_, concepts_;
};

TEST_F(TermAtATimeTest, ScoresAnOrOfTermsAsXapianDoes) {
  ASSERT_EQ(words_.size(), 6u);
  ASSERT_EQ(titles_.size(), 3u);
  ASSERT_EQ(concepts_.size(), 3u);
  const Xapian::Query query = WidenedWords();
  const Xapian::Query scored =
      ScoreTermsAtATime(query, db_, kScoring, lengths_, 1, db_.get_lastdocid(), &scores_);
  EXPECT_TRUE(ScoredTermAtATime(scored));
  const Weights expected = MatchesOf(db_, query);
  EXPECT_GT(expected.size(), db_.get_doccount() / 2);  // a broad query
  ExpectSameWeights(expected, MatchesOf(db_, scored));
}

TEST_F(TermAtATimeTest, OtherScoringParametersToo) {
  const ScoringParameters scoring{1.2, 0.75, 0.3};
  const Xapian::Query query = WidenedWords();
  const Xapian::Query scored =
      ScoreTermsAtATime(query, db_, scoring, lengths_, 1, db_.get_lastdocid(), &scores_);
  ASSERT_TRUE(ScoredTermAtATime(scored));
  ExpectSameWeights(MatchesOf(db_, query, scoring), MatchesOf(db_, scored, scoring));
}

TEST_F(TermAtATimeTest, KeepsTheFiltersAndExclusionsAroundIt) {
  const Xapian::Query query(
      Xapian::Query::OP_FILTER,
      Xapian::Query(Xapian::Query::OP_AND_NOT, WidenedWords(), Xapian::Query(words_[4])),
      Xapian::Query(DefaultCollectionTerm()));
  const Xapian::Query scored =
      ScoreTermsAtATime(query, db_, kScoring, lengths_, 1, db_.get_lastdocid(), &scores_);
  ASSERT_TRUE(ScoredTermAtATime(scored));
  const Weights expected = MatchesOf(db_, query);
  EXPECT_LT(expected.size(), MatchesOf(db_, WidenedWords()).size());
  ExpectSameWeights(expected, MatchesOf(db_, scored));
}

TEST_F(TermAtATimeTest, ARangeHasOnlyItsOwnDocuments) {
  const Xapian::docid low = db_.get_lastdocid() / 3, high = 2 * db_.get_lastdocid() / 3;
  const Xapian::Query scored =
      ScoreTermsAtATime(WidenedWords(), db_, kScoring, lengths_, low, high, &scores_);
  Weights expected;
  for (const auto& [docid, weight] : MatchesOf(db_, WidenedWords())) {
    if (docid >= low && docid <= high) expected[docid] = weight;
  }
  ASSERT_FALSE(expected.empty());
  ExpectSameWeights(expected, MatchesOf(db_, scored));
}

// A phrase or an AND among the terms stays Xapian's, under its factor: a
// document weighs what the term part and each such part give it, added.
TEST_F(TermAtATimeTest, LeavesTheOtherPartsToXapian) {
  const Xapian::Query terms(Xapian::Query::OP_OR, Scaled(2, Xapian::Query(titles_[0])),
                            Xapian::Query(words_[1]));
  const Xapian::Query both(Xapian::Query::OP_AND, Xapian::Query(words_[0]),
                           Xapian::Query(words_[2]));
  const auto [first, second] = AdjacentTerms(db_);
  ASSERT_FALSE(first.empty());
  const std::vector<Xapian::Query> positioned = {Xapian::Query(first), Xapian::Query(second)};
  const Xapian::Query phrase(Xapian::Query::OP_PHRASE, positioned.begin(), positioned.end(), 2);
  const Xapian::Query query(Xapian::Query::OP_OR, terms,
                            Scaled(3, Xapian::Query(Xapian::Query::OP_OR, both, phrase)));
  const Xapian::Query scored =
      ScoreTermsAtATime(query, db_, kScoring, lengths_, 1, db_.get_lastdocid(), &scores_);
  ASSERT_TRUE(ScoredTermAtATime(scored));
  Weights expected = MatchesOf(db_, terms);
  for (const Xapian::Query& part : {both, phrase}) {
    const Weights of_part = MatchesOf(db_, Scaled(3, part));
    ASSERT_FALSE(of_part.empty());
    for (const auto& [docid, weight] : of_part) expected[docid] += weight;
  }
  ExpectSameWeights(expected, MatchesOf(db_, scored));
}

// Past the time limit no more terms are read: the matches so far are
// listed, and the scores say they were cut short.
TEST_F(TermAtATimeTest, StopsReadingAtTheTimeLimitAndSaysSo) {
  ScoringParameters limited = kScoring;
  limited.time_limit_seconds = 1e-9;  // over once the first term is read
  const Weights partial = MatchesOf(db_, ScoreTermsAtATime(WidenedWords(), db_, limited, lengths_,
                                                           1, db_.get_lastdocid(), &scores_));
  EXPECT_TRUE(scores_.cut_short);
  const Weights all = MatchesOf(db_, WidenedWords());
  EXPECT_GT(partial.size(), 0u);
  EXPECT_LT(partial.size(), all.size());
  for (const auto& [docid, weight] : partial) EXPECT_TRUE(all.count(docid)) << docid;
  // Without a limit, every match, and not cut short.
  ExpectSameWeights(all, MatchesOf(db_, ScoreTermsAtATime(WidenedWords(), db_, kScoring, lengths_,
                                                          1, db_.get_lastdocid(), &scores_)));
  EXPECT_FALSE(scores_.cut_short);
}

// Over shards searched as one, Xapian gives the source each shard with its
// own ids: the weights are still those of the whole (its statistics), in
// the whole's order, over the whole and over a range of its ids.
TEST_F(TermAtATimeTest, OverShardsAsOverOneDatabase) {
  const std::string dir = testing::MakeTempDir("taat-shards") + "/index";
  UpdateShardedIndex(dir, testing::Corpus().talks,
                     testing::ShardsWith(3, testing::GlossaryOfRepo()));
  const Xapian::Database sharded(dir);
  const std::vector<std::string> uuids = LocalDatabaseUuids(sharded);
  ASSERT_EQ(uuids.size(), 3u);
  const auto lengths = ReadDocumentLengths(sharded);
  const Xapian::Query query = WidenedWords();
  const Weights all = MatchesOf(sharded, query);
  ASSERT_GT(all.size(), sharded.get_doccount() / 2);
  ExpectSameWeights(
      all, MatchesOf(sharded, ScoreTermsAtATime(query, sharded, kScoring, lengths, 1,
                                                sharded.get_lastdocid(), &scores_, uuids)));
  const Xapian::docid low = sharded.get_lastdocid() / 3 + 1, high = 2 * sharded.get_lastdocid() / 3;
  Weights within;
  for (const auto& [docid, weight] : all) {
    if (docid >= low && docid <= high) within[docid] = weight;
  }
  ExpectSameWeights(within, MatchesOf(sharded, ScoreTermsAtATime(query, sharded, kScoring, lengths,
                                                                 low, high, &scores_, uuids)));
}

TEST_F(TermAtATimeTest, LeavesAQueryWithoutAnOrOfTermsAsItIs) {
  const Xapian::Query every_word(Xapian::Query::OP_AND, Xapian::Query(words_[0]),
                                 Xapian::Query(words_[1]));
  EXPECT_EQ(ScoreTermsAtATime(every_word, db_, kScoring, lengths_, 1, db_.get_lastdocid(), &scores_)
                .serialise(),
            every_word.serialise());
  // Filtered: the filter is not weighted.
  const Xapian::Query filtered(
      Xapian::Query::OP_FILTER, every_word,
      Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(words_[2]), Xapian::Query(words_[3])));
  EXPECT_EQ(ScoreTermsAtATime(filtered, db_, kScoring, lengths_, 1, db_.get_lastdocid(), &scores_)
                .serialise(),
            filtered.serialise());
}

}  // namespace
}  // namespace talksearch
