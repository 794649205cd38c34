// The query library against an index of the bundled corpus: what users type
// and what they should get back — query syntax (fields, phrases, exclusion,
// OR), filters, accents, paging and sorting, snippets, bad input, the parser.
// Readings, corrections and natural sentences are in query_typing_test.cc;
// filters, facets, highlights and suggestions as the page shows them in
// query_experience_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "talksearch/normalizer.h"
#include "talksearch/query_parser.h"
#include "talksearch/search_json.h"
#include "talksearch/searcher.h"
#include "talksearch/snippet.h"
#include "test_index.h"

namespace talksearch {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

class SearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    searcher_ = new Searcher(testing::CorpusIndexPath(), testing::Model(),
                             testing::GlossaryOfRepo());
  }
  static void TearDownTestSuite() {
    delete searcher_;
    searcher_ = nullptr;
  }

  static SearchResponse Search(const std::string& q, size_t limit = 10) {
    SearchRequest r;
    r.query = q;
    r.limit = limit;
    return searcher_->Search(r);
  }
  static std::vector<std::string> Ids(const std::string& q, size_t limit = 10) {
    return testing::HitIds(*searcher_, q, limit);
  }
  // Every hit's title and abstract, normalized, satisfy `matcher`.
  template <typename Matcher>
  static void ExpectEveryHitText(const SearchResponse& r, Matcher matcher) {
    for (const SearchHit& h : r.hits) {
      const std::string text = NormalizeString(h.talk.title + " " + h.talk.abstract);
      EXPECT_THAT(text, matcher) << h.talk.id;
    }
  }
  static std::vector<std::string> TopIds(const std::string& q, size_t n) {
    std::vector<std::string> ids = Ids(q, n);
    ids.resize(std::min(ids.size(), n));
    return ids;
  }

  static Searcher* searcher_;
};
Searcher* SearchTest::searcher_ = nullptr;

TEST_F(SearchTest, PinnPutsBothPinnTalksFirst) {
  EXPECT_THAT(TopIds("PINN", 2), UnorderedElementsAre("dlap-077", "dlap-072"));
  EXPECT_EQ(TopIds("ＰＩＮＮ", 2), TopIds("PINN", 2));  // full-width typing
  EXPECT_EQ(TopIds("pinn", 2), TopIds("PINN", 2));
}

TEST_F(SearchTest, DiffusionModelPutsBothDiffusionTalksFirst) {
  EXPECT_THAT(TopIds("拡散モデル", 2), UnorderedElementsAre("dlap-062", "dlap-067"));
}

TEST_F(SearchTest, SpeakerFieldFindsHisTalksOnly) {
  const SearchResponse r = Search("speaker:橋本", 20);
  std::vector<std::string> ids;
  for (const SearchHit& h : r.hits) {
    ids.push_back(h.talk.id);
    EXPECT_THAT(h.talk.SpeakerNames(), HasSubstr("橋本")) << h.talk.id;
  }
  EXPECT_THAT(ids, ::testing::IsSupersetOf({"dlap-002", "dlap-038", "dlap-053"}));
  // Written with or without the space between family and given name.
  EXPECT_THAT(Ids("橋本幸士"), ::testing::IsSupersetOf({"dlap-002", "dlap-038", "dlap-053"}));
  EXPECT_THAT(Ids("三角樹弘"), Contains("dlap-077"));
  EXPECT_EQ(TopIds("三角 樹弘", 1), TopIds("三角樹弘", 1));
}

TEST_F(SearchTest, SpeakersOwnTalksRankAboveAPanelHeSatOn) {
  EXPECT_THAT(TopIds("永井佑紀", 2), UnorderedElementsAre("dlap-050", "dlap-001"));
  EXPECT_THAT(Ids("永井佑紀"), Contains("dlap-026"));  // the panel still matches
}

TEST_F(SearchTest, PhraseMatchesOnlyAdjacentWords) {
  const SearchResponse r = Search("\"neural network potential\"");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].talk.id, "dlap-031");
  ExpectEveryHitText(r, ::testing::ContainsRegex("neural network potentials?"));
  // The words alone match many more talks than the phrase.
  EXPECT_GT(Search("neural network potential", 100).total, r.total);
}

