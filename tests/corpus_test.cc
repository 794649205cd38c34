// The corpus parsers: the seminar page as maintainers edit it, JSON Lines
// sources, and how problems are reported without losing the rest.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "talksearch/corpus.h"
#include "seminar_text.h"
#include "test_index.h"

namespace talksearch {
namespace {

using ::testing::HasSubstr;
using testing::Corpus;
using testing::ProblemLines;
using testing::Session;
using testing::ReadFileOrDie;
using testing::SourcePath;

const Talk* FindTalk(const std::vector<Talk>& talks, const std::string& id) {
  auto it = std::find_if(talks.begin(), talks.end(), [&](const Talk& t) { return t.id == id; });
  return it == talks.end() ? nullptr : &*it;
}

const Talk& MustFind(const std::string& id) {
  const Talk* t = FindTalk(Corpus().talks, id);
  if (!t) throw std::runtime_error("no talk " + id);
  return *t;
}

CorpusParseResult ParsePage() {
  return ParseSeminarPage(ReadFileOrDie(SourcePath("corpus/seminar.md")), "seminar.md");
}

TEST(SeminarPage, ShippedCorpusHasNoProblems) {
  for (const auto& p : Corpus().problems) ADD_FAILURE() << p.ToString();
}

TEST(SeminarPage, Parses81TalksWithUniqueIds) {
  const CorpusParseResult page = ParsePage();
  EXPECT_TRUE(page.problems.empty());
  EXPECT_EQ(page.talks.size(), 81u);  // 77 sessions, 第3回 x4, 第16回 x2
  std::set<std::string> ids;
  for (const Talk& t : page.talks) {
    EXPECT_TRUE(ids.insert(t.id).second) << "duplicate id " << t.id;
    EXPECT_FALSE(t.title.empty()) << t.id;
    EXPECT_FALSE(t.date.empty()) << t.id;
    EXPECT_FALSE(t.speakers.empty()) << t.id;
  }
  // Every session number 1..77 is present.
  for (int n = 1; n <= 77; ++n) {
    EXPECT_TRUE(std::any_of(page.talks.begin(), page.talks.end(),
                            [n](const Talk& t) { return t.dlap_number == n; }))
        << "session " << n;
  }
}

TEST(SeminarPage, LightningTalksBecomeFourTalks) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"dlap-003a", "野村悠祐"}, {"dlap-003b", "林祐輔"},
      {"dlap-003c", "北沢正清"}, {"dlap-003d", "大塚啓"}};
  std::set<std::string> titles;
  for (const auto& [id, speaker] : expected) {
    const Talk& t = MustFind(id);
    ASSERT_EQ(t.speakers.size(), 1u) << id;
    EXPECT_EQ(t.speakers[0].name, speaker);
    EXPECT_EQ(t.date, "2020-06-11");
    titles.insert(t.title);
    // The announcement after the last talk is not part of any abstract.
    EXPECT_THAT(t.abstract, ::testing::Not(HasSubstr("ライトニングトークの構成")));
    EXPECT_THAT(t.abstract, ::testing::Not(HasSubstr("講演後には")));
  }
  EXPECT_EQ(titles.size(), 4u);
  EXPECT_EQ(MustFind("dlap-003c").title, "SU(3)非可換ゲージ理論のトポロジー分類への機械学習の適用");
}

TEST(SeminarPage, TwoPartLectureBecomesTwoTalks) {
  const Talk& first = MustFind("dlap-016a");
  const Talk& second = MustFind("dlap-016b");
  EXPECT_EQ(first.title, "深層学習入門");
  EXPECT_EQ(first.speakers.at(0).name, "田中章詞");
  EXPECT_EQ(second.title, "ニューラルネットを使った2次元イジング模型の相検出");
  EXPECT_EQ(second.speakers.at(0).name, "富谷昭夫");
  EXPECT_EQ(second.speakers.at(0).affiliation, "RIKEN BNL");
  EXPECT_EQ(first.date, "2020-11-26");
  EXPECT_EQ(second.date, "2020-11-26");
  EXPECT_EQ(FindTalk(Corpus().talks, "dlap-016"), nullptr);
}

