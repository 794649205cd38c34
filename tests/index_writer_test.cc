// The index writer: in-place updates (added / changed / removed /
// unchanged), what a document holds, and the analysis fingerprint check.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "talksearch/glossary.h"
#include "talksearch/index_build.h"
#include "talksearch/index_writer.h"
#include "talksearch/schema.h"
#include "talksearch/searcher.h"
#include "test_index.h"

namespace talksearch {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Talk MakeTalk(const std::string& id, const std::string& title, const std::string& abstract) {
  Talk t;
  t.id = id;
  t.title = title;
  t.abstract = abstract;
  t.date = "2024-05-01";
  t.language = "ja";
  t.series = {"dlap"};
  t.speakers = {{"橋本 幸士", "京都大学", ""}};
  return t;
}

// A document's terms with their within-document frequencies.
std::map<std::string, Xapian::termcount> WdfOfTerms(const Xapian::Document& doc) {
  std::map<std::string, Xapian::termcount> wdf;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) wdf[*t] = t.get_wdf();
  return wdf;
}

std::vector<std::string> SearchIds(const std::string& db, const std::string& q) {
  Searcher searcher(db, testing::Model());
  return testing::HitIds(searcher, q);
}

TEST(IndexWriter, UpdatesInPlace) {
  const std::string db = testing::MakeTempDir("writer") + "/db";
  std::vector<Talk> talks = {MakeTalk("t-1", "拡散モデルの理論", "拡散モデルについて"),
                             MakeTalk("t-2", "繰り込み群と深層学習", "繰り込み群について"),
                             MakeTalk("t-3", "最適輸送入門", "最適輸送について")};
  {
    IndexWriter writer(db, testing::Model());
    const IndexUpdateReport first = writer.Update(talks);
    EXPECT_THAT(first.added, ElementsAre("t-1", "t-2", "t-3"));
    EXPECT_EQ(first.documents, 3u);

    const IndexUpdateReport again = writer.Update(talks);
    EXPECT_THAT(again.added, IsEmpty());
    EXPECT_THAT(again.changed, IsEmpty());
    EXPECT_THAT(again.unchanged, ElementsAre("t-1", "t-2", "t-3"));

    talks[1].title = "テンソルネットワークと深層学習";
    talks.erase(talks.begin() + 2);
    talks.push_back(MakeTalk("t-4", "経路積分の方法", "経路積分について"));
    const IndexUpdateReport next = writer.Update(talks);
    EXPECT_THAT(next.added, ElementsAre("t-4"));
    EXPECT_THAT(next.changed, ElementsAre("t-2"));
    EXPECT_THAT(next.removed, ElementsAre("t-3"));
    EXPECT_THAT(next.unchanged, ElementsAre("t-1"));
    EXPECT_EQ(next.documents, 3u);
    EXPECT_GT(next.revision, first.revision);
  }
  EXPECT_THAT(SearchIds(db, "テンソルネットワーク"), ElementsAre("t-2"));
  EXPECT_THAT(SearchIds(db, "最適輸送"), IsEmpty());
  EXPECT_THAT(SearchIds(db, "経路積分"), ElementsAre("t-4"));
}

// A talk whose entry could not be read is absent from the corpus, not gone
// from the seminar: talks-index keeps such talks while the corpus has
// problems.
TEST(IndexWriter, KeepsTalksAbsentFromTheCorpusWhenAskedTo) {
  const std::string db = testing::MakeTempDir("writer") + "/db";
  const std::vector<Talk> talks = {MakeTalk("t-1", "拡散モデルの理論", "拡散モデルについて"),
                                   MakeTalk("t-2", "繰り込み群と深層学習", "繰り込み群について"),
                                   MakeTalk("t-3", "最適輸送入門", "最適輸送について")};
  IndexWriter writer(db, testing::Model());
  writer.Update(talks);
  const std::vector<Talk> fewer = {talks[0], talks[2]};
  writer.SetAbsentTalks(AbsentTalks::kKeep);
  const IndexUpdateReport kept = writer.Update(fewer);
  EXPECT_THAT(kept.removed, IsEmpty());
  EXPECT_THAT(kept.kept, ElementsAre("t-2"));
  EXPECT_EQ(kept.documents, 3u);
  writer.SetAbsentTalks(AbsentTalks::kRemove);
  const IndexUpdateReport removed = writer.Update(fewer);
  EXPECT_THAT(removed.removed, ElementsAre("t-2"));
  EXPECT_THAT(removed.kept, IsEmpty());
  EXPECT_EQ(removed.documents, 2u);
}

