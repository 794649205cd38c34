// The query library against an index of the bundled corpus: what users type
// and what they should get back.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "talksearch/index_writer.h"
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
  // Typed with a Japanese input method: full-width ＯＲ and space (ＯＲ
  // was searched as the word "or").
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
  EXPECT_THAT(en.hits[0].snippet, HasSubstr("<mark>Hopfield</mark>"));
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
  // ("theory" is searched as theori; "Theory" was left unmarked).
  EXPECT_EQ(MakeSnippet("Field Theory, theories and theoretical ideas", {"theori"}, {}, 120),
            "Field <mark>Theory</mark>, <mark>theories</mark> and theoretical ideas");
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

namespace talksearch {
namespace {

class ReadingSearchTest : public ::testing::Test {
 protected:
  static std::vector<std::string> Top(const std::string& q, size_t n) {
    Searcher searcher(testing::CorpusIndexPath(), testing::Model());
    return testing::HitIds(searcher, q, n);
  }
};

TEST_F(ReadingSearchTest, HiraganaFindsTheKanjiWord) {
  EXPECT_THAT(Top("かくさんもでる", 2), UnorderedElementsAre("dlap-062", "dlap-067"));
  EXPECT_THAT(Top("きょうかがくしゅう", 3), Contains("dlap-039"));
}

TEST_F(ReadingSearchTest, KatakanaVariantsAndParts) {
  EXPECT_THAT(Top("オートエンコーダ", 1), ::testing::ElementsAre("dlap-069"));
  EXPECT_THAT(Top("オートエンコーダー", 1), ::testing::ElementsAre("dlap-069"));
  EXPECT_THAT(Top("ホモロジー", 1), ::testing::ElementsAre("dlap-058"));
}

// A talk of the bigram tests: a Japanese abstract under a plain title.
Talk JapaneseTalk(std::string id, std::string abstract) {
  Talk t;
  t.id = std::move(id);
  t.title = "講演";
  t.abstract = std::move(abstract);
  t.date = "2024-01-01";
  t.language = "ja";
  return t;
}

// A Japanese word is found inside a compound through its bigrams, which
// must all be there (the query looks for a cover of them): a talk missing
// the word's first or last bigram, or one in its middle, is not found.
TEST(BigramSearch, FindsAWordInsideACompoundAndNotItsParts) {
  const std::string db = testing::MakeTempDir("bigrams") + "/db";
  IndexWriter(db, testing::Model(), 1)
      .Update({JapaneseTalk("compound", "量子ニューラルネットワークス理論を論じる。"),
               JapaneseTalk("no-last", "ニューラルネットワー理論を論じる。"),
               JapaneseTalk("no-first", "ミューラルネットワーク理論を論じる。"),
               JapaneseTalk("no-middle", "ニューラル計算とネットワーク理論を論じる。")});
  Searcher searcher(db, testing::Model());
  EXPECT_THAT(testing::HitIds(searcher, "ニューラルネットワーク"), ::testing::ElementsAre("compound"));
}

// A quoted phrase and an exclusion are the text itself, not its words
// apart: their bigram forms hold every bigram, with those across the joins
// between words (械学 in 機械|学習). The cover of every other bigram (stop
// 16) found "apart" for both. Unquoted, a compound also matches its words
// apart, below the talk that has it whole.
TEST(BigramSearch, ACompoundPhraseOrExclusionIsNotItsWordsApart) {
  const std::string db = testing::MakeTempDir("joins") + "/db";
  IndexWriter(db, testing::Model(), 1)
      .Update({JapaneseTalk("inside", "量子機械学習理論と強化学習を論じる。"),
               JapaneseTalk("apart", "機械の制御と学習の理論と強化学習を論じる。")});
  Searcher searcher(db, testing::Model());  // no glossary: words and bigrams only
  EXPECT_THAT(testing::HitIds(searcher, "機械学習"), ::testing::ElementsAre("inside", "apart"));
  EXPECT_THAT(testing::HitIds(searcher, "\"機械学習\""), ::testing::ElementsAre("inside"));
  EXPECT_THAT(testing::HitIds(searcher, "強化学習 -機械学習"), ::testing::ElementsAre("apart"));
  EXPECT_THAT(testing::HitIds(searcher, "強化学習 -\"機械学習\""), ::testing::ElementsAre("apart"));
}

TEST_F(ReadingSearchTest, RomajiFindsTheSpeaker) {
  const std::vector<std::string> ids = Top("Hashimoto", 3);
  EXPECT_THAT(ids, UnorderedElementsAre("dlap-002", "dlap-038", "dlap-053"));
}

}  // namespace
}  // namespace talksearch