TEST(SeminarPage, YearsInferredFromOrderAndHeadings) {
  EXPECT_EQ(MustFind("dlap-077").date, "2026-01-29");
  EXPECT_EQ(MustFind("dlap-053").date, "2023-10-05");
  EXPECT_EQ(MustFind("dlap-036").date, "2022-01-13");
  EXPECT_EQ(MustFind("dlap-001").date, "2020-05-14");
  // Under the "2022年" heading, the talks after December are in 2023.
  EXPECT_EQ(MustFind("dlap-047").date, "2022-12-22");
  EXPECT_EQ(MustFind("dlap-049").date, "2023-01-26");
  EXPECT_EQ(MustFind("dlap-076").date, "2026-01-15");
  EXPECT_EQ(MustFind("dlap-075").date, "2025-12-18");
}

TEST(SeminarPage, DatesNeverGoBackwardsWithSessionNumber) {
  const CorpusParseResult page = ParsePage();
  std::vector<const Talk*> talks;
  for (const Talk& t : page.talks) talks.push_back(&t);
  std::sort(talks.begin(), talks.end(), [](const Talk* a, const Talk* b) { return a->id < b->id; });
  for (size_t i = 1; i < talks.size(); ++i) {
    EXPECT_LE(talks[i - 1]->date, talks[i]->date) << talks[i - 1]->id << " vs " << talks[i]->id;
  }
}

TEST(SeminarPage, SplitsSpeakerNameAndAffiliation) {
  const Talk& t = MustFind("dlap-077");
  ASSERT_EQ(t.speakers.size(), 1u);
  EXPECT_EQ(t.speakers[0].name, "三角 樹弘");
  EXPECT_EQ(t.speakers[0].affiliation, "近畿大学 大学院総合理工学研究科");
  EXPECT_EQ(t.dlap_number, 77);
  EXPECT_EQ(t.mlphys_number, 25);
  EXPECT_THAT(t.series, ::testing::ElementsAre("dlap", "mlphys"));

  const Talk& no_affiliation = MustFind("dlap-054");
  EXPECT_EQ(no_affiliation.speakers.at(0).name, "高木志郎");
  EXPECT_EQ(no_affiliation.speakers.at(0).affiliation, "");

  const Talk& two = MustFind("dlap-020");  // second speaker on its own line
  ASSERT_EQ(two.speakers.size(), 2u);
  EXPECT_EQ(two.speakers[0].name, "Hidenori Tanaka");
  EXPECT_EQ(two.speakers[1].name, "Daniel Kunin");
  EXPECT_EQ(two.speakers[1].affiliation, "Stanford University");
  EXPECT_THAT(two.abstract, ::testing::Not(HasSubstr("Kunin")));

  const Talk& panel = MustFind("dlap-026");
  EXPECT_THAT(panel.title, HasSubstr("物理 x 深層学習 の未来"));
  std::vector<std::string> names;
  for (const Speaker& s : panel.speakers) names.push_back(s.name);
  EXPECT_THAT(names, ::testing::IsSupersetOf({"大槻東巳", "樺島祥介", "永井佑紀"}));
  EXPECT_EQ(panel.speakers.front().affiliation, "上智大理工");
  for (const Speaker& s : panel.speakers) EXPECT_TRUE(s.is_panelist()) << s.name;
  EXPECT_FALSE(t.speakers[0].is_panelist());
}

TEST(SeminarPage, FieldsReducedToText) {
  const Talk& t = MustFind("dlap-053");
  EXPECT_EQ(t.title, "Neural Polytopes");
  EXPECT_EQ(t.slides_url, "./slides/2310hashimoto.pdf");
  EXPECT_EQ(t.venue, "京都大学理学部５号館511");
  ASSERT_EQ(t.references.size(), 2u);
  EXPECT_THAT(t.references[0], HasSubstr("arXiv:2307.00721"));
  EXPECT_THAT(t.references[0], ::testing::Not(HasSubstr("](")));  // link markup gone
  EXPECT_THAT(t.abstract, ::testing::Not(HasSubstr("<br>")));
  EXPECT_EQ(t.language, "ja");
  EXPECT_EQ(MustFind("dlap-052").language, "en");
  EXPECT_EQ(MustFind("dlap-077").time, "10:30-11:30 JST");
}

TEST(SeminarPage, CutTitleCompletedFromTableOfContents) {
  EXPECT_EQ(MustFind("dlap-057").title,
            "自動微分を用いた欲しい性質をもつハミルトニアンの逆設計: "
            "バンドトポロジーと量子エンタングルメントへの応用");
}

