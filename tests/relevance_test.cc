// Ranking quality on the judged queries. The floors are what the current
// ranking measured (talks-eval); they may only rise.
#include <gtest/gtest.h>

#include "talksearch/relevance.h"
#include "test_index.h"

namespace talksearch {
namespace {

TEST(Metrics, PerfectAndEmptyRankings) {
  JudgedQuery q{"q", {{2, "Alpha"}, {1, "Beta"}}, 1};
  EXPECT_DOUBLE_EQ(ScoreRanking(q, {"Alpha talk", "Beta talk"}).ndcg10, 1.0);
  EXPECT_DOUBLE_EQ(ScoreRanking(q, {"Alpha talk", "Beta talk"}).recall10, 1.0);
  EXPECT_DOUBLE_EQ(ScoreRanking(q, {}).ndcg10, 0.0);
  const QueryScore swapped = ScoreRanking(q, {"Beta talk", "Alpha talk"});
  EXPECT_LT(swapped.ndcg10, 1.0);
  EXPECT_GT(swapped.ndcg10, 0.0);
  EXPECT_DOUBLE_EQ(swapped.reciprocal_rank, 1.0);
  EXPECT_DOUBLE_EQ(ScoreRanking(q, {"Other", "Alpha"}).reciprocal_rank, 0.5);
  // The same talk twice is credited once.
  EXPECT_DOUBLE_EQ(ScoreRanking(q, {"Alpha", "Alpha"}).recall10, 0.5);
}

TEST(Metrics, FragmentsMatchNormalizedTitlesWithoutSpaces) {
  JudgedQuery q{"q", {{2, "Gauge Equivariant Mesh"}}, 1};
  EXPECT_DOUBLE_EQ(ScoreRanking(q, {"ＧａｕｇｅＥｑｕｉｖａｒｉａｎｔ Mesh CNN"}).ndcg10, 1.0);
}

TEST(Metrics, MalformedJudgmentNamesItsLine) {
  try {
    ParseJudgedQueries("# comment\nok\t2:A\nbroken line\n", "q.tsv");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("q.tsv:3"), std::string::npos) << e.what();
  }
}

double MeanNdcg(const std::string& file) {
  Searcher searcher(testing::CorpusIndexPath(), testing::Model(), testing::GlossaryOfRepo());
  const RelevanceReport report = Evaluate(searcher, LoadJudgedQueries(testing::SourcePath(file)));
  for (const QueryScore& s : report.queries) {
    std::printf("  nDCG@10 %.3f  %s\n", s.ndcg10, s.query.c_str());
  }
  std::printf("%s: nDCG@10 %.4f MRR %.4f recall@10 %.4f\n", file.c_str(), report.mean_ndcg10,
              report.mean_reciprocal_rank, report.mean_recall10);
  return report.mean_ndcg10;
}

// ../shared/eval/queries.tsv, copied into the repository so CI has it.
TEST(Relevance, SharedJudgedQueriesFloor) {
  EXPECT_GE(MeanNdcg("tests/judged/shared_queries.tsv"), 0.96);
}

// The project's own set: 94 queries over every kind of query users type
// (topics, English for Japanese talks, abbreviations, kana readings, katakana
// variants, names in three forms, multi-word).
TEST(Relevance, ProjectJudgedQueriesFloor) {
  EXPECT_GE(MeanNdcg("tests/judged/talks_queries.tsv"), 0.95);
}

// Queries as people type them (../shared/eval/queries_natural.tsv, copied):
// unspaced Japanese sentences, English questions, typos and variants,
// paraphrases, names in other forms, mixed languages.
TEST(Relevance, SharedNaturalQueriesFloor) {
  EXPECT_GE(MeanNdcg("tests/judged/shared_natural_queries.tsv"), 0.90);
}

// The project's own 70 natural queries of the same kinds (other queries,
// other talks), and 24 English questions over the papers collection.
TEST(Relevance, ProjectNaturalQueriesFloor) {
  EXPECT_GE(MeanNdcg("tests/judged/natural_queries.tsv"), 0.91);
}

TEST(Relevance, PapersNaturalQueriesFloor) {
  EXPECT_GE(MeanNdcg("tests/judged/papers_natural_queries.tsv"), 0.94);
}

}  // namespace
}  // namespace talksearch