namespace talksearch {
namespace {

SearchResponse SearchWithGlossary(const std::string& q, size_t limit = 10,
                                  bool autocorrect = true) {
  Searcher searcher(testing::CorpusIndexPath(), testing::Model(), testing::GlossaryOfRepo());
  SearchRequest r;
  r.query = q;
  r.limit = limit;
  r.autocorrect = autocorrect;
  return searcher.Search(r);
}

// What a query is corrected to: the query searched with autocorrect, and
// the suggestion without it (they must agree).
std::string CorrectionOf(const std::string& q) {
  const SearchResponse as_typed = SearchWithGlossary(q, 10, false);
  const SearchResponse corrected = SearchWithGlossary(q, 10, true);
  EXPECT_EQ(as_typed.did_you_mean, corrected.corrected_query) << q;
  EXPECT_EQ(as_typed.corrected_query, "") << q;
  EXPECT_EQ(corrected.did_you_mean, "") << q;
  return corrected.corrected_query;
}

TEST(Autocorrect, SearchesTheIndexedSpelling) {
  EXPECT_EQ(CorrectionOf("transformr"), "transformer");
  EXPECT_EQ(CorrectionOf("Hopfeild"), "hopfield");
  EXPECT_EQ(CorrectionOf("ボルツマンマシーン"), "ボルツマンマシン");
  EXPECT_EQ(CorrectionOf("diffusoin model"), "diffusion model");
  EXPECT_EQ(CorrectionOf("diffusion model"), "");
  EXPECT_EQ(CorrectionOf("拡散モデル"), "");
  // Words the glossary knows are not typos, even when the index lacks them
  // (the talks say 圧縮センシング, ニュートリノ is an English talk's Neutrino).
  EXPECT_EQ(CorrectionOf("compressed sensing"), "");
  EXPECT_EQ(CorrectionOf("ニュートリノ"), "");
  // Kana is a reading, searched as one: not "corrected" to the kanji.
  EXPECT_EQ(CorrectionOf("かくさんもでる"), "");
  // Words the talks use are not typos of more frequent ones, however few
  // talks they find (Ising was "using", inverse "diverse", sign "design").
  for (const std::string word : {"Ising", "inverse", "sign"}) {
    const SearchResponse r = SearchWithGlossary(word);
    EXPECT_LE(r.total, 2u) << word;  // few talks: the case that went wrong
    EXPECT_EQ(CorrectionOf(word), "") << word;
  }
  // A romaji name the speakers' readings have is no typo.
  EXPECT_EQ(CorrectionOf("Misumi"), "");
  EXPECT_EQ(CorrectionOf("renormalization grop"), "renormalization group");
  // A word is corrected where it was typed, not where its text occurs first.
  EXPECT_EQ(CorrectionOf("-netwrk netwrk"), "-netwrk network");
  EXPECT_EQ(CorrectionOf("\"deep netwrk\" netwrk"), "\"deep netwrk\" network");
  EXPECT_EQ(CorrectionOf("title:netwrk"), "title:network");
}

TEST(Autocorrect, TheCorrectedQueryFindsWhatTheRightSpellingFinds) {
  for (const auto& [typo, right] : std::vector<std::pair<std::string, std::string>>{
           {"difusion model", "diffusion model"},
           {"Boltzman machine", "Boltzmann machine"}}) {
    const SearchResponse corrected = SearchWithGlossary(typo);
    const SearchResponse expected = SearchWithGlossary(right);
    ASSERT_FALSE(expected.hits.empty()) << right;
    EXPECT_EQ(corrected.total, expected.total) << typo;
    ASSERT_EQ(corrected.hits.size(), expected.hits.size()) << typo;
    for (size_t i = 0; i < 3 && i < expected.hits.size(); ++i) {
      EXPECT_EQ(corrected.hits[i].talk.id, expected.hits[i].talk.id) << typo << " #" << i;
    }
    ASSERT_EQ(corrected.corrections.size(), 1u) << typo;
    EXPECT_EQ(corrected.corrections[0].kind, "spelling");
  }
}

// A wrong kanji of the same reading, as an input method gives it: the
// index lacks the word, the glossary has a form read the same.
TEST(Autocorrect, KanjiOfTheSameReadingFindsTheWordMeant) {
  for (const auto& [typo, right] : std::vector<std::pair<std::string, std::string>>{
           {"経路績分", "経路積分"}, {"強化学修", "強化学習"}, {"非平衡臨海現象", "非平衡臨界現象"}}) {
    const SearchResponse corrected = SearchWithGlossary(typo);
    const SearchResponse expected = SearchWithGlossary(right);
    ASSERT_FALSE(expected.hits.empty()) << right;
    EXPECT_EQ(corrected.corrected_query, right) << typo;
    ASSERT_FALSE(corrected.hits.empty()) << typo;
    EXPECT_EQ(corrected.hits[0].talk.id, expected.hits[0].talk.id) << typo;
    ASSERT_EQ(corrected.corrections.size(), 1u) << typo;
    EXPECT_EQ(corrected.corrections[0].kind, "reading");
  }
  // A word the index has is never replaced by a homophone.
  EXPECT_EQ(SearchWithGlossary("経路積分").corrected_query, "");
}

// Beyond the glossary: a word of the talks read the same (the indexer keeps
// titles' and abstracts' words by reading), the one most talks have.
TEST(Autocorrect, AWordOfTheTalksReadTheSameFindsIt) {
  for (const auto& [typo, right] : std::vector<std::pair<std::string, std::string>>{
           {"制度", "精度"}, {"範用", "汎用"}}) {
    Analyzer analyzer(testing::Model());
    ASSERT_EQ(testing::GlossaryOfRepo()->FindConcept(Glossary::Key(right, analyzer)),
              Glossary::kNoConcept)
        << right << " is a glossary form: pick another word";
    const SearchResponse corrected = SearchWithGlossary(typo);
    const SearchResponse expected = SearchWithGlossary(right);
    ASSERT_FALSE(expected.hits.empty()) << right;
    EXPECT_EQ(corrected.corrected_query, right) << typo;
    EXPECT_EQ(corrected.total, expected.total) << typo;
    ASSERT_EQ(corrected.corrections.size(), 1u) << typo;
    EXPECT_EQ(corrected.corrections[0].kind, "reading");
  }
}

// Each way people type a query finds what its standard form finds: the
// standard form's best talk is among the typed form's first three.
void ExpectFindsWhatStandardFormFinds(const std::vector<std::pair<std::string, std::string>>& pairs) {
  for (const auto& [typed, standard] : pairs) {
    const SearchResponse expected = SearchWithGlossary(standard);
    ASSERT_FALSE(expected.hits.empty()) << standard;
    const SearchResponse got = SearchWithGlossary(typed);
    std::vector<std::string> top;
    for (size_t i = 0; i < 3 && i < got.hits.size(); ++i) top.push_back(got.hits[i].talk.id);
    EXPECT_THAT(top, Contains(expected.hits[0].talk.id)) << typed << " vs " << standard;
  }
}

TEST(NaturalQuery, AnUnspacedSentenceIsItsContentWords) {
  ExpectFindsWhatStandardFormFinds({
      {"機械学習で相転移を検出する方法", "機械学習 相転移 検出"},
      {"格子QCDに機械学習を使う", "格子QCD 機械学習"},
      {"ニューラルネットで微分方程式を解くには", "ニューラルネット 微分方程式"},
  });
  // Quotes still mean the exact text: no talk says this sentence.
  EXPECT_EQ(SearchWithGlossary("\"機械学習で相転移を検出する方法\"").total, 0u);
}

TEST(NaturalQuery, AnEnglishQuestionIsItsContentWords) {
  ExpectFindsWhatStandardFormFinds({
      {"how are evolutionary algorithms used in physics research?", "evolutionary algorithms physics"},
      {"what is a diffusion model?", "diffusion model"},
  });
}

TEST(NaturalQuery, NamesWithHonorificsInKanaAndInRomaji) {
  ExpectFindsWhatStandardFormFinds({
      {"橋本さんの講演", "橋本"},
      {"今田正俊先生", "今田正俊"},
      {"はしもとこうじ", "橋本幸士"},
      {"Misumi", "三角樹弘"},
      {"Taiji Suzuki", "鈴木大慈"},
      {"かばしまよしゆき", "樺島祥介"},
  });
}

// A name found by its reading in kana or romaji is marked on the name.
TEST(NaturalQuery, NamesFoundByTheirReadingAreMarked) {
  auto speakers_of = [](const std::string& q) {
    std::vector<std::string> html;
    for (const SearchHit& h : SearchWithGlossary(q).hits) html.push_back(h.speaker_html);
    return html;
  };
  EXPECT_THAT(speakers_of("Misumi"), Contains("<mark>三角</mark> 樹弘"));
  EXPECT_THAT(speakers_of("はしもとこうじ"), Contains("<mark>橋本</mark> <mark>幸士</mark>"));
  EXPECT_THAT(speakers_of("Taiji Suzuki"), Contains("<mark>鈴木大慈</mark>"));
  // Only the name read so: a panel's other names stay unmarked, though
  // ユキ of 永井佑紀 is in かばしまよしゆき.
  for (const std::string& html : speakers_of("かばしまよしゆき")) {
    EXPECT_THAT(html, ::testing::Not(HasSubstr("<mark>永井"))) << html;
    EXPECT_THAT(html, ::testing::Not(HasSubstr("<mark>佑紀"))) << html;
  }
}

// An affiliation in any of its names: the institution is a glossary
// concept, marked in affiliations too; "of" of University of Tokyo counts as
// part of the name, not as a dropped word.
TEST(NaturalQuery, AnInstitutionInAnyOfItsNames) {
  // Each of the first five talks is by someone of the institution, in
  // whichever of its names the page gives.
  for (const auto& [query, names] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"Kyoto University", {"京都大学", "京大"}},
           {"RIKEN", {"RIKEN", "理研", "理化学研究所"}},
           {"University of Tokyo", {"東京大学", "東大"}}}) {
    const SearchResponse r = SearchWithGlossary(query);
    ASSERT_GE(r.hits.size(), 5u) << query;
    for (size_t i = 0; i < 5; ++i) {
      const std::string affiliations = r.hits[i].talk.Affiliations();
      EXPECT_TRUE(std::any_of(names.begin(), names.end(), [&](const std::string& n) {
        return affiliations.find(n) != std::string::npos;
      })) << query << " #" << i << ": " << affiliations;
    }
    EXPECT_TRUE(r.relaxed_words.empty()) << query;
  }
}

