// The query library against an index of the bundled corpus: what the search
// page shows — request filters, facets that count what each choice finds,
// totals past 10,000 matches, highlights, suggestions and related talks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "talksearch/normalizer.h"
#include "talksearch/search_json.h"
#include "talksearch/searcher.h"
#include "test_index.h"

namespace talksearch {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

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
  // other filter alone lists what it selects (not an empty_query).
  const SearchResponse everything = Run("", {{"collection", {"all"}}});
  EXPECT_EQ(everything.total, Xapian::Database(testing::CorpusIndexPath()).get_doccount());
  EXPECT_EQ(Run("collection:all", {}).total, everything.total);
  // An excluded filter alone lists the talks it leaves (not an empty_query).
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
// choosing it would find (values of one filter are alternatives): a chosen
// year is not the only one shown. The other facets count the filtered
// matches.
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
// takes as one person, so the facet counts them as one (counted apart, a
// chip would say 4 where clicking it finds 5).
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
  // ("Neural Polytopes", "neural polytopes") are not both offered.
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