// Function words (of, the) are indexed without positions: a quoted phrase
// with one still needs its other words in order, within the phrase's span.
TEST_F(SearchTest, PhraseWithAFunctionWordKeepsItsWordsInOrder) {
  const SearchResponse r = Search("\"dynamics of lattice\"", 100);
  ASSERT_FALSE(r.hits.empty());
  ExpectEveryHitText(r, HasSubstr("dynamics of lattice"));
  EXPECT_GT(Search("dynamics of lattice", 100).total, r.total);
  EXPECT_EQ(Search("\"lattice of dynamics\"", 100).total, 0u);
}

// Japanese words are indexed without positions; a quoted Japanese phrase
// still matches only where its words stand together.
TEST_F(SearchTest, JapanesePhraseMatchesOnlyAdjacentWords) {
  const SearchResponse r = Search("\"データ解析\"", 100);
  ASSERT_FALSE(r.hits.empty());
  ExpectEveryHitText(r, HasSubstr("データ解析"));
  EXPECT_GT(Search("データ 解析", 100).total, r.total);
}

TEST_F(SearchTest, ExclusionRemovesMatchingTalks) {
  const std::vector<std::string> with = Ids("拡散モデル");
  const std::vector<std::string> without = Ids("拡散モデル -経路積分");
  EXPECT_THAT(with, Contains("dlap-062"));
  EXPECT_THAT(without, Not(Contains("dlap-062")));
  EXPECT_THAT(without, Contains("dlap-067"));
}

TEST_F(SearchTest, OrFindsEither) {
  const std::vector<std::string> ids = Ids("ブラックホール OR 圧縮センシング");
  EXPECT_THAT(ids, ::testing::IsSupersetOf({"dlap-017", "dlap-068"}));
  // Typed with a Japanese input method: full-width ＯＲ and space (ＯＲ is
  // the operator, not the word "or").
  const ParsedQuery wide = ParseQuery("ブラックホール　ＯＲ　圧縮センシング");
  ASSERT_EQ(wide.groups.size(), 1u);
  EXPECT_EQ(wide.groups[0].size(), 2u);
  EXPECT_EQ(Ids("ブラックホール　ＯＲ　圧縮センシング"), ids);
}

TEST_F(SearchTest, FiltersRestrictByYearSeriesAndCollection) {
  const SearchResponse r = Search("year:2021 ニューラルネットワーク", 50);
  ASSERT_FALSE(r.hits.empty());
  for (const SearchHit& h : r.hits) EXPECT_EQ(h.talk.date.substr(0, 4), "2021") << h.talk.id;

  const SearchResponse joint = Search("series:mlphys", 100);
  EXPECT_EQ(joint.total, 25u);  // 第1回..第25回 学習物理領域セミナー

  // Related talk lists and papers are separate collections, searched when asked for.
  const SearchResponse related = Search("collection:related 機械学習", 20);
  ASSERT_FALSE(related.hits.empty());
  for (const SearchHit& h : related.hits) EXPECT_EQ(h.talk.collection, "related");
  // "diffusion" is in seminar talks and in papers: searched by default, the
  // talks only (a loop over "Koopman", which no talk has, checked nothing).
  const SearchResponse diffusion = Search("diffusion", 50);
  ASSERT_FALSE(diffusion.hits.empty());
  for (const SearchHit& h : diffusion.hits) EXPECT_EQ(h.talk.collection, "talks");
  ASSERT_FALSE(Search("collection:papers diffusion").hits.empty());
  const SearchResponse papers = Search("collection:papers Koopman");
  ASSERT_FALSE(papers.hits.empty());
  for (const SearchHit& h : papers.hits) EXPECT_EQ(h.talk.collection, "papers");
}