TEST(NaturalQuery, KatakanaVariantsAreOneWord) {
  ExpectFindsWhatStandardFormFinds({
      {"ランジュヴァン動力学", "ランジュバン動力学"},
      {"シュヴィンガー模型", "シュウィンガー模型"},
      {"量子リザーバー計算", "量子リザバー計算"},
      {"コンピューター", "コンピュータ"},
      {"パラメーター", "パラメータ"},
  });
}

TEST(NaturalQuery, TyposAndInputMethodErrors) {
  ExpectFindsWhatStandardFormFinds({
      {"difusion model", "diffusion model"},
      {"Boltzman machine", "Boltzmann machine"},
      {"経路績分", "経路積分"},
      {"強化学修", "強化学習"},
      {"非平衡臨海現象", "非平衡臨界現象"},
  });
}

// A word no talk has is dropped, and the response says so; the talks with
// the other words rank as they would without it.
TEST(Relaxation, AWordNoTalkHasIsDroppedAndSaid) {
  const SearchResponse relaxed = SearchWithGlossary("拡散モデル qwxzvq");
  EXPECT_THAT(relaxed.relaxed_words, ::testing::ElementsAre("qwxzvq"));
  const SearchResponse without = SearchWithGlossary("拡散モデル");
  ASSERT_FALSE(without.hits.empty());
  ASSERT_EQ(relaxed.hits.size(), without.hits.size());
  for (size_t i = 0; i < without.hits.size(); ++i) {
    EXPECT_EQ(relaxed.hits[i].talk.id, without.hits[i].talk.id) << i;
  }
  EXPECT_TRUE(without.relaxed_words.empty());
  // Words that several talks have together are never dropped.
  EXPECT_TRUE(SearchWithGlossary("機械学習 相転移").relaxed_words.empty());
}