TEST(SeminarPage, BrokenSectionIsReportedWithItsLineAndTheRestParses) {
  std::string page = ReadFileOrDie(SourcePath("corpus/seminar.md"));
  const std::string title_line = "発表題目: 機械学習分子シミュレーションを用いた、準結晶における高次元性の解析<br>\n";
  const size_t at = page.find(title_line);
  ASSERT_NE(at, std::string::npos);
  page.erase(at, title_line.size());
  const size_t heading = page.find("# 第50回\n");
  ASSERT_NE(heading, std::string::npos);
  const int heading_line = 1 + static_cast<int>(std::count(page.begin(), page.begin() + heading, '\n'));

  const CorpusParseResult result = ParseSeminarPage(page, "corpus/seminar.md");
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_EQ(result.problems[0].file, "corpus/seminar.md");
  EXPECT_EQ(result.problems[0].line, heading_line);
  EXPECT_THAT(result.problems[0].ToString(),
              HasSubstr("corpus/seminar.md:" + std::to_string(heading_line) + ":"));
  EXPECT_THAT(result.problems[0].message, HasSubstr("第50回"));
  EXPECT_EQ(result.talks.size(), 80u);
  EXPECT_EQ(FindTalk(result.talks, "dlap-050"), nullptr);
  EXPECT_NE(FindTalk(result.talks, "dlap-049"), nullptr);
  EXPECT_NE(FindTalk(result.talks, "dlap-051"), nullptr);
}

TEST(SeminarPage, UnreadableDateIsReportedButTalkKept) {
  std::string page = ReadFileOrDie(SourcePath("corpus/seminar.md"));
  const std::string date_line = "日時: 6月1日10:30-11:30(JST)<br>";
  const size_t at = page.find(date_line);
  ASSERT_NE(at, std::string::npos);
  page.replace(at, date_line.size(), "日時: そのうち<br>");
  const CorpusParseResult result = ParseSeminarPage(page, "seminar.md");
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_THAT(result.problems[0].message, HasSubstr("date"));
  const Talk* t = FindTalk(result.talks, "dlap-051");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->date, "");
  EXPECT_EQ(result.talks.size(), 81u);
}

// Found by the corpus fuzzer: a session number of many digits overflowed.
TEST(SeminarPage, AbsurdSessionNumberIsAProblemNotACrash) {
  const std::string page =
      "# 第18回学習物理領域セミナー＋第708888888888888888888回DLAP\n"
      "日時：6月26日10:30~11:30(JST)<br>\n発表者：谷口 忠大 氏 (京都大学)<br>\n発表題目：題目<br>\n"
      "# 第99999999999回\n日時: 5月1日<br>\n発表者: 某 氏<br>\n発表題目: 題目<br>\n"
      "# 第2回\n日時: 2020年5月28日10:30-11:30(JST)<br>\n発表者: 橋本幸士　氏(大阪大学)<br>\n"
      "発表題目: 深層学習と時空<br>\n";
  const CorpusParseResult r = ParseSeminarPage(page, "seminar.md");
  ASSERT_EQ(r.talks.size(), 1u);
  EXPECT_EQ(r.talks[0].id, "dlap-002");
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].line, 1);
  EXPECT_EQ(r.problems[1].line, 5);
  EXPECT_THAT(r.problems[0].message, HasSubstr("session number"));
}

TEST(SeminarPage, LessThanSignIsTextNotATag) {
  const CorpusParseResult r = ParseSeminarPage(
      Session("# 第2回", "2020年5月28日", "秩序<b>相</b>",
              "温度 T < T_c の秩序相で<a href=\"https://example.org\">相転移</a>を見る。"),
      "seminar.md");
  ASSERT_EQ(r.talks.size(), 1u);
  EXPECT_EQ(r.talks[0].abstract, "温度 T < T_c の秩序相で相転移を見る。");
  EXPECT_EQ(r.talks[0].title, "秩序相");
  EXPECT_TRUE(r.problems.empty());
}

// A 30 KB line with a stray '<' made std::regex overflow the stack.
TEST(SeminarPage, OverlongLineIsCutAndReportedNotACrash) {
  std::string long_abstract;
  while (long_abstract.size() < 40000) long_abstract += "温度 T < T_c [注](x 「量子」 ";
  const std::string page = "* [第2回 「" + long_abstract + "\n" +
                           Session("# 第2回", "2020年5月28日", "長い抄録", long_abstract) +
                           Session("# 第1回", "2020年5月14日", "短い抄録");
  const CorpusParseResult r = ParseSeminarPage(page, "seminar.md");
  ASSERT_EQ(r.talks.size(), 2u);
  ASSERT_THAT(ProblemLines(r), ::testing::ElementsAre(1, 6));
  EXPECT_THAT(r.problems[1].message, HasSubstr("bytes"));
  EXPECT_GT(r.talks[0].abstract.size(), 4000u);
  EXPECT_LE(r.talks[0].abstract.size(), 8192u);
  EXPECT_EQ(r.talks[1].title, "短い抄録");
}