// Typed without its accent, a name still finds the paper and is marked in
// its title (the index and the query fold Latin accents alike).
TEST_F(SearchTest, AccentsAreOptional) {
  const SearchResponse plain = Search("collection:papers schrodinger");
  ASSERT_EQ(plain.hits.size(), 1u);
  EXPECT_THAT(plain.hits[0].title_html, HasSubstr("<mark>Schrödinger</mark>"));
  const SearchResponse accented = Search("collection:papers Schrödinger");
  ASSERT_EQ(accented.hits.size(), 1u);
  EXPECT_EQ(accented.hits[0].talk.id, plain.hits[0].talk.id);
}

TEST_F(SearchTest, PagingIsConsistent) {
  const SearchResponse all = Search("ニューラルネットワーク", 20);
  ASSERT_GE(all.hits.size(), 6u);
  SearchRequest page;
  page.query = "ニューラルネットワーク";
  page.limit = 3;
  page.offset = 3;
  const SearchResponse second = searcher_->Search(page);
  EXPECT_EQ(second.total, all.total);
  ASSERT_EQ(second.hits.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(second.hits[i].talk.id, all.hits[3 + i].talk.id);
}

TEST_F(SearchTest, SortNewestAndOldest) {
  SearchRequest r;
  r.query = "深層学習";
  r.limit = 20;
  r.sort = SortOrder::kNewest;
  const SearchResponse newest = searcher_->Search(r);
  ASSERT_GE(newest.hits.size(), 10u);
  for (size_t i = 1; i < newest.hits.size(); ++i) {
    EXPECT_GE(newest.hits[i - 1].talk.date, newest.hits[i].talk.date);
  }
  r.sort = SortOrder::kOldest;
  const SearchResponse oldest = searcher_->Search(r);
  ASSERT_EQ(oldest.hits.size(), newest.hits.size());
  for (size_t i = 1; i < oldest.hits.size(); ++i) {
    EXPECT_LE(oldest.hits[i - 1].talk.date, oldest.hits[i].talk.date);
  }
  // Talks without a date come last in either order (oldest first listed
  // the undated papers and symposium talks first).
  r.query = "collection:all learning OR 学習";
  r.limit = 100;
  for (SortOrder sort : {SortOrder::kNewest, SortOrder::kOldest}) {
    r.sort = sort;
    const SearchResponse all = searcher_->Search(r);
    size_t first_undated = all.hits.size();
    for (size_t i = 0; i < all.hits.size(); ++i) {
      if (all.hits[i].talk.date.empty() && first_undated == all.hits.size()) first_undated = i;
      if (i > first_undated) {
        EXPECT_EQ(all.hits[i].talk.date, "") << all.hits[i].talk.id;
      }
    }
    EXPECT_GT(first_undated, 0u);
    EXPECT_LT(first_undated, all.hits.size()) << "the query should find undated talks";
  }
}

TEST_F(SearchTest, SnippetMarksWholeWords) {
  const SearchResponse r = Search("拡散モデル");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_THAT(r.hits[0].snippet, HasSubstr("<mark>拡散モデル</mark>"));
  EXPECT_THAT(r.hits[0].snippet, Not(HasSubstr("<mark>拡</mark>")));
  const SearchResponse en = Search("Hopfield");
  ASSERT_FALSE(en.hits.empty());
  // The glossary form it is part of is marked whole ("Hopfield 模型").
  EXPECT_THAT(en.hits[0].snippet, HasSubstr("<mark>Hopfield 模型</mark>"));
}

// A snippet is about 120 characters around the densest cluster of matches,
// cut with "…"; a text that short is whole. Text is escaped, and an English
// word is marked from its start to its end.
TEST(Snippet, ShowsTheDensestMatchesEscaped) {
  const std::set<std::vector<std::string>> diffusion_model = {{"拡散", "散モ", "モデ", "デル"}};
  std::string padding;
  for (int i = 0; i < 150; ++i) padding += "あ";
  const std::string text = "拡散モデル" + padding + "拡散モデルと拡散モデル" + padding;
  const std::string snippet = MakeSnippet(text, {}, diffusion_model, 120);
  EXPECT_EQ(snippet.rfind("…", 0), 0u) << snippet;  // cut before
  EXPECT_EQ(snippet.substr(snippet.size() - std::string("…").size()), "…");
  EXPECT_THAT(snippet, HasSubstr("<mark>拡散モデル</mark>と<mark>拡散モデル</mark>"));
  size_t chars = 0;  // of the text shown
  const std::string shown = std::regex_replace(snippet, std::regex("</?mark>"), "");
  for (unsigned char c : shown) chars += (c & 0xC0) != 0x80;
  EXPECT_EQ(chars, 120u + 2);  // and the two "…"
  EXPECT_EQ(MakeSnippet("a < b: diffusion & Diffusions", {"diffus"}, {}, 120),
            "a &lt; b: <mark>diffusion</mark> &amp; <mark>Diffusions</mark>");
  EXPECT_EQ(MakeSnippet("nondiffusive", {"diffus"}, {}, 120), "nondiffusive");
  // A stem marks the words that stem to it, though it does not begin them
  // ("theory" is searched as theori, and "Theory" is marked too).
  EXPECT_EQ(MakeSnippet("Field Theory, theories and theoretical ideas", {"theori"}, {}, 120),
            "Field <mark>Theory</mark>, <mark>theories</mark> and theoretical ideas");
}

// Every mark of a page of hits, as text.
std::vector<std::string> MarksOf(const SearchResponse& r) {
  std::vector<std::string> marks;
  const std::regex mark("<mark>(.*?)</mark>");
  for (const SearchHit& h : r.hits) {
    for (const std::string* html : {&h.title_html, &h.speaker_html, &h.snippet}) {
      for (std::sregex_iterator m(html->begin(), html->end(), mark), end; m != end; ++m) {
        marks.push_back((*m)[1]);
      }
    }
  }
  return marks;
}

// A glossary form of several words is marked only whole: a query for
// ニューラルネットワーク reaches physics-informed neural networks and Hopfield模型,
// and marked Physics of "Nature Physics" and 模型 of イジング模型.
TEST_F(SearchTest, HighlightsNoFragmentOfAnUnrelatedWord) {
  const SearchResponse r = Search("ニューラルネットワーク", 50);
  ASSERT_GT(r.hits.size(), 20u);
  const std::vector<std::string> marks = MarksOf(r);
  EXPECT_THAT(marks, Contains("ニューラルネットワーク"));
  for (const char* fragment : {"Physics", "模型", "models", "Informed", "N"}) {
    EXPECT_THAT(marks, Not(Contains(fragment))) << fragment;
  }
  for (const SearchHit& h : r.hits) {
    EXPECT_THAT(h.snippet, Not(HasSubstr("Nature <mark>"))) << h.talk.id;
    EXPECT_THAT(h.title_html, Not(HasSubstr("イジング<mark>"))) << h.talk.id;
  }
  // The whole form is still marked: "Physics-Informed Neural Networks".
  const SearchResponse pinn = Search("PINN");
  ASSERT_FALSE(pinn.hits.empty());
  EXPECT_THAT(MarksOf(pinn), Contains(::testing::MatchesRegex("Physics.Informed Neural Networks?")));
}

// Kana read as a glossary form is marked as the form, never as the words
// MeCab makes of the kana (サン of サンプリング for かくさんもでる).
TEST_F(SearchTest, KanaReadAsAFormMarksTheForm) {
  const SearchResponse r = Search("かくさんもでる");
  ASSERT_FALSE(r.hits.empty());
  const std::vector<std::string> marks = MarksOf(r);
  EXPECT_THAT(marks, Contains("拡散モデル"));
  for (const std::string& m : marks) EXPECT_EQ(m, "拡散モデル");
}

TEST(Snippet, PhraseFormsAreMarkedWholeOnly) {
  const Highlighter h({}, {}, {"physics-informed neural network", "Hopfield模型"});
  EXPECT_EQ(h.Snippet("Nature Physics and Physics-Informed Neural Networks", 1000),
            "Nature Physics and <mark>Physics-Informed Neural Networks</mark>");
  EXPECT_EQ(h.Snippet("イジング模型とHopfield 模型", 1000), "イジング模型と<mark>Hopfield 模型</mark>");
}

// A speaker whose name the page spaces (橋本 幸士) is marked whole for the
// query 橋本幸士, as one mark.
TEST_F(SearchTest, SpacedNameIsMarkedWhole) {
  const SearchResponse r = Search("橋本幸士");
  bool spaced = false;
  for (const SearchHit& h : r.hits) {
    if (h.talk.SpeakerNames().find("橋本 幸士") == std::string::npos) continue;
    spaced = true;
    EXPECT_THAT(h.speaker_html, HasSubstr("<mark>橋本 幸士</mark>")) << h.talk.id;
  }
  EXPECT_TRUE(spaced) << "the corpus has 橋本 幸士 spaced";
  EXPECT_EQ(MakeSnippet("橋本 幸士, 田中 章詞", {"橋本", "幸士"}, {}, 1000),
            "<mark>橋本 幸士</mark>, 田中 章詞");
}

// A cut snippet starts and ends between words and never inside a mark
// (<mark>N</mark>… of NNP, 深層ニュ…).
TEST(Snippet, CutsBetweenWordsNeverInsideAMark) {
  std::string before, after;
  for (int i = 0; i < 30; ++i) before += "ab cd ";  // words of two letters
  for (int i = 0; i < 40; ++i) after += "深層ニューラルネットワーク、";
  const std::string text = before + "Diffusion" + after;
  // Needles as the index has them (NormalizeForSearch: small kana folded).
  const std::string nn = NormalizeForSearch("ニューラルネットワーク").text();
  const std::string snippet = MakeSnippet(text, {"diffus", nn}, {}, 120);
  ASSERT_EQ(snippet.rfind("…", 0), 0u) << snippet;
  const std::string shown = snippet.substr(std::string("…").size());
  EXPECT_TRUE(shown.rfind("ab ", 0) == 0 || shown.rfind("cd ", 0) == 0 || shown.rfind(" ", 0) == 0)
      << snippet;
  // Ends after a whole katakana word or its mark, never inside either.
  const std::string tail = "…";
  ASSERT_EQ(snippet.substr(snippet.size() - tail.size()), tail);
  EXPECT_THAT(snippet, ::testing::MatchesRegex(".*(</mark>|、|深層)…$")) << snippet;
  const std::regex mark("<mark>(.*?)</mark>");
  for (std::sregex_iterator m(snippet.begin(), snippet.end(), mark), end; m != end; ++m) {
    EXPECT_THAT((*m)[1].str(), ::testing::AnyOf("Diffusion", "ニューラルネットワーク")) << snippet;
  }
  // A mark the window would cut is shown whole.
  std::string pad;
  for (int i = 0; i < 118; ++i) pad += "あ";
  const std::string cut = MakeSnippet(pad + "ニューラルネットワーク" + pad, {nn}, {}, 120);
  EXPECT_THAT(cut, HasSubstr("<mark>ニューラルネットワーク</mark>")) << cut;
}

// matched_terms says per term what matched: for 拡散モデル, the concept a
// talk found through the thesaurus names (related), and English forms.
TEST_F(SearchTest, MatchedTermsSayWhatMatched) {
  const SearchResponse r = Search("拡散モデル", 20);
  ASSERT_FALSE(r.hits.empty());
  bool related = false;
  for (const SearchHit& h : r.hits) {
    std::set<std::string> kinds;
    for (const MatchedTerm& m : h.matched_terms) {
      kinds.insert(m.kind);
      EXPECT_FALSE(m.form.empty()) << h.talk.id << " " << m.kind;
      if (m.kind == "word") {
        EXPECT_EQ(m.form, "拡散モデル") << h.talk.id;
      }
      if (m.kind == "related") {
        related = true;
        EXPECT_NE(m.form, "拡散モデル") << h.talk.id;
      }
    }
    // Every way of matched_via has its terms.
    EXPECT_EQ(std::set<std::string>(h.matched_via.begin(), h.matched_via.end()), kinds) << h.talk.id;
  }
  EXPECT_TRUE(related) << "some talk is found through a related concept";
  const SearchResponse en = Search("diffusion model", 20);
  bool japanese_form = false;
  for (const SearchHit& h : en.hits) {
    for (const MatchedTerm& m : h.matched_terms) japanese_form |= m.kind == "glossary" && m.form == "拡散モデル";
  }
  EXPECT_TRUE(japanese_form);
  const SearchResponse name = Search("Hashimoto");
  ASSERT_FALSE(name.hits.empty());
  EXPECT_THAT(name.hits[0].matched_terms, Contains(MatchedTerm{"name", "Hashimoto"}));
}

TEST_F(SearchTest, BadInputIsAQueryError) {
  auto code_of = [](const std::string& q, size_t limit = 10, size_t offset = 0) -> std::string {
    SearchRequest r;
    r.query = q;
    r.limit = limit;
    r.offset = offset;
    try {
      searcher_->Search(r);
    } catch (const QueryError& e) {
      return e.code();
    }
    return "ok";
  };
  EXPECT_EQ(code_of("\"unclosed phrase"), "bad_query");
  try {
    ParseQuery("\"拡散\" \"モデル");
    ADD_FAILURE() << "an unclosed quote parsed";
  } catch (const QueryError& e) {
    EXPECT_THAT(e.what(), HasSubstr("character 6"));  // in characters, not bytes (12)
  }
  EXPECT_EQ(code_of(""), "empty_query");
  EXPECT_EQ(code_of("   "), "empty_query");
  EXPECT_EQ(code_of("-拡散モデル"), "empty_query");
  EXPECT_EQ(code_of("の"), "empty_query");  // a particle alone: not a word term
  EXPECT_EQ(code_of("year:20x1"), "bad_query");
  EXPECT_EQ(code_of("-collection:all"), "bad_query");  // it listed everything
  EXPECT_EQ(code_of("\xff\xfe"), "bad_parameter");
  EXPECT_EQ(code_of("PINN", 0), "bad_parameter");
  EXPECT_EQ(code_of("PINN", 101), "bad_parameter");
  EXPECT_EQ(code_of("PINN", 10, 10001), "bad_parameter");
  EXPECT_EQ(code_of(std::string(2000, 'a')), "bad_parameter");
  EXPECT_EQ(code_of("PINN"), "ok");
}

TEST_F(SearchTest, GetTalkByIdReturnsStoredFields) {
  const std::optional<Talk> t = searcher_->GetTalk("dlap-062");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->title, "経路積分を用いた拡散モデルの定式化");
  EXPECT_EQ(t->date, "2024-10-24");
  EXPECT_FALSE(searcher_->GetTalk("dlap-999").has_value());
}