// One talk that cannot be indexed (text that is not UTF-8, an id Xapian
// cannot hold) is reported by its file and line; it aborted the whole run.
TEST(IndexWriter, ATalkThatCannotBeIndexedIsReportedAndTheOthersWritten) {
  const std::string db = testing::MakeTempDir("writer") + "/db";
  std::vector<Talk> talks = {MakeTalk("t-1", "拡散モデルの理論", "拡散モデルについて"),
                             MakeTalk("t-2", "繰り込み群と深層学習", "繰り込み群について")};
  IndexWriter writer(db, testing::Model());
  writer.Update(talks);
  talks[0].abstract = "最適輸送\xFFについて";
  talks[0].source_file = "extra.jsonl";
  talks[0].source_line = 7;
  talks[1].title = "テンソルネットワークと深層学習";
  Talk long_id = MakeTalk(std::string(300, 'x'), "経路積分の方法", "経路積分について");
  long_id.source_file = "extra.jsonl";
  long_id.source_line = 9;
  talks.push_back(long_id);
  talks.push_back(MakeTalk("t-3", "最適輸送入門", "最適輸送について"));
  const IndexUpdateReport report = writer.Update(talks);
  ASSERT_EQ(report.failed.size(), 2u);
  EXPECT_EQ(report.failed[0].ToString().substr(0, 14), "extra.jsonl:7:");
  EXPECT_THAT(report.failed[0].message, ::testing::HasSubstr("t-1 not indexed (its old version stays)"));
  EXPECT_EQ(report.failed[1].line, 9);
  EXPECT_THAT(report.changed, ElementsAre("t-2"));
  EXPECT_THAT(report.added, ElementsAre("t-3"));
  EXPECT_EQ(report.documents, 3u);
  EXPECT_THAT(SearchIds(db, "拡散モデル"), ElementsAre("t-1"));  // as it was
  EXPECT_THAT(SearchIds(db, "テンソルネットワーク"), ElementsAre("t-2"));
  EXPECT_THAT(SearchIds(db, "経路積分"), IsEmpty());
}

// A reader whose revision a writer has overwritten (two commits since it
// opened) gets Xapian's DatabaseModifiedError on its next read: a request
// then reopens once and is answered, not failed with a 500.
TEST(Searcher, AnswersWhenTheIndexChangedTwiceUnderIt) {
  const std::string db = testing::MakeTempDir("modified") + "/db";
  std::vector<Talk> talks = testing::Corpus().talks;
  IndexWriter writer(db, testing::Model());
  writer.Update(talks);
  Searcher searcher(db, testing::Model());
  ASSERT_EQ(searcher.Related("dlap-077", 5)->size(), 5u);
  for (int round = 0; round < 2; ++round) {
    for (Talk& t : talks) t.abstract += " 改訂" + std::to_string(round);
    writer.Update(talks);
  }
  std::optional<std::vector<SearchHit>> related;
  EXPECT_NO_THROW(related = searcher.Related("dlap-077", 5));
  ASSERT_TRUE(related);
  EXPECT_EQ(related->size(), 5u);
  for (int round = 2; round < 4; ++round) {
    for (Talk& t : talks) t.abstract += " 改訂" + std::to_string(round);
    writer.Update(talks);
  }
  std::vector<Suggestion> suggestions;
  EXPECT_NO_THROW(suggestions = searcher.Suggest("拡散", 5));
  EXPECT_FALSE(suggestions.empty());
}

