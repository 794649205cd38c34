// A search ranked in two halves on two threads (HalvesRanker) answers
// exactly as one thread does: the same hits, scores, order, totals, facets
// and pages, and it follows the index when it changes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <climits>
#include <filesystem>

#include "talksearch/halves_ranker.h"
#include "talksearch/index_build.h"
#include "talksearch/index_writer.h"
#include "talksearch/relevance.h"
#include "talksearch/schema.h"
#include "talksearch/searcher.h"
#include "talksearch/term_at_a_time.h"
#include "test_index.h"

namespace talksearch {
namespace {

// The judged queries' texts, from both files.
std::vector<std::string> JudgedQueries() {
  std::vector<std::string> queries;
  for (const char* file : {"tests/judged/shared_queries.tsv", "tests/judged/talks_queries.tsv"}) {
    for (const JudgedQuery& q : LoadJudgedQueries(testing::SourcePath(file))) {
      queries.push_back(q.query);
    }
  }
  return queries;
}

// `split_expected`: whether `in_halves` must have split this search.
void ExpectSameResponse(Searcher& in_halves, Searcher& one_thread, const SearchRequest& request,
                        bool split_expected = true) {
  const SearchResponse a = in_halves.Search(request);
  const bool split = in_halves.last_search_in_halves();
  const SearchResponse b = one_thread.Search(request);
  SCOPED_TRACE("query \"" + request.query + "\" offset " + std::to_string(request.offset) +
               " sort " + std::to_string(static_cast<int>(request.sort)));
  // Every search, not only the last: one that fell back to one pass would
  // compare one thread with one thread.
  EXPECT_EQ(split, split_expected);
  EXPECT_FALSE(one_thread.last_search_in_halves());
  EXPECT_EQ(a.total, b.total);
  EXPECT_EQ(a.total_exact, b.total_exact);
  ASSERT_EQ(a.hits.size(), b.hits.size());
  for (size_t i = 0; i < a.hits.size(); ++i) {
    EXPECT_EQ(a.hits[i].talk.id, b.hits[i].talk.id) << "rank " << i;
    EXPECT_EQ(a.hits[i].score, b.hits[i].score) << "rank " << i;  // the same sums, exactly
    EXPECT_EQ(a.hits[i].snippet, b.hits[i].snippet) << "rank " << i;
  }
  testing::ExpectSameFacets(a, b);
  EXPECT_EQ(a.did_you_mean, b.did_you_mean);
}

// Every judged query, by relevance and by date, first and later pages,
// over all collections too.
void ExpectSameOverJudgedQueries(Searcher& in_halves, Searcher& one_thread) {
  for (const std::string& query : JudgedQueries()) {
    for (SortOrder sort : {SortOrder::kRelevance, SortOrder::kNewest, SortOrder::kOldest}) {
      SearchRequest request;
      request.query = query;
      request.sort = sort;
      ExpectSameResponse(in_halves, one_thread, request);
      request.offset = 3;
      request.limit = 5;
      request.filters["collection"] = {"all"};
      ExpectSameResponse(in_halves, one_thread, request);
    }
  }
}

TEST(HalvesRanker, AnswersAsOneThreadDoes) {
  Searcher in_halves(testing::CorpusIndexPath(), testing::Model(), testing::GlossaryOfRepo());
  in_halves.set_parallel_min_documents(0);
  Searcher one_thread(testing::CorpusIndexPath(), testing::Model(), testing::GlossaryOfRepo());
  one_thread.set_parallel_min_documents(UINT_MAX);
  ExpectSameOverJudgedQueries(in_halves, one_thread);
  EXPECT_TRUE(in_halves.last_search_in_halves());
  EXPECT_FALSE(one_thread.last_search_in_halves());
}

// A new index put in the old one's place (here with the same revision, 1)
// after a searcher opened the old one: the second thread's handle, opened
// on the first search, would read the new one, so the search is not split,
// and the answer is the old index's whole, not halves of two indexes.
TEST(HalvesRanker, NeverMixesTwoIndexes) {
  const std::string dir = testing::MakeTempDir("halves-swap");
  std::vector<Talk> talks = testing::Corpus().talks;
  IndexWriter(dir + "/db", testing::Model(), 0).Update(talks);
  Searcher in_halves(dir + "/db", testing::Model());
  in_halves.set_parallel_min_documents(0);
  Searcher one_thread(dir + "/db", testing::Model());
  one_thread.set_parallel_min_documents(UINT_MAX);

  // The new index: every talk after the first quarter, so both halves differ.
  talks.erase(talks.begin(), talks.begin() + talks.size() / 4);
  IndexWriter(dir + "/new", testing::Model(), 0).Update(talks);
  ASSERT_EQ(Xapian::Database(dir + "/new").get_revision(),
            Xapian::Database(dir + "/db").get_revision());
  std::filesystem::rename(dir + "/db", dir + "/old");
  std::filesystem::rename(dir + "/new", dir + "/db");

  SearchRequest request;
  request.query = "機械学習";
  ExpectSameResponse(in_halves, one_thread, request, /*split_expected=*/false);
}

// Over local shards, whose document ids Xapian interleaves, each half holds
// half of each shard (2 shards, and 3, which do not divide the ids evenly).
TEST(HalvesRanker, AnswersOverLocalShardsAsOneThreadDoes) {
  for (size_t shards : {2, 3}) {
    SCOPED_TRACE(std::to_string(shards) + " shards");
    const std::string dir = testing::MakeTempDir("halves-shards") + "/index";
    UpdateShardedIndex(dir, testing::Corpus().talks,
                       testing::ShardsWith(shards, testing::GlossaryOfRepo()));
    Searcher in_halves(dir, testing::Model(), testing::GlossaryOfRepo());
    in_halves.set_parallel_min_documents(0);
    Searcher one_thread(dir, testing::Model(), testing::GlossaryOfRepo());
    one_thread.set_parallel_min_documents(UINT_MAX);
    ASSERT_EQ(in_halves.ShardCount(), shards);
    ExpectSameOverJudgedQueries(in_halves, one_thread);
    EXPECT_TRUE(in_halves.last_search_in_halves());
  }
}

// Over 12,000 matches: every one counted, and the deepest page the same.
TEST(HalvesRanker, CountsAndPagesManyMatchesAsOneThreadDoes) {
  Searcher in_halves(testing::ManyMatchesIndexPath(), testing::Model());
  in_halves.set_parallel_min_documents(0);
  Searcher one_thread(testing::ManyMatchesIndexPath(), testing::Model());
  one_thread.set_parallel_min_documents(UINT_MAX);
  SearchRequest request;
  request.query = "拡散モデル";
  const SearchResponse r = in_halves.Search(request);
  EXPECT_EQ(r.total, static_cast<Xapian::doccount>(testing::kManyMatches));
  EXPECT_TRUE(r.total_exact);
  for (size_t offset : {size_t{0}, size_t{10}, size_t{5000}, SearchRequest::kMaxOffset}) {
    for (SortOrder sort : {SortOrder::kRelevance, SortOrder::kNewest, SortOrder::kOldest}) {
      request.offset = offset;
      request.limit = SearchRequest::kMaxLimit;
      request.sort = sort;
      ExpectSameResponse(in_halves, one_thread, request);
      EXPECT_TRUE(in_halves.last_search_in_halves());
    }
  }
}

// The second thread's handle on the index moves with the searcher's: a talk
// added after the first search (the highest document id, so the upper half)
// is found, and one removed is gone.
TEST(HalvesRanker, FollowsTheIndexWhenItChanges) {
  const std::string db = testing::MakeTempDir("halves") + "/db";
  std::vector<Talk> talks = testing::Corpus().talks;
  IndexWriter(db, testing::Model(), 0, testing::GlossaryOfRepo()).Update(talks);
  Searcher in_halves(db, testing::Model(), testing::GlossaryOfRepo());
  in_halves.set_parallel_min_documents(0);
  EXPECT_TRUE(testing::HitIds(in_halves, "ゼブラフィッシュ発生生物学").empty());
  // The last talk written has the highest document id: the upper half.
  const Talk removed = talks.back();
  talks.pop_back();
  SearchRequest removed_title;
  removed_title.query = "\"" + removed.title + "\"";
  removed_title.filters["collection"] = {"all"};
  auto ids_of = [&](const SearchResponse& r) {
    std::vector<std::string> ids;
    for (const SearchHit& h : r.hits) ids.push_back(h.talk.id);
    return ids;
  };
  ASSERT_THAT(ids_of(in_halves.Search(removed_title)), ::testing::Contains(removed.id));

  Talk added;
  added.id = "dlap-900";
  added.title = "ゼブラフィッシュ発生生物学と深層学習";
  added.abstract = "ゼブラフィッシュの発生を深層学習で追う。";
  added.date = "2026-11-01";
  added.language = "ja";
  added.series = {"dlap"};
  added.speakers = {{"山田 花子", "架空大学", ""}};
  talks.push_back(added);
  IndexWriter(db, testing::Model(), 0, testing::GlossaryOfRepo()).Update(talks);
  ASSERT_TRUE(in_halves.Reopen());

  EXPECT_THAT(testing::HitIds(in_halves, "ゼブラフィッシュ発生生物学"), ::testing::Contains("dlap-900"));
  EXPECT_TRUE(in_halves.last_search_in_halves());
  EXPECT_THAT(ids_of(in_halves.Search(removed_title)), ::testing::Not(::testing::Contains(removed.id)));
  Searcher one_thread(db, testing::Model(), testing::GlossaryOfRepo());
  one_thread.set_parallel_min_documents(UINT_MAX);
  ExpectSameOverJudgedQueries(in_halves, one_thread);
}

// The contract directly: a query the upper half cannot get a copy of (a
// posting source Xapian cannot serialise) is ranked in one pass, and the
// same as one Enquire ranks it.
class EveryOtherTalk : public Xapian::PostingSource {  // no name(): not serialisable
 public:
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return last_ / 2; }
  Xapian::doccount get_termfreq_max() const override { return last_; }
  void init(const Xapian::Database& db) override {
    last_ = db.get_lastdocid();
    at_ = 0;
  }
  void next(double) override { at_ += at_ == 0 ? 1 : 2; }
  bool at_end() const override { return at_ > last_; }
  Xapian::docid get_docid() const override { return at_; }