std::vector<std::string> ViaOf(const std::string& q, const std::string& id) {
  for (const SearchHit& h : SearchWithGlossary(q, 20).hits) {
    if (h.talk.id == id) return h.matched_via;
  }
  return {"(not found)"};
}

TEST(MatchedVia, SaysHowATalkMatched) {
  EXPECT_THAT(ViaOf("拡散モデル", "dlap-062"), Contains("word"));
  EXPECT_THAT(ViaOf("かくさんもでる", "dlap-062"), Contains("reading"));
  EXPECT_THAT(ViaOf("Hashimoto", "dlap-002"), Contains("name"));
  // The talk is Japanese: English finds it through the glossary alone.
  EXPECT_THAT(ViaOf("black hole", "dlap-017"), Contains("glossary"));
  EXPECT_THAT(ViaOf("black hole", "dlap-017"), ::testing::Not(Contains("word")));
  EXPECT_THAT(ViaOf("ホモロジー", "dlap-058"), Contains("bigram"));
  // Katakana is spelled as it is read: the title has the word itself, not
  // just its reading, and is not scored for it a third time.
  EXPECT_THAT(ViaOf("ホモロジー", "dlap-058"), ::testing::Not(Contains("reading")));
  EXPECT_THAT(ViaOf("\"Neural Polytopes\"", "dlap-053"), Contains("phrase"));
  // 圧縮センシング is narrower than スパースモデリング in the glossary.
  EXPECT_THAT(ViaOf("スパースモデリング", "dlap-068"), Contains("related"));
  EXPECT_THAT(ViaOf("スパースモデリング", "dlap-068"), ::testing::Not(Contains("word")));
}

}  // namespace
}  // namespace talksearch