TEST(SeminarPage, InvalidUtf8IsReplacedAndReportedAtItsLine) {
  const std::string page = Session("# 第2回", "2020年5月28日", "題目",
                                   "前半\xE3\x81後半と\xFF続き") +
                           Session("# 第1回", "2020年5月14日", "切れた行\xE3\x81");
  const CorpusParseResult r = ParseSeminarPage(page, "seminar.md");
  ASSERT_EQ(r.talks.size(), 2u);
  // One problem for line 5; the cut end of line 9 is the page's known
  // way of ending a cut line, dropped without a problem.
  ASSERT_THAT(ProblemLines(r), ::testing::ElementsAre(5));
  EXPECT_THAT(r.problems[0].message, HasSubstr("UTF-8"));
  EXPECT_EQ(r.talks[0].abstract, "前半\uFFFD後半と\uFFFD続き");
  EXPECT_EQ(r.talks[1].title, "切れた行");
  EXPECT_NO_THROW(nlohmann::json(r.talks[0]).dump());
}

TEST(SeminarPage, HeadingWithoutAnAsciiSpaceIsReadAndReported) {
  const std::string page = Session("# 第3回", "2020年6月4日", "三回目") +
                           Session("#　第2回", "2020年5月28日", "二回目") +
                           Session("#第1回", "2020年5月14日", "一回目");
  const CorpusParseResult r = ParseSeminarPage(page, "seminar.md");
  ASSERT_EQ(r.talks.size(), 3u);
  EXPECT_EQ(r.talks[0].title, "三回目");
  EXPECT_EQ(r.talks[1].id, "dlap-002");
  EXPECT_EQ(r.talks[1].title, "二回目");
  EXPECT_EQ(r.talks[2].id, "dlap-001");
  ASSERT_THAT(ProblemLines(r), ::testing::ElementsAre(6, 11));
  EXPECT_THAT(r.problems[0].message, HasSubstr("ASCII space"));
}

TEST(SeminarPage, JointHeadingIsReadWhateverTheCaseOfDlap) {
  const CorpusParseResult r = ParseSeminarPage(
      Session("# 第2回学習物理領域セミナー＋第4回Dlap", "2020年5月28日", "合同"), "seminar.md");
  ASSERT_EQ(r.talks.size(), 1u);
  EXPECT_EQ(r.talks[0].id, "dlap-004");
  EXPECT_EQ(r.talks[0].mlphys_number, 2);
  EXPECT_TRUE(r.problems.empty());
}

// Taking the 学習物理領域セミナー's number for the DLAP one would give the
// talk another talk's id, and replace that talk in the index.
TEST(SeminarPage, JointHeadingWithoutADlapNumberIsReportedNotMisnumbered) {
  const std::string page = Session("# 第2回学習物理領域セミナー＋第四回DLAP", "2020年5月28日", "合同") +
                           Session("# 第2回", "2020年5月14日", "本物の二回目");
  const CorpusParseResult r = ParseSeminarPage(page, "seminar.md");
  ASSERT_EQ(r.talks.size(), 1u);
  EXPECT_EQ(r.talks[0].id, "dlap-002");
  EXPECT_EQ(r.talks[0].title, "本物の二回目");
  EXPECT_THAT(ProblemLines(r), ::testing::ElementsAre(1));
}

TEST(SeminarPage, SecondTitleOrDateInOneTalkIsReportedAndTheFirstKept) {
  std::string page = Session("# 第2回", "2020年5月28日", "最初の題目");
  page += "発表題目: 二つ目の題目<br>\n日時: 2020年6月1日<br>\n";
  const CorpusParseResult r = ParseSeminarPage(page, "seminar.md");
  ASSERT_EQ(r.talks.size(), 1u);
  EXPECT_EQ(r.talks[0].title, "最初の題目");
  EXPECT_EQ(r.talks[0].date, "2020-05-28");
  EXPECT_THAT(ProblemLines(r), ::testing::ElementsAre(6, 7));
}

