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
using ::testing::HasSubstr;
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
  EXPECT_THAT(Ids("black hole", false), ::testing::IsEmpty());
  EXPECT_THAT(Ids("black hole", true, 1), ::testing::ElementsAre("dlap-017"));
  EXPECT_THAT(Ids("diffusion model", true, 2), UnorderedElementsAre("dlap-062", "dlap-067"));
}

TEST_F(GlossarySearchTest, JapaneseQueryFindsEnglishTalks) {
  EXPECT_THAT(Ids("ニュートリノ", false), ::testing::IsEmpty());
  EXPECT_THAT(Ids("ニュートリノ", true, 1), ::testing::ElementsAre("dlap-013"));
}

TEST_F(GlossarySearchTest, LiteralMatchesStayFirst) {
  // The glossary widens PINN to its Japanese and English names; the talks
  // that say PINN must still lead.
  EXPECT_THAT(Ids("PINN", true, 2), UnorderedElementsAre("dlap-077", "dlap-072"));
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