// A speaker the facet shows is a filter that finds the talk, whatever the
// length of the name: one over 64 bytes (the analyzer's longest word) is
// shown as a facet value too, so it must find its talk.
TEST(IndexWriter, ALongSpeakerNameIsAFilterToo) {
  const std::string db = testing::MakeTempDir("long-name") + "/db";
  Talk talk = MakeTalk("t-1", "拡散モデルの理論", "拡散モデルについて");
  const std::string long_name = "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末食う寝る処に住む処";  // 111 bytes
  talk.speakers = {{long_name, "", ""}};
  IndexWriter(db, testing::Model()).Update({talk, MakeTalk("t-2", "最適輸送入門", "最適輸送について")});
  Searcher searcher(db, testing::Model());
  SearchRequest request;
  request.query = "";
  request.filters["collection"] = {"all"};
  const SearchResponse all = searcher.Search(request);
  const auto& speakers = all.facets.at("speaker");
  ASSERT_TRUE(std::any_of(speakers.begin(), speakers.end(),
                          [&](const auto& v) { return v.value == long_name; }));
  request.filters["speaker"] = {long_name};
  const SearchResponse by_name = searcher.Search(request);
  ASSERT_EQ(by_name.hits.size(), 1u);
  EXPECT_EQ(by_name.hits[0].talk.id, "t-1");
}

// A running searcher counts facets from a table it reads once per
// revision: after an update and a reopen, the counts are the new index's.
TEST(IndexWriter, FacetCountsFollowTheIndexAfterReopen) {
  const std::string db = testing::MakeTempDir("facets") + "/db";
  std::vector<Talk> talks = {MakeTalk("t-1", "拡散モデルの理論", "拡散モデルについて"),
                             MakeTalk("t-2", "拡散モデルと物理", "拡散モデルの応用")};
  IndexWriter(db, testing::Model()).Update(talks);
  Searcher searcher(db, testing::Model());
  auto facet = [&](const std::string& name) {
    SearchRequest request;
    request.query = "拡散モデル";
    const SearchResponse response = searcher.Search(request);
    std::map<std::string, Xapian::doccount> counts;
    for (const auto& v : response.facets.at(name)) counts[v.value] = v.count;
    return counts;
  };
  EXPECT_EQ(facet("year"), (std::map<std::string, Xapian::doccount>{{"2024", 2}}));

  talks[1].date = "2023-01-10";
  talks[1].speakers = {{"三角 樹弘", "", ""}};
  talks.push_back(MakeTalk("t-3", "拡散モデル入門", "拡散モデルを学ぶ"));
  talks.back().date = "2022-06-01";
  IndexWriter(db, testing::Model()).Update(talks);
  ASSERT_TRUE(searcher.Reopen());
  EXPECT_EQ(facet("year"),
            (std::map<std::string, Xapian::doccount>{{"2022", 1}, {"2023", 1}, {"2024", 1}}));
  EXPECT_EQ(facet("speaker"),
            (std::map<std::string, Xapian::doccount>{{"三角 樹弘", 1}, {"橋本 幸士", 2}}));
}

