// The guard between the corpus and the index: an update that would remove
// or redate more than a few indexed talks is shown, and refused without the
// maintainer's confirmation (talks-index --allow-removals; the command line
// is tested in tests/faults/index_cli_test.sh).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "talksearch/index_build.h"
#include "talksearch/update_guard.h"
#include "test_index.h"

namespace talksearch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Ids(const std::vector<IndexedTalk>& talks) {
  std::vector<std::string> ids;
  for (const auto& t : talks) ids.push_back(t.id);
  return ids;
}

TEST(UpdateGuard, ReadsEveryIndexedTalkWithItsDateAndTitle) {
  const std::vector<IndexedTalk> indexed = ReadIndexedTalks(testing::CorpusIndexPath());
  const auto& corpus = testing::Corpus().talks;
  ASSERT_EQ(indexed.size(), corpus.size());
  EXPECT_TRUE(std::is_sorted(indexed.begin(), indexed.end(),
                             [](const auto& a, const auto& b) { return a.id < b.id; }));
  for (const Talk& talk : corpus) {
    auto it = std::find_if(indexed.begin(), indexed.end(),
                           [&](const IndexedTalk& t) { return t.id == talk.id; });
    ASSERT_NE(it, indexed.end()) << talk.id;
    EXPECT_EQ(it->date, talk.date) << talk.id;
    EXPECT_EQ(it->title, talk.title) << talk.id;
  }
}

TEST(UpdateGuard, TheIndexedCorpusNeedsNoConfirmation) {
  const UpdatePreview preview = PreviewUpdate(ReadIndexedTalks(testing::CorpusIndexPath()),
                                              testing::Corpus().talks);
  EXPECT_TRUE(preview.added.empty());
  EXPECT_TRUE(preview.removed.empty());
  EXPECT_TRUE(preview.redated.empty());
  EXPECT_FALSE(NeedsConfirmation(preview, true));
}

TEST(UpdateGuard, AddsRemovalsAndDateMovesAreSeen) {
  const std::vector<IndexedTalk> indexed = {
      {"a", "2020-01-01", "A"}, {"b", "2021-01-01", "B"}, {"c", "2022-01-01", "C"}};
  std::vector<Talk> corpus(3);
  corpus[0].id = "b";
  corpus[0].date = "2021-01-01";
  corpus[1].id = "c";
  corpus[1].date = "2020-01-01";
  corpus[2].id = "d";
  const UpdatePreview preview = PreviewUpdate(indexed, corpus);
  ASSERT_EQ(preview.added.size(), 1u);
  EXPECT_EQ(preview.added[0]->id, "d");
  EXPECT_THAT(Ids(preview.removed), ElementsAre("a"));
  ASSERT_EQ(preview.redated.size(), 1u);
  EXPECT_EQ(preview.redated[0].indexed.id, "c");
  EXPECT_EQ(preview.redated[0].indexed.date, "2022-01-01");
  EXPECT_EQ(preview.redated[0].new_date, "2020-01-01");
  EXPECT_FALSE(NeedsConfirmation(preview, true));  // one of each is a maintainer's edit
}

TEST(UpdateGuard, MoreThanAFewRemovalsOrDateMovesNeedConfirmation) {
  std::vector<IndexedTalk> indexed;
  std::vector<Talk> corpus;
  for (int i = 0; i < 10; ++i) {
    indexed.push_back({"t" + std::to_string(i), "2024-01-1" + std::to_string(i), ""});
    Talk talk;
    talk.id = indexed.back().id;
    talk.date = indexed.back().date;
    corpus.push_back(talk);
  }
  auto without_first = [&](size_t n) {
    return std::vector<Talk>(corpus.begin() + static_cast<long>(n), corpus.end());
  };
  EXPECT_FALSE(NeedsConfirmation(PreviewUpdate(indexed, without_first(kFewTalks)), true));
  const UpdatePreview removing = PreviewUpdate(indexed, without_first(kFewTalks + 1));
  EXPECT_TRUE(NeedsConfirmation(removing, true));
  // While the corpus has problems absent talks are kept: nothing is removed.
  EXPECT_FALSE(NeedsConfirmation(removing, false));

  std::vector<Talk> redated = corpus;
  for (size_t i = 0; i < kFewTalks; ++i) redated[i].date = "2022-01-01";
  EXPECT_FALSE(NeedsConfirmation(PreviewUpdate(indexed, redated), true));
  redated[kFewTalks].date = "2022-01-01";
  EXPECT_TRUE(NeedsConfirmation(PreviewUpdate(indexed, redated), false));
}

TEST(UpdateGuard, DescribesATalkByIdDateAndTitle) {
  EXPECT_EQ(Describe(IndexedTalk{"dlap-001", "2020-05-14", "機械学習と物理"}),
            "dlap-001 2020-05-14 機械学習と物理");
  EXPECT_EQ(Describe(IndexedTalk{"p-1", "", ""}), "p-1 (no date)");
  const std::string long_title(60, 'x');
  EXPECT_THAT(Describe(IndexedTalk{"p-2", "2020-01-01", long_title}),
              HasSubstr(std::string(40, 'x') + "…"));
}

TEST(UpdateGuard, ReadsEveryShardOfAShardedIndex) {
  const std::string dir = testing::MakeTempDir("guard-shards") + "/db";
  const auto& talks = testing::Corpus().talks;
  UpdateShardedIndex(dir, talks, testing::ShardsWith(3, testing::GlossaryOfRepo()));
  const std::vector<IndexedTalk> indexed = ReadIndexedTalks(dir);
  EXPECT_EQ(indexed.size(), talks.size());
  EXPECT_TRUE(PreviewUpdate(indexed, talks).redated.empty());
}

}  // namespace
}  // namespace talksearch
