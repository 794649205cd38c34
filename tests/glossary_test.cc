// The Japanese↔English glossary: its file format, how forms are compared,
// and what it does to search results.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "talksearch/glossary.h"
#include "talksearch/searcher.h"
#include "test_index.h"

namespace talksearch {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

TEST(Glossary, FormsCompareByAnalysedWords) {
  Analyzer analyzer(testing::Model());
  auto g = Glossary::Parse(
      "# comment\n"
      "物理情報ニューラルネットワーク\tphysics-informed neural network\tPINN\n"
      "\n"
      "拡散モデル\tdiffusion model\n",
      "g.tsv", analyzer);
  EXPECT_EQ(g->concept_count(), 2u);
  EXPECT_EQ(g->max_form_words(), 3u);
  for (const char* typed : {"Physics Informed Neural Networks", "physics-informed neural network",
                            "ＰＩＮＮ", "pinn"}) {
    const auto* forms = g->Find(Glossary::Key(typed, analyzer));
    ASSERT_NE(forms, nullptr) << typed;
    EXPECT_EQ(forms->front(), "物理情報ニューラルネットワーク");
  }
  EXPECT_NE(g->Find(Glossary::Key("Diffusion Models", analyzer)), nullptr);
  EXPECT_EQ(g->Find(Glossary::Key("diffusion", analyzer)), nullptr);
}

TEST(Glossary, BadLinesNameFileAndLine) {
  Analyzer analyzer(testing::Model());
  try {
    Glossary::Parse("a\tb\nonly-one-form\n", "dict/glossary.tsv", analyzer);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("dict/glossary.tsv:2"));
  }
  try {
    Glossary::Parse("拡散モデル\tdiffusion model\nscore model\tDiffusion Models\n", "g.tsv", analyzer);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("g.tsv:2"));
  }
}

TEST(Glossary, RelationsLinkBroaderNarrowerAndRelatedConcepts) {
  Analyzer analyzer(testing::Model());
  auto g = Glossary::Parse(
      "生成モデル\tgenerative model\n"
      "拡散モデル\tdiffusion model\n"
      "潜在拡散モデル\tlatent diffusion model\n"
      "最適輸送\toptimal transport\n"
      "経路積分\tpath integral\n"
      "> generative models\t拡散モデル\n"   // any form names a concept
      "> 拡散モデル\tlatent diffusion model\n"
      "> 潜在拡散モデル\t生成モデル\n"       // a cycle is followed once
      "~ 拡散モデル\toptimal transport\t経路積分\n",
      "g.tsv", analyzer);
  auto id = [&](const char* form) { return g->FindConcept(Glossary::Key(form, analyzer)); };
  const size_t generative = id("生成モデル"), diffusion = id("拡散モデル"),
               latent = id("潜在拡散モデル"), transport = id("最適輸送");
  ASSERT_NE(generative, Glossary::kNoConcept);
  EXPECT_THAT(g->Narrower(generative, 1), ElementsAre(diffusion));
  EXPECT_THAT(g->Narrower(generative, 2), ElementsAre(diffusion, latent));
  EXPECT_THAT(g->Narrower(latent, 5), ElementsAre(generative, diffusion));
  EXPECT_THAT(g->Broader(latent, 1), ElementsAre(diffusion));
  EXPECT_THAT(g->Broader(latent, 2), ElementsAre(diffusion, generative));
  EXPECT_THAT(g->Broader(generative, 5), ElementsAre(latent, diffusion));
  const size_t path_integral = id("経路積分");
  EXPECT_THAT(g->Related(diffusion), ElementsAre(transport, path_integral));
  // Related both ways to the first concept only, not to each other.
  EXPECT_THAT(g->Related(transport), ElementsAre(diffusion));
  EXPECT_THAT(g->Related(path_integral), ElementsAre(diffusion));
  EXPECT_THAT(g->Related(generative), IsEmpty());
}

TEST(Glossary, RelationToAnUnknownTermNamesFileAndLine) {
  Analyzer analyzer(testing::Model());
  try {
    Glossary::Parse("生成モデル\tgenerative model\n\n> 生成モデル\tscore model\n", "g.tsv",
                    analyzer);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("g.tsv:3"));
    EXPECT_THAT(e.what(), HasSubstr("score model"));
  }
}

TEST(Glossary, KanaFindsAConceptByItsReading) {
  Analyzer analyzer(testing::Model());
  auto g = Glossary::Parse("宇宙論\tcosmology\n相転移\tphase transition\n核\tnucleus\n", "g.tsv",
                           analyzer);
  const size_t cosmology = g->FindConcept(Glossary::Key("cosmology", analyzer));
  EXPECT_EQ(g->FindConceptByReading(analyzer.ReadingOf("うちゅうろん")), cosmology);
  EXPECT_EQ(g->FindConceptByReading(analyzer.ReadingOf("ソウテンイ")),
            g->FindConcept(Glossary::Key("phase transition", analyzer)));
  // Two-kana readings name too many words to widen a query safely.
  EXPECT_EQ(g->FindConceptByReading(analyzer.ReadingOf("かく")), Glossary::kNoConcept);
}