TEST(IndexWriter, DocumentHoldsPrefixedTermsFiltersAndStoredTalk) {
  Analyzer analyzer(testing::Model());
  Talk talk = MakeTalk("dlap-099", "拡散モデル", "Diffusion models and 経路積分");
  talk.series = {"dlap", "mlphys"};
  const Xapian::Document doc = BuildDocument(talk, analyzer);
  std::set<std::string> terms(doc.termlist_begin(), doc.termlist_end());
  for (const char* expected : {"S拡散モデル", "A橋本", "XAFF京都大学", "Qdlap-099", "Y2024", "Lja",
                               "XSERIESdlap", "XSERIESmlphys", "XCOLLtalks", "diffus"}) {
    EXPECT_TRUE(terms.count(expected)) << expected;
  }
  // Latin words keep positions for phrases; CJK words, bigrams, readings and
  // English function words are matched as sets and do not.
  EXPECT_TRUE(terms.count("and"));
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    if (*t == "diffus" || *t == "model") {
      EXPECT_EQ(t.positionlist_count(), 1u) << *t;
    }
    if (*t == "S拡散モデル" || *t == "XSB拡散" || *t == "経路" || *t == "and") {
      EXPECT_EQ(t.positionlist_count(), 0u) << *t;
    }
  }
  EXPECT_TRUE(terms.count("XSB拡散"));
  EXPECT_TRUE(terms.count("経路"));
  EXPECT_EQ(doc.get_value(kDateSlot), "2024-05-01");
  EXPECT_EQ(nlohmann::json::parse(doc.get_data()).get<Talk>().title, "拡散モデル");
}

// Concept terms: a field that names a glossary concept in any form, in
// either language, carries the concept's one term, counted per place.
TEST(IndexWriter, DocumentMarksTheGlossaryConceptsItsFieldsName) {
  Analyzer analyzer(testing::Model());
  auto glossary = Glossary::Parse(
      "拡散モデル\tdiffusion model\n経路積分\tpath integral\n格子QCD\tlattice QCD\n", "g.tsv",
      analyzer);
  const ConceptMatcher concepts(glossary, analyzer);
  Talk talk = MakeTalk("t-1", "拡散モデルと経路積分",
                       "Diffusion models meet path integrals. A diffusion model is");
  talk.references = {"Lattice QCD at finite density"};
  const Xapian::Document doc = BuildDocument(talk, analyzer, nullptr, &concepts);
  std::map<std::string, Xapian::termcount> wdf = WdfOfTerms(doc);
  const std::string diffusion = glossary->ConceptKey(0), path = glossary->ConceptKey(1),
                    lattice = glossary->ConceptKey(2);
  EXPECT_EQ(wdf["XSK" + diffusion], 1u);  // title, in Japanese
  EXPECT_EQ(wdf["XSK" + path], 1u);
  EXPECT_EQ(wdf["XK" + diffusion], 2u);  // abstract, in English, twice
  EXPECT_EQ(wdf["XK" + path], 1u);
  EXPECT_EQ(wdf["XREFK" + lattice], 1u);
  EXPECT_FALSE(wdf.count("XK" + lattice));
  // Not names or affiliations; and 格子 alone is not 格子QCD.
  Talk other = MakeTalk("t-2", "格子上の拡散", "格子の上で拡散する model と diffusion");
  const Xapian::Document plain = BuildDocument(other, analyzer, nullptr, &concepts);
  for (auto t = plain.termlist_begin(); t != plain.termlist_end(); ++t) {
    EXPECT_EQ((*t).find("XK"), std::string::npos) << *t;
    EXPECT_EQ((*t).find("XSK"), std::string::npos) << *t;
  }
}

// The concept terms of a talk under a small thesaurus: 深層学習 > 生成モデル
// > 正規化フロー > neural ODE, and neural ODE ~ 最適輸送. `key` gives a
// form's concept key.
struct ConceptMarks {
  std::map<std::string, Xapian::termcount> wdf;
  std::function<std::string(const char* form)> key;
};
ConceptMarks ConceptMarksOf(const Talk& talk) {
  auto analyzer = std::make_shared<Analyzer>(testing::Model());
  std::shared_ptr<const Glossary> glossary = Glossary::Parse(
      "深層学習\tdeep learning\n生成モデル\tgenerative model\n"
      "正規化フロー\tnormalizing flow\nニューラルODE\tneural ODE\n最適輸送\toptimal transport\n"
      "> 深層学習\t生成モデル\n> 生成モデル\t正規化フロー\n> 正規化フロー\tneural ODE\n"
      "~ neural ODE\t最適輸送\n",
      "g.tsv", *analyzer);
  const ConceptMatcher concepts(glossary, *analyzer);
  ConceptMarks marks;
  marks.wdf = WdfOfTerms(BuildDocument(talk, *analyzer, nullptr, &concepts));
  marks.key = [analyzer, glossary](const char* form) {
    return glossary->ConceptKey(glossary->FindConcept(Glossary::Key(form, *analyzer)));
  };
  return marks;
}

