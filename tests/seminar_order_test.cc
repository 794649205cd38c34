// What the seminar page's order says about its dates and session numbers:
// newest first, numbers counting up the page in each series, every day a
// day of its month. A typo against that order is reported at its line
// (talks-index --check), and the talk already on the page is never lost.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "talksearch/corpus.h"
#include "seminar_text.h"

namespace talksearch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ProblemLines;
using testing::Session;

CorpusParseResult Parse(const std::string& page) { return ParseSeminarPage(page, "seminar.md"); }

TEST(SeminarOrder, ADayThatIsNotInItsMonthIsReportedAndLeftOut) {
  const CorpusParseResult r = Parse(Session("# 第2回", "2月30日", "二") +
                                    Session("# 第1回", "2026年1月29日", "一"));
  ASSERT_EQ(r.talks.size(), 2u);
  EXPECT_EQ(r.talks[0].date, "");
  EXPECT_EQ(r.talks[1].date, "2026-01-29");
  ASSERT_THAT(ProblemLines(r), ElementsAre(2));
  EXPECT_THAT(r.problems[0].message, HasSubstr("2月30日 is no day of 2026-02"));
}

TEST(SeminarOrder, ALeapDayIsADay) {
  const CorpusParseResult r = Parse(Session("# 第2回", "2月29日", "二") +
                                    Session("# 第1回", "2024年1月29日", "一"));
  ASSERT_EQ(r.talks.size(), 2u);
  EXPECT_EQ(r.talks[0].date, "2024-02-29");
  EXPECT_TRUE(r.problems.empty());
}

// The month is earlier than the session's below: the year rolls over, which
// is right in January after December and a typo after a February session.
TEST(SeminarOrder, ARollOverThatSkipsMostOfAYearIsReported) {
  const CorpusParseResult typo = Parse(Session("# 第3回", "1月8日", "三") +
                                       Session("# 第2回", "2月5日", "二") +
                                       Session("# 第1回", "2026年1月29日", "一"));
  ASSERT_EQ(typo.talks.size(), 3u);
  ASSERT_THAT(ProblemLines(typo), ElementsAre(2));
  EXPECT_THAT(typo.problems[0].message, HasSubstr("reads as 2027-01-08, 337 days after"));
  EXPECT_THAT(typo.problems[0].message, HasSubstr("write the year (2027年1月8日)"));

  const CorpusParseResult new_year = Parse(Session("# 第2回", "1月15日", "二") +
                                           Session("# 第1回", "2025年12月4日", "一"));
  ASSERT_EQ(new_year.talks.size(), 2u);
  EXPECT_EQ(new_year.talks[0].date, "2026-01-15");
  EXPECT_TRUE(new_year.problems.empty());
}

TEST(SeminarOrder, ADateBeforeTheSessionBelowIsReported) {
  const CorpusParseResult r = Parse(Session("# 第2回", "2025年12月1日", "二") +
                                    Session("# 第1回", "2026年1月29日", "一"));
  ASSERT_EQ(r.talks.size(), 2u);
  ASSERT_THAT(ProblemLines(r), ElementsAre(2));
  EXPECT_THAT(r.problems[0].message, HasSubstr("before the session below it (第1回, line 6)"));
}

TEST(SeminarOrder, APlainHeadingAmongJointSessionsIsReportedAndRead) {
  const CorpusParseResult r =
      Parse(Session("# 第79回", "2月5日", "新") +
            Session("# 第25回学習物理領域セミナー＋第78回DLAP", "2026年1月29日", "前"));
  ASSERT_EQ(r.talks.size(), 2u);
  EXPECT_EQ(r.talks[0].id, "dlap-079");
  ASSERT_THAT(ProblemLines(r), ElementsAre(1));
  EXPECT_THAT(r.problems[0].message, HasSubstr("only a DLAP number"));
  EXPECT_THAT(r.problems[0].message, HasSubstr("第25回学習物理領域セミナー＋第78回DLAP"));
}

// A maintainer copies the last session to write the next and forgets to
// change its number: the talk that was there stays, the copy is reported.
TEST(SeminarOrder, ARepeatedSessionNumberKeepsTheTalkAlreadyThere) {
  const CorpusParseResult r = Parse(Session("# 第2回", "2月5日", "新しい講演") +
                                    Session("# 第2回", "2026年1月29日", "前からある講演") +
                                    Session("# 第1回", "2026年1月15日", "最初"));
  ASSERT_EQ(r.talks.size(), 2u);
  EXPECT_EQ(r.talks[0].id, "dlap-002");
  EXPECT_EQ(r.talks[0].title, "前からある講演");
  ASSERT_THAT(ProblemLines(r), ElementsAre(1));
  EXPECT_THAT(r.problems[0].message, HasSubstr("repeats the number of the session at line 6"));

  const CorpusParseResult joint =
      Parse(Session("# 第3回学習物理領域セミナー＋第80回DLAP", "2月5日", "新") +
            Session("# 第3回学習物理領域セミナー＋第79回DLAP", "2026年1月29日", "前"));
  ASSERT_EQ(joint.talks.size(), 1u);
  EXPECT_EQ(joint.talks[0].title, "前");
  EXPECT_THAT(ProblemLines(joint), ElementsAre(1));
}

TEST(SeminarOrder, NumbersThatCountDownThePageAreReported) {
  const CorpusParseResult r = Parse(Session("# 第2回", "2月5日", "二") +
                                    Session("# 第3回", "2026年1月29日", "三"));
  ASSERT_EQ(r.talks.size(), 2u);
  ASSERT_THAT(ProblemLines(r), ElementsAre(1));
  EXPECT_THAT(r.problems[0].message, HasSubstr("第2回 is above 第3回 (line 6)"));
}

}  // namespace
}  // namespace talksearch