 private:
  Xapian::docid last_ = 0, at_ = 0;
};

TEST(HalvesRanker, RanksAQueryItCannotCopyInOnePass) {
  Xapian::Database db(testing::CorpusIndexPath());
  HalvesRanker ranker({testing::CorpusIndexPath()});
  ASSERT_TRUE(ranker.InStepWith(db.get_uuid(), db.get_revision()));
  EveryOtherTalk source;
  const Xapian::Query query(Xapian::Query::OP_FILTER, Xapian::Query("XCOLLtalks"),
                            Xapian::Query(&source));
  auto setup = [](Xapian::Enquire& enquire, int) {
    enquire.set_sort_by_value_then_relevance(kDateSlot, true);
  };
  const RankedMatches halves = ranker.Rank(
      db, query, 0, 20, db.get_doccount(), {}, setup,
      [](const RankedMatches::Match& a, const RankedMatches::Match& b) {
        return a.sort_key > b.sort_key;
      },
      [](const Xapian::Query& q, const Xapian::Database&, Xapian::docid, Xapian::docid,
         TermScores*) {
        return q;
      });
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  setup(enquire, 0);
  const RankedMatches one = RankedMatches::Of(enquire.get_mset(0, 20, db.get_doccount()));
  ASSERT_EQ(halves.items.size(), one.items.size());
  ASSERT_FALSE(one.items.empty());
  for (size_t i = 0; i < one.items.size(); ++i) {
    EXPECT_EQ(halves.items[i].docid, one.items[i].docid);
    EXPECT_EQ(halves.items[i].docid % 2, 1u);  // the source's talks only
  }
  EXPECT_EQ(halves.estimated, one.estimated);
}

// A half whose terms' postings stopped being read at the time limit says
// so in the merged matches (the search's total is then not exact).
TEST(HalvesRanker, SaysWhenAHalfWasScoredInPart) {
  Xapian::Database db(testing::CorpusIndexPath());
  HalvesRanker ranker({testing::CorpusIndexPath()});
  ASSERT_TRUE(ranker.InStepWith(db.get_uuid(), db.get_revision()));
  std::vector<Xapian::Query> terms;
  for (auto t = db.allterms_begin("XK"); t != db.allterms_end("XK") && terms.size() < 20; ++t) {
    terms.emplace_back(*t);
  }
  const Xapian::Query query(Xapian::Query::OP_OR, terms.begin(), terms.end());
  const auto lengths = ReadDocumentLengths(db);
  auto rank = [&](double time_limit_seconds) {
    ScoringParameters scoring{1.0, 0.2, 0.5, time_limit_seconds};
    return ranker.Rank(
        db, query, 0, 10, db.get_doccount(), {}, [](Xapian::Enquire&, int) {},
        [](const RankedMatches::Match& a, const RankedMatches::Match& b) {
          return a.weight > b.weight;
        },
        [&](const Xapian::Query& q, const Xapian::Database& half_db, Xapian::docid low,
            Xapian::docid high, TermScores* scores) {
          return ScoreTermsAtATime(q, half_db, scoring, lengths, low, high, scores);
        });
  };
  const RankedMatches whole = rank(0);
  EXPECT_FALSE(whole.scored_in_part);
  const RankedMatches in_part = rank(1e-9);
  EXPECT_TRUE(in_part.scored_in_part);
  EXPECT_LT(in_part.lower_bound, whole.lower_bound);
}

}  // namespace
}  // namespace talksearch