namespace talksearch {
namespace {

class ExperienceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    searcher_ = new Searcher(testing::CorpusIndexPath(), testing::Model(), testing::GlossaryOfRepo());
  }
  static void TearDownTestSuite() {
    delete searcher_;
    searcher_ = nullptr;
  }
  static SearchResponse Run(const std::string& q,
                            std::map<std::string, std::vector<std::string>> filters = {},
                            size_t limit = 50) {
    SearchRequest r;
    r.query = q;
    r.limit = limit;
    r.filters = std::move(filters);
    return searcher_->Search(r);
  }
  static Searcher* searcher_;
};
Searcher* ExperienceTest::searcher_ = nullptr;

TEST_F(ExperienceTest, RequestFiltersRestrictResults) {
  const SearchResponse r = Run("ニューラルネットワーク", {{"year", {"2021", "2022"}}});
  ASSERT_FALSE(r.hits.empty());
  for (const SearchHit& h : r.hits) {
    EXPECT_TRUE(h.talk.date.rfind("2021", 0) == 0 || h.talk.date.rfind("2022", 0) == 0) << h.talk.id;
  }
  // A speaker filter ignores the space between family and given name.
  const SearchResponse by_speaker = Run("", {{"speaker", {"三角樹弘"}}});
  ASSERT_EQ(by_speaker.hits.size(), 1u);
  EXPECT_EQ(by_speaker.hits[0].talk.id, "dlap-077");
  const SearchResponse english = Run("", {{"lang", {"en"}}});
  ASSERT_FALSE(english.hits.empty());
  for (const SearchHit& h : english.hits) EXPECT_EQ(h.talk.language, "en");
  bool saw_paper = false;
  for (const SearchHit& h : Run("Koopman", {{"collection", {"all"}}}).hits) {
    saw_paper = saw_paper || h.talk.collection == "papers";
  }
  EXPECT_TRUE(saw_paper);
  // collection=all alone lists every talk of every collection, as any
  // other filter alone lists what it selects (it was an empty_query).
  const SearchResponse everything = Run("", {{"collection", {"all"}}});
  EXPECT_EQ(everything.total, Xapian::Database(testing::CorpusIndexPath()).get_doccount());
  EXPECT_EQ(Run("collection:all", {}).total, everything.total);
  // An excluded filter alone lists the talks it leaves (it was an empty_query).
  const SearchResponse talks = Run("", {{"collection", {"talks"}}});
  const SearchResponse not_2020 = Run("-year:2020", {});
  EXPECT_GT(not_2020.total, 0u);
  EXPECT_LT(not_2020.total, talks.total);
  ASSERT_FALSE(not_2020.facets.at("year").empty());
  for (const auto& v : not_2020.facets.at("year")) EXPECT_NE(v.value, "2020");
  EXPECT_THROW(Run("PINN", {{"year", {"20x1"}}}), QueryError);
  EXPECT_THROW(Run("PINN", {{"lang", {"fr"}}}), QueryError);
  EXPECT_THROW(Run("PINN", {{"colour", {"red"}}}), QueryError);
}