// A title or abstract naming neural ODEs also carries the marks of the
// concepts it is narrower than (two links up) and related to, so a query
// for 生成モデル or 最適輸送 reaches it by one term; references do not.
TEST(IndexWriter, DocumentMarksBroaderAndRelatedConcepts) {
  Talk talk = MakeTalk("t-1", "Neural ODE の理論", "neural ODEs, and a neural ODE");
  talk.references = {"Neural ODEs"};
  auto [wdf, key] = ConceptMarksOf(talk);
  EXPECT_EQ(wdf["XSK" + key("neural ODE")], 1u);
  EXPECT_EQ(wdf["XSKN" + key("正規化フロー")], 1u);
  EXPECT_EQ(wdf["XSKN" + key("生成モデル")], 1u);
  EXPECT_FALSE(wdf.count("XSKN" + key("深層学習")));  // three links up
  EXPECT_FALSE(wdf.count("XSKN" + key("neural ODE")));  // itself: XSK
  EXPECT_EQ(wdf["XSKR" + key("最適輸送")], 1u);
  EXPECT_EQ(wdf["XKN" + key("生成モデル")], 2u);  // twice in the abstract
  EXPECT_EQ(wdf["XKR" + key("最適輸送")], 2u);
  EXPECT_EQ(wdf["XREFK" + key("neural ODE")], 1u);
  for (const auto& [term, count] : wdf) EXPECT_NE(term.rfind("XREFKN", 0), 0u) << term;
}

// A field that names a concept itself carries its own mark, not also the
// narrower or related one: a query for the concept asks for all three.
TEST(IndexWriter, AConceptTheFieldNamesHasOnlyItsOwnMark) {
  auto [wdf, key] =
      ConceptMarksOf(MakeTalk("t-1", "Neural ODE と生成モデル", "neural ODE による最適輸送"));
  EXPECT_EQ(wdf["XSK" + key("生成モデル")], 1u);
  EXPECT_FALSE(wdf.count("XSKN" + key("生成モデル")));
  // The abstract does not name 生成モデル: its neural ODE marks it.
  EXPECT_EQ(wdf["XKN" + key("生成モデル")], 1u);
  EXPECT_EQ(wdf["XK" + key("最適輸送")], 1u);
  EXPECT_FALSE(wdf.count("XKR" + key("最適輸送")));
  // The title does not name 最適輸送: its neural ODE relates it.
  EXPECT_EQ(wdf["XSKR" + key("最適輸送")], 1u);
}

// A form inside a compound MeCab splits otherwise is found by its bigrams.
TEST(IndexWriter, ConceptInsideACompoundIsFoundByItsBigrams) {
  Analyzer analyzer(testing::Model());
  auto glossary = Glossary::Parse("相転移\tphase transition\n", "g.tsv", analyzer);
  const ConceptMatcher concepts(glossary, analyzer);
  const Xapian::Document doc =
      BuildDocument(MakeTalk("t-1", "量子相転移点の探索", ""), analyzer, nullptr, &concepts);
  std::set<std::string> terms(doc.termlist_begin(), doc.termlist_end());
  EXPECT_TRUE(terms.count("XSK" + glossary->ConceptKey(0)));
}