TEST(SeminarPage, UnreadableDateOfOneOfSeveralTalksIsReportedAtItsLine) {
  const std::string page =
      "# 第3回\n日時: 2020年6月4日<br>\n"
      "講演者: 甲 氏<br>\n講演題目: 一つ目<br>\n"
      "講演者: 乙 氏<br>\n講演題目: 二つ目<br>\n日時: いつか<br>\n";
  const CorpusParseResult r = ParseSeminarPage(page, "seminar.md");
  ASSERT_EQ(r.talks.size(), 2u);
  EXPECT_EQ(r.talks[0].date, "2020-06-04");
  EXPECT_EQ(r.talks[1].date, "");
  EXPECT_THAT(ProblemLines(r), ::testing::ElementsAre(7));
}

TEST(SeminarPage, UnclosedCommentIsReported) {
  const std::string page = Session("# 第2回", "2020年5月28日", "見える") + "<!-- 下書き\n" +
                           Session("# 第1回", "2020年5月14日", "隠れる");
  const CorpusParseResult r = ParseSeminarPage(page, "seminar.md");
  ASSERT_EQ(r.talks.size(), 1u);
  ASSERT_THAT(ProblemLines(r), ::testing::ElementsAre(6));
  EXPECT_THAT(r.problems[0].message, HasSubstr("never closed"));
}

// A stray "<!--" closed by a later comment's "-->" hides the sessions
// between them: the page shows them no more, so they are not indexed, but
// the maintainer must hear of it at the line of the "<!--".
TEST(SeminarPage, CommentThatHidesSessionsIsReportedAtItsLine) {
  const std::string page = Session("# 第3回", "2020年6月11日", "見える") + "<!--\n" +
                           Session("# 第2回", "2020年5月28日", "隠れる") +
                           "<!-- 下書き -->\n" + Session("# 第1回", "2020年5月14日", "最初");
  const CorpusParseResult r = ParseSeminarPage(page, "seminar.md");
  ASSERT_EQ(r.talks.size(), 2u);
  EXPECT_EQ(r.talks[0].title, "見える");
  EXPECT_EQ(r.talks[1].title, "最初");
  ASSERT_THAT(ProblemLines(r), ::testing::ElementsAre(6));
  EXPECT_THAT(r.problems[0].message, HasSubstr("hides 1 session heading"));
  EXPECT_THAT(r.problems[0].message, HasSubstr("line 7 \"# 第2回\""));
}

TEST(SeminarPage, CommentsAroundOtherTextAreNoProblem) {
  const std::string page = "<!--\n## 2019年の予定\n* 第1回は未定\n-->\n" +
                           Session("# 第1回", "2020年5月14日", "最初");
  const CorpusParseResult r = ParseSeminarPage(page, "seminar.md");
  EXPECT_EQ(r.talks.size(), 1u);
  EXPECT_TRUE(r.problems.empty()) << r.problems[0].ToString();
}

// "## 第2回" shows as a subheading: read as a plain subheading it would end
// the session above and drop its own talk without a word.
TEST(SeminarPage, SessionHeadingAtTheWrongLevelIsReadAndReported) {
  const std::string page = Session("# 第3回", "2020年6月11日", "三") +
                           Session("## 第2回", "2020年5月28日", "二") +
                           Session("# 第1回", "2020年5月14日", "一");
  const CorpusParseResult r = ParseSeminarPage(page, "seminar.md");
  ASSERT_EQ(r.talks.size(), 3u);
  EXPECT_EQ(r.talks[1].title, "二");
  EXPECT_EQ(r.talks[1].date, "2020-05-28");
  ASSERT_THAT(ProblemLines(r), ::testing::ElementsAre(6));
  EXPECT_THAT(r.problems[0].message, HasSubstr("level-1"));
}

TEST(SeminarPage, PageWithoutSessionsIsAProblem) {
  for (const std::string& page : {std::string(), std::string("# 過去の講演\n\n本文のみ\n")}) {
    const CorpusParseResult r = ParseSeminarPage(page, "seminar.md");
    EXPECT_TRUE(r.talks.empty());
    ASSERT_EQ(r.problems.size(), 1u) << page;
    EXPECT_THAT(r.problems[0].message, HasSubstr("no sessions"));
  }
}