TEST(QueryParser, ReadsFieldsPhrasesExclusionsAndOr) {
  const ParsedQuery q = ParseQuery("title:拡散 \"neural network\" -画像 PINN OR 物理 year:2023 lang:ja");
  ASSERT_EQ(q.groups.size(), 3u);
  EXPECT_EQ(q.groups[0][0].text, "拡散");
  EXPECT_EQ(q.groups[0][0].field, TextFieldId::kTitle);
  EXPECT_TRUE(q.groups[1][0].is_phrase);
  EXPECT_EQ(q.groups[1][0].text, "neural network");
  ASSERT_EQ(q.groups[2].size(), 2u);  // PINN OR 物理
  EXPECT_EQ(q.groups[2][1].text, "物理");
  ASSERT_EQ(q.excluded.size(), 1u);
  EXPECT_EQ(q.excluded[0].text, "画像");
  EXPECT_THAT(q.filters.at("Y"), ::testing::ElementsAre("Y2023"));
  EXPECT_THAT(q.filters.at("L"), ::testing::ElementsAre("Lja"));
}

TEST(QueryParser, FullWidthSyntaxAndUnknownFields) {
  const ParsedQuery q = ParseQuery("speaker：橋本\u3000arXiv:2307.00721");
  ASSERT_EQ(q.groups.size(), 2u);
  EXPECT_EQ(q.groups[0][0].field, TextFieldId::kSpeaker);
  EXPECT_EQ(q.groups[0][0].text, "橋本");
  EXPECT_FALSE(q.groups[1][0].field.has_value());
  EXPECT_EQ(q.groups[1][0].text, "arxiv:2307.00721");
}

}  // namespace
}  // namespace talksearch