// The index marks one glossary's concepts: a changed glossary rebuilds every
// talk, the same one rebuilds none.
TEST(IndexWriter, AChangedGlossaryRebuildsTheTalks) {
  const std::string db = testing::MakeTempDir("glossary-change") + "/db";
  const std::vector<Talk> talks = {MakeTalk("t-1", "拡散モデルの理論", "拡散モデルについて"),
                                   MakeTalk("t-2", "最適輸送入門", "最適輸送について")};
  Analyzer analyzer(testing::Model());
  auto first = Glossary::Parse("拡散モデル\tdiffusion model\n", "g.tsv", analyzer);
  auto second = Glossary::Parse("拡散モデル\tdiffusion model\n最適輸送\toptimal transport\n",
                                "g.tsv", analyzer);
  EXPECT_EQ(IndexWriter(db, testing::Model(), 1, first).Update(talks).added.size(), 2u);
  EXPECT_EQ(IndexWriter(db, testing::Model(), 1, first).Update(talks).unchanged.size(), 2u);
  EXPECT_EQ(IndexWriter(db, testing::Model(), 1, second).Update(talks).changed.size(), 2u);
  Xapian::Database index(db);
  EXPECT_EQ(index.get_metadata(std::string(kGlossaryMetadataKey)), second->digest());
  EXPECT_TRUE(index.term_exists("XSK" + second->ConceptKey(1)));
}

// Many talks (more than the analysers may run ahead of the writer) are
// written in corpus order; an id given twice is indexed once, as first given.
TEST(IndexWriter, WritesManyTalksInOrderAndAnIdOnce) {
  const std::string db = testing::MakeTempDir("many") + "/db";
  std::vector<Talk> talks;
  for (int i = 0; i < 1500; ++i) {
    talks.push_back(MakeTalk("t-" + std::to_string(i), "講演 " + std::to_string(i), ""));
  }
  talks.push_back(MakeTalk("t-7", "重複した講演", ""));
  const IndexUpdateReport report = IndexWriter(db, testing::Model(), 2).Update(talks);
  EXPECT_EQ(report.added.size(), 1500u);
  EXPECT_EQ(report.documents, 1500u);
  Xapian::Database index(db);
  const StoredTalkCodec codec(index.get_metadata(std::string(kStoredTalkDictionaryKey)));
  for (Xapian::docid id : {1u, 8u, 1500u}) {
    const Talk stored = codec.Decode(index.get_document(id).get_data());
    EXPECT_EQ(stored.id, "t-" + std::to_string(id - 1));
    EXPECT_EQ(stored.title, "講演 " + std::to_string(id - 1));
  }
}

// A new index is built aside and compacted into place: it answers like one
// written in place, leaves nothing beside it, and is not made over an
// existing one.
TEST(IndexWriter, ANewIndexIsBuiltAsideAndCompacted) {
  const std::string dir = testing::MakeTempDir("compact");
  const std::vector<Talk> talks = {MakeTalk("t-1", "拡散モデルの理論", "拡散モデルについて"),
                                   MakeTalk("t-2", "最適輸送入門", "最適輸送について")};
  std::filesystem::create_directories(dir + "/db.building");  // a crashed run's leftover
  const IndexUpdateReport report = CreateCompactIndex(dir + "/db", talks, testing::BuildWith());
  EXPECT_THAT(report.added, ElementsAre("t-1", "t-2"));
  EXPECT_EQ(report.documents, 2u);
  EXPECT_THAT(SearchIds(dir + "/db", "最適輸送"), ElementsAre("t-2"));
  std::vector<std::string> entries;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    entries.push_back(e.path().filename().string());
  }
  EXPECT_THAT(entries, ElementsAre("db"));
  EXPECT_THROW(CreateCompactIndex(dir + "/db", talks, testing::BuildWith()), std::runtime_error);
  // Later updates go in place, as before.
  EXPECT_THAT(IndexWriter(dir + "/db", testing::Model()).Update(talks).unchanged,
              ElementsAre("t-1", "t-2"));
}