TEST(JsonLines, BadLinesReportedOthersLoaded) {
  const std::string text =
      "{\"id\": \"x-1\", \"title\": \"Good one\", \"abstract\": \"About tensors.\"}\n"
      "\n"
      "{\"id\": \"x-2\", \"title\": \"broken\"\n"
      "{\"id\": \"x-3\", \"title\": \"\"}\n"
      "{\"id\": \"x-4\", \"title\": \"日本語のタイトル\", \"date\": \"2021-13\"}\n"
      "[1, 2]\n";
  const CorpusParseResult r = ParseJsonLines(text, "extra.jsonl");
  ASSERT_EQ(r.talks.size(), 2u);
  EXPECT_EQ(r.talks[0].id, "x-1");
  EXPECT_EQ(r.talks[0].language, "en");
  EXPECT_EQ(r.talks[0].source_line, 1);
  EXPECT_EQ(r.talks[1].id, "x-4");
  EXPECT_EQ(r.talks[1].language, "ja");
  std::vector<int> lines;
  for (const auto& p : r.problems) {
    EXPECT_EQ(p.file, "extra.jsonl");
    lines.push_back(p.line);
  }
  EXPECT_THAT(lines, ::testing::ElementsAre(3, 4, 5, 6));
}

// Each of these aborted talks-index (an id or series Xapian cannot hold as
// a term) or was taken as valid (2021-02-29; a BOM made the comment a bad
// record).
TEST(JsonLines, IdsLabelsAndDatesAreCheckedRecordByRecord) {
  const std::string text =
      "\xEF\xBB\xBF# papers, from the listing\n"
      "{\"id\": \"Paper-One\", \"title\": \"Upper case id\"}\n"
      "{\"id\": \"p.2\", \"title\": \"A dot the API would refuse\"}\n"
      "{\"id\": \"" + std::string(300, 'x') + "\", \"title\": \"Long id\"}\n"
      "{\"id\": \"p-3\", \"title\": \"Long series\", \"series\": [\"" + std::string(300, 's') + "\"]}\n"
      "{\"id\": \"p-4\", \"title\": \"Not a day\", \"date\": \"2021-02-29\"}\n"
      "{\"id\": \"p-5\", \"title\": \"Leap day\", \"date\": \"2020-02-29\"}\n";
  const CorpusParseResult r = ParseJsonLines(text, "papers.jsonl");
  ASSERT_EQ(r.talks.size(), 2u);
  EXPECT_EQ(r.talks[0].id, "p-4");
  EXPECT_EQ(r.talks[0].date, "");
  EXPECT_EQ(r.talks[1].date, "2020-02-29");
  ASSERT_THAT(ProblemLines(r), ::testing::ElementsAre(2, 3, 4, 5, 6));
  EXPECT_THAT(r.problems[0].message, HasSubstr("lowercase ASCII"));
}

// The widget links a talk's url and slides_url on the seminar's site: a
// javascript: URL in the corpus would run there.
TEST(JsonLines, LinksThatAreNotWebPagesAreReportedAndDropped) {
  for (const std::string bad : {"javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x",
                                "java\tscript:x", "data:text/html,<b>x</b>", "vbscript:x",
                                "//evil.example.com/x", " //evil.example.com/x",
                                "/\\evil.example.com/x", "\\\\evil.example.com"}) {
    const nlohmann::json record = {{"id", "p-1"}, {"title", "T"}, {"url", bad}, {"slides_url", bad}};
    const CorpusParseResult r = ParseJsonLines(record.dump() + "\n", "papers.jsonl");
    ASSERT_EQ(r.talks.size(), 1u) << bad;
    EXPECT_EQ(r.talks[0].url, "") << bad;
    EXPECT_EQ(r.talks[0].slides_url, "") << bad;
    EXPECT_EQ(r.problems.size(), 2u) << bad;
  }
  for (const std::string good : {"https://example.org/t?a=b:c", "http://x", "./slides/a.pdf",
                                 "#第25回学習物理領域セミナー第77回dlap", "/talks/1", ""}) {
    EXPECT_TRUE(IsWebLink(good)) << good;
  }
}

TEST(Corpus, BundledSourcesLoadAsCollections) {
  size_t papers = 0, hub = 0, jps = 0, seminar = 0;
  for (const Talk& t : Corpus().talks) {
    if (t.collection == "papers") ++papers;
    if (t.collection == "talks") {
      ++seminar;
      EXPECT_EQ(t.series.front(), "dlap") << t.id;  // only the seminar's own talks
    }
    if (std::find(t.series.begin(), t.series.end(), "physics-ml-hub") != t.series.end()) ++hub;
    if (std::find(t.series.begin(), t.series.end(), "jps-symposium") != t.series.end()) ++jps;
  }
  EXPECT_EQ(seminar, 81u);
  EXPECT_GE(papers, 40u);
  EXPECT_GE(hub, 4u);
  EXPECT_GE(jps, 8u);
}

}  // namespace
}  // namespace talksearch