TEST_F(ExperienceTest, FacetsCountAllMatches) {
  const SearchResponse r = Run("拡散モデル", {}, 1);
  ASSERT_EQ(r.hits.size(), 1u);
  Xapian::doccount years = 0;
  for (const auto& v : r.facets.at("year")) years += v.count;
  EXPECT_EQ(years, r.total);  // every match has a year, counted once
  std::vector<std::string> speakers;
  for (const auto& v : r.facets.at("speaker")) speakers.push_back(v.value);
  EXPECT_THAT(speakers, Contains("広野 雄士"));
  std::vector<std::string> series;
  for (const auto& v : r.facets.at("series")) series.push_back(v.value);
  EXPECT_THAT(series, ::testing::IsSupersetOf({"dlap", "mlphys"}));
  const auto& year_values = r.facets.at("year");
  for (size_t i = 1; i < year_values.size(); ++i) {
    EXPECT_GT(year_values[i - 1].value, year_values[i].value);  // newest first
  }
}

// A facet the search filters on lists its other values too, each with what
// choosing it would find (values of one filter are alternatives); with a
// year chosen, that year was the only one shown. The other facets count
// the filtered matches.
TEST_F(ExperienceTest, AFilteredFacetListsItsOtherValuesWithWhatEachFinds) {
  const std::string q = "ニューラルネットワーク";
  const SearchResponse r = Run(q, {{"year", {"2021"}}});
  const auto& years = r.facets.at("year");
  ASSERT_GE(years.size(), 3u);
  for (const auto& v : years) EXPECT_EQ(Run(q, {{"year", {v.value}}}).total, v.count) << v.value;
  Xapian::doccount languages = 0;
  for (const auto& v : r.facets.at("language")) languages += v.count;
  EXPECT_EQ(languages, r.total);
  EXPECT_EQ(Run(q, {{"year", {"2021", "2022"}}}).total,
            r.total + Run(q, {{"year", {"2022"}}}).total);
  // The collection facet of a search in papers lists the talks too.
  const SearchResponse papers = Run("diffusion", {{"collection", {"papers"}}});
  const auto& collections = papers.facets.at("collection");
  const auto talks = std::find_if(collections.begin(), collections.end(),
                                  [](const auto& v) { return v.value == "talks"; });
  ASSERT_NE(talks, collections.end());
  EXPECT_EQ(talks->count, Run("diffusion", {{"collection", {"talks"}}}).total);
}

// A speaker chip's count is what clicking it finds: the page spells some
// names with and without a space (田中章詞, 田中 章詞), which the filter
// takes as one person and the facet counted as two (4 where 5 were found).
TEST_F(ExperienceTest, EachSpeakerFacetCountsWhatItsFilterFinds) {
  for (const std::string q : {"機械学習", "深層学習", "ニューラルネットワーク"}) {
    const SearchResponse r = Run(q, {});
    ASSERT_GE(r.facets.at("speaker").size(), 5u) << q;
    std::set<std::string> people;
    for (const auto& v : r.facets.at("speaker")) {
      EXPECT_TRUE(people.insert(SpeakerKey(v.value)).second) << "two values for " << v.value;
      EXPECT_EQ(Run(q, {{"speaker", {v.value}}}).total, v.count) << q << " / " << v.value;
    }
  }
}

// Past 10,000 matches too, the total and the facets count every match.
// Xapian stops counting, unless told not to, once it has seen as many as it
// was asked to check and the rest cannot reach the page (here, the talks
// after the 10,000th that do not name the words in their title).
TEST(ManyMatches, TotalAndFacetsCountEveryMatch) {
  Searcher searcher(testing::ManyMatchesIndexPath(), testing::Model());
  SearchRequest request;
  request.query = "拡散モデル";
  const SearchResponse r = searcher.Search(request);
  const auto all = static_cast<Xapian::doccount>(testing::kManyMatches);
  EXPECT_EQ(r.total, all);
  EXPECT_TRUE(r.total_exact);
  ASSERT_EQ(r.hits.size(), 10u);
  EXPECT_THAT(r.hits[9].talk.title, ::testing::EndsWith(" 拡散モデル 拡散モデル 拡散モデル"));
  std::map<std::string, Xapian::doccount> years;
  for (const auto& v : r.facets.at("year")) years[v.value] = v.count;
  EXPECT_EQ(years["2023"], all / 3);
  EXPECT_EQ(years["2024"], all - all / 3);
  const nlohmann::json body = SearchResponseToJson(r);
  EXPECT_EQ(body["total"], all);
  EXPECT_EQ(body["total_exact"], true);
}