TEST(Glossary, RepositoryGlossaryLoadsAndIsLarge) {
  auto g = testing::GlossaryOfRepo();
  ASSERT_NE(g, nullptr);
  EXPECT_GE(g->concept_count(), 200u);
}

class GlossarySearchTest : public ::testing::Test {
 protected:
  static std::vector<std::string> Ids(const std::string& q, bool with_glossary, size_t n = 10) {
    Searcher searcher(testing::CorpusIndexPath(), testing::Model(),
                      with_glossary ? testing::GlossaryOfRepo() : nullptr);
    return testing::HitIds(searcher, q, n);
  }
};

TEST_F(GlossarySearchTest, EnglishQueryFindsJapaneseTalks) {
  // Without the glossary the Japanese talk is not found (autocorrect may
  // turn the English words, which no talk has, into others).
  EXPECT_THAT(Ids("black hole", false), ::testing::Not(::testing::Contains("dlap-017")));
  EXPECT_THAT(Ids("black hole", true, 1), ::testing::ElementsAre("dlap-017"));
  EXPECT_THAT(Ids("diffusion model", true, 2), UnorderedElementsAre("dlap-062", "dlap-067"));
}

TEST_F(GlossarySearchTest, JapaneseQueryFindsEnglishTalks) {
  EXPECT_THAT(Ids("ニュートリノ", false), ::testing::Not(::testing::Contains("dlap-013")));
  EXPECT_THAT(Ids("ニュートリノ", true, 1), ::testing::ElementsAre("dlap-013"));
}

TEST_F(GlossarySearchTest, LiteralMatchesStayFirst) {
  // The glossary widens PINN to its Japanese and English names; the talks
  // that say PINN must still lead.
  EXPECT_THAT(Ids("PINN", true, 2), UnorderedElementsAre("dlap-077", "dlap-072"));
}

TEST_F(GlossarySearchTest, BroaderConceptAlsoFindsTalksNamingANarrowerOne) {
  // The compressed-sensing talk never says スパースモデリング; the EHT talk
  // does, and stays first.
  EXPECT_THAT(Ids("スパースモデリング", false), Not(Contains("dlap-068")));
  const auto widened = Ids("スパースモデリング", true);
  ASSERT_THAT(widened, Contains("dlap-068"));
  EXPECT_EQ(widened.front(), "dlap-017");
}

TEST_F(GlossarySearchTest, KanaReadingOfAConceptFindsItsEnglishForms) {
  // The English talk says "cosmology"; うちゅうろん is read as 宇宙論.
  EXPECT_THAT(Ids("うちゅうろん", false), Not(Contains("dlap-040")));
  EXPECT_THAT(Ids("うちゅうろん", true), Contains("dlap-040"));
}

TEST_F(GlossarySearchTest, KanaForADomainWordFindsItInAbstracts) {
  // Abstracts are not indexed by reading; とうけいりきがく reads as the
  // glossary form 統計力学, which counts as typed, so the replica-symmetry
  // talk (統計力学 in its abstract, not its title) is found, and high.
  EXPECT_THAT(Ids("とうけいりきがく", false), Not(Contains("dlap-033")));
  EXPECT_THAT(Ids("とうけいりきがく", true, 3), Contains("dlap-033"));
  EXPECT_EQ(Ids("とうけいりきがく", true, 1), Ids("統計力学", true, 1));
}

TEST_F(GlossarySearchTest, CompoundTypedWithSpacesIsStillTheConcept) {
  Analyzer analyzer(testing::Model());
  ParsedQuery parsed = ParseQuery("量子 機械学習");
  const BuiltQuery built =
      BuildQuery(parsed, analyzer, RankingParams{}, testing::GlossaryOfRepo().get(), "");
  // The concept 量子機械学習 (QML) is searched by its concept term.
  const auto glossary = testing::GlossaryOfRepo();
  const std::string concept_term =
      "XK" + glossary->ConceptKey(glossary->FindConcept(Glossary::Key("QML", analyzer)));
  ASSERT_TRUE(built.term_via.count(concept_term));
  EXPECT_EQ(built.term_via.at(concept_term), "glossary");
}

}  // namespace
}  // namespace talksearch

namespace talksearch {
namespace {

TEST(SegmentationCheck, ReportsTermsMecabSplits) {
  Analyzer analyzer(testing::Model());
  const std::vector<std::string> split =
      TermsMecabSplits({"拡散モデル", "量子重力的猫理論", "diffusion model", "PINN"}, analyzer);
  EXPECT_THAT(split, ::testing::ElementsAre("量子重力的猫理論"));
}

// Every Japanese glossary form and dictionary term stays one word: the
// check talks-index runs at reindex finds nothing in what we ship.
TEST(SegmentationCheck, ShippedGlossaryAndDictionaryStayWhole) {
  Analyzer analyzer(testing::Model());
  const auto terms = DomainTerms(*testing::GlossaryOfRepo(), testing::SourcePath("dict/userdic.tsv"));
  EXPECT_GE(terms.size(), 1000u);
  EXPECT_THAT(TermsMecabSplits(terms, analyzer), ::testing::IsEmpty());
}

}  // namespace
}  // namespace talksearch
