// The query library against an index of the bundled corpus: each way people
// type a query finds what they mean — readings in kana and romaji, Japanese
// words inside compounds (bigrams), corrections of typos and input-method
// errors, natural sentences and names, dropped words, and how a talk matched.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "talksearch/index_writer.h"
#include "talksearch/searcher.h"
#include "test_index.h"

namespace talksearch {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

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

// A compound is the text itself, not its words apart: where the index
// lacks it as a word (量子機械学習 holds it), its parts must be next to each
// other, checked by every bigram across their joins (械学 in 機械|学習); a
// cover of every other bigram would find "apart". So for a quoted phrase and
// an exclusion. Typed with a space, the words are found apart too.
TEST(BigramSearch, ACompoundPhraseOrExclusionIsNotItsWordsApart) {
  const std::string db = testing::MakeTempDir("joins") + "/db";
  IndexWriter(db, testing::Model(), 1)
      .Update({JapaneseTalk("inside", "量子機械学習理論と強化学習を論じる。"),
               JapaneseTalk("apart", "機械の制御と学習の理論と強化学習を論じる。")});
  Searcher searcher(db, testing::Model());  // no glossary: words and bigrams only
  EXPECT_THAT(testing::HitIds(searcher, "機械学習"), ::testing::ElementsAre("inside"));
  EXPECT_THAT(testing::HitIds(searcher, "\"機械学習\""), ::testing::ElementsAre("inside"));
  EXPECT_THAT(testing::HitIds(searcher, "強化学習 -機械学習"), ::testing::ElementsAre("apart"));
  EXPECT_THAT(testing::HitIds(searcher, "強化学習 -\"機械学習\""), ::testing::ElementsAre("apart"));
  EXPECT_THAT(testing::HitIds(searcher, "機械 学習"),
              ::testing::UnorderedElementsAre("inside", "apart"));
}

// A katakana word the index has as a word still finds the talk that spells
// it in hiragana inside a sentence (MeCab reads that one differently), by
// the bigrams of its hiragana spelling, and the hit says so.
TEST(BigramSearch, KatakanaFindsItsHiraganaSpellingAndSaysHow) {
  const std::string db = testing::MakeTempDir("kana-scripts") + "/db";
  IndexWriter(db, testing::Model(), 1)
      .Update({JapaneseTalk("katakana", "本講演ではイヌについて議論する。"),
               JapaneseTalk("hiragana", "本講演ではいぬについて議論する。")});
  Searcher searcher(db, testing::Model());
  SearchRequest request;
  request.query = "イヌ";
  const SearchResponse response = searcher.Search(request);
  std::vector<std::string> ids;
  for (const auto& hit : response.hits) {
    ids.push_back(hit.talk.id);
    if (hit.talk.id != "hiragana") continue;
    EXPECT_THAT(hit.matched_terms, ::testing::Contains(MatchedTerm{"bigram", "イヌ"}));
  }
  EXPECT_THAT(ids, ::testing::UnorderedElementsAre("katakana", "hiragana"));
}

TEST_F(ReadingSearchTest, RomajiFindsTheSpeaker) {
  const std::vector<std::string> ids = Top("Hashimoto", 3);
  EXPECT_THAT(ids, UnorderedElementsAre("dlap-002", "dlap-038", "dlap-053"));
}

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
  // The two words of a spaced name are one mark.
  EXPECT_THAT(speakers_of("はしもとこうじ"), Contains("<mark>橋本 幸士</mark>"));
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