// A searcher keeps its hits' normalized texts, not their marks: a talk that
// is a hit again is marked for the new query's words only.
TEST_F(ExperienceTest, ARepeatedHitIsMarkedForEachQuery) {
  auto hit_of = [this](const std::string& query) {
    for (const SearchHit& h : Run(query, {}, 20).hits) {
      if (h.talk.id == "dlap-062") return h;
    }
    ADD_FAILURE() << "dlap-062 not found for " << query;
    return SearchHit();
  };
  const SearchHit first = hit_of("拡散モデル");
  EXPECT_THAT(first.title_html, HasSubstr("<mark>拡散モデル</mark>"));
  EXPECT_THAT(first.title_html, Not(HasSubstr("<mark>経路積分</mark>")));
  const SearchHit second = hit_of("経路積分");
  EXPECT_THAT(second.title_html, HasSubstr("<mark>経路積分</mark>"));
  EXPECT_THAT(second.title_html, Not(HasSubstr("<mark>拡散モデル</mark>")));
  EXPECT_THAT(second.snippet, HasSubstr("<mark>経路積分</mark>"));
  EXPECT_EQ(hit_of("拡散モデル").snippet, first.snippet);
}

TEST_F(ExperienceTest, TitleAndSpeakerAreHighlighted) {
  const SearchResponse r = Run("拡散モデル", {}, 2);
  ASSERT_FALSE(r.hits.empty());
  EXPECT_THAT(r.hits[0].title_html, HasSubstr("<mark>拡散モデル</mark>"));
  const SearchResponse by_name = Run("speaker:三角", {}, 1);
  ASSERT_FALSE(by_name.hits.empty());
  EXPECT_THAT(by_name.hits[0].speaker_html, HasSubstr("<mark>三角</mark>"));
}

std::vector<std::string> Texts(const std::vector<Suggestion>& suggestions) {
  std::vector<std::string> out;
  for (const Suggestion& s : suggestions) out.push_back(s.text);
  return out;
}

TEST_F(ExperienceTest, SuggestCompletesTitlesTermsSpeakersAndReadings) {
  EXPECT_THAT(Texts(searcher_->Suggest("かくさ", 8)), Contains("拡散モデル"));
  EXPECT_EQ(Texts(searcher_->Suggest("PI", 8)).front(), "PINN");
  // One speaker, however the page spells the name.
  EXPECT_THAT(Texts(searcher_->Suggest("橋本", 8)), ::testing::ElementsAre("橋本幸士"));
  EXPECT_THAT(Texts(searcher_->Suggest("パーシステント", 8)),
              Contains("パーシステントホモロジーと機械学習"));
  EXPECT_THAT(Texts(searcher_->Suggest("pi", 8)),
              Not(Contains(HasSubstr("inspirehep"))));  // only at word starts
  EXPECT_TRUE(searcher_->Suggest("", 8).empty());
  EXPECT_LE(searcher_->Suggest("a", 3).size(), 3u);
  EXPECT_THROW(searcher_->Suggest("\xff", 8), QueryError);
  // One suggestion per search: a title and a term differing only in case
  // ("Neural Polytopes", "neural polytopes") were both offered.
  const std::vector<std::string> neural = Texts(searcher_->Suggest("Neural Polytopes", 8));
  EXPECT_EQ(std::count_if(neural.begin(), neural.end(),
                          [](const std::string& t) { return NormalizeString(t) == "neural polytopes"; }),
            1) << ::testing::PrintToString(neural);
}

TEST_F(ExperienceTest, RelatedTalksAreCloseInContent) {
  const auto related = searcher_->Related("dlap-062", 3);
  ASSERT_TRUE(related.has_value());
  std::vector<std::string> ids;
  for (const SearchHit& h : *related) ids.push_back(h.talk.id);
  EXPECT_THAT(ids, Contains("dlap-067"));  // the other diffusion-model talk
  EXPECT_THAT(ids, Not(Contains("dlap-062")));
  EXPECT_LE(ids.size(), 3u);
  EXPECT_FALSE(searcher_->Related("dlap-999", 3).has_value());
}

}  // namespace
}  // namespace talksearch