// An index built in parts keeps its talks compressed with one dictionary,
// in its metadata, and an update in place adds talks with the same one.
TEST(IndexWriter, StoredTalksAreCompressedWithTheIndexsDictionary) {
  const std::string db = testing::MakeTempDir("stored") + "/db";
  std::vector<Talk> talks = testing::Corpus().talks;
  BuildOptions parts = testing::BuildWith();
  parts.parts = 2;
  CreateCompactIndex(db, talks, parts);
  const std::string dictionary = [&] {
    return Xapian::Database(db).get_metadata(std::string(kStoredTalkDictionaryKey));
  }();
  ASSERT_FALSE(dictionary.empty());
  talks.push_back(MakeTalk("t-new", "拡散モデルの新しい理論", "拡散モデルについて"));
  IndexWriter(db, testing::Model()).Update(talks);
  const Xapian::Database index(db);
  EXPECT_EQ(index.get_metadata(std::string(kStoredTalkDictionaryKey)), dictionary);
  const StoredTalkCodec codec(dictionary);
  size_t read = 0;
  for (const Talk& talk : talks) {
    const std::string term = "Q" + talk.id;
    const std::string data = index.get_document(*index.postlist_begin(term)).get_data();
    EXPECT_NE(data.front(), '{') << talk.id << " is stored compressed";
    EXPECT_EQ(nlohmann::json(codec.Decode(data)).dump(), nlohmann::json(talk).dump()) << talk.id;
    ++read;
  }
  EXPECT_EQ(read, index.get_doccount());
}

TEST(IndexWriter, SpellingWordsOfRemovedTalksAreTakenBack) {
  const std::string db = testing::MakeTempDir("spelling") + "/db";
  {
    IndexWriter writer(db, testing::Model());
    writer.Update({MakeTalk("t-1", "Zorbulation theory", "On zorbulation."),
                   MakeTalk("t-2", "Transformer models", "Transformers.")});
  }
  EXPECT_EQ(Xapian::Database(db).get_spelling_suggestion("zorbulatoin"), "zorbulation");
  {
    IndexWriter writer(db, testing::Model());
    writer.Update({MakeTalk("t-2", "Transformer models", "Transformers.")});
  }
  EXPECT_EQ(Xapian::Database(db).get_spelling_suggestion("zorbulatoin"), "");
  EXPECT_EQ(Xapian::Database(db).get_spelling_suggestion("transformr"), "transformer");
}

// What a Searcher says of an index of one talk whose metadata `key` was
// then set to `value`: its error, or "" when it opens the index.
std::string RefusalAfterSetting(std::string_view key, const std::string& value) {
  const std::string db = testing::MakeTempDir("metadata") + "/db";
  IndexWriter(db, testing::Model()).Update({MakeTalk("t-1", "拡散モデル", "")});
  {
    Xapian::WritableDatabase w(db);
    w.set_metadata(std::string(key), value);
    w.commit();
  }
  try {
    Searcher searcher(db, testing::Model());
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(Searcher, RefusesAnIndexBuiltByAnotherAnalysis) {
  EXPECT_THAT(RefusalAfterSetting(kAnalysisMetadataKey, "talksearch-analysis/0"),
              ::testing::HasSubstr("run talks-index again"));
}

// An index of an older document layout (before concept terms) is refused
// too: its glossary widening would silently find nothing.
TEST(Searcher, RefusesAnIndexOfAnotherSchemaVersion) {
  EXPECT_EQ(RefusalAfterSetting(kSchemaMetadataKey, std::string(kSchemaVersion)), "");
  EXPECT_THAT(RefusalAfterSetting(kSchemaMetadataKey, "4"),
              ::testing::HasSubstr("schema version '4'"));
}

}  // namespace
}  // namespace talksearch
