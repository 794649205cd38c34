#include "test_index.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "talksearch/index_writer.h"

namespace talksearch::testing {
namespace {

std::vector<std::string>& TempDirs() {
  static auto* dirs = new std::vector<std::string>();
  return *dirs;
}

void RemoveTempDirs() {
  for (const std::string& d : TempDirs()) {
    std::error_code ec;
    std::filesystem::remove_all(d, ec);
  }
}

}  // namespace

std::string SourcePath(const std::string& relative) {
  return std::string(TALKSEARCH_SOURCE_DIR) + "/" + relative;
}

std::shared_ptr<MecabModel> Model() {
  static auto model = MecabModel::Open(DefaultMecabDictionary());
  return model;
}

std::shared_ptr<const Glossary> GlossaryOfRepo() {
  static auto glossary = Glossary::LoadUnlessNone(SourcePath("dict/glossary.tsv"), Model());
  return glossary;
}

const CorpusParseResult& Corpus() {
  static const CorpusParseResult corpus = LoadCorpus(SourcePath("corpus"));
  return corpus;
}

BuildOptions BuildWith(std::shared_ptr<const Glossary> glossary) {
  BuildOptions options;
  options.model = Model();
  options.glossary = std::move(glossary);
  return options;
}

ShardedUpdateOptions ShardsWith(size_t shards, std::shared_ptr<const Glossary> glossary) {
  ShardedUpdateOptions options;
  options.model = Model();
  options.glossary = std::move(glossary);
  options.shards = shards;
  return options;
}

std::string MakeTempDir(const std::string& tag) {
  if (TempDirs().empty()) std::atexit(RemoveTempDirs);
  std::string pattern = (std::filesystem::temp_directory_path() /
                         ("talksearch-" + tag + "-XXXXXX")).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  TempDirs().push_back(buf.data());
  return buf.data();
}

const std::string& CorpusIndexPath() {
  static const std::string path = [] {
    std::string dir = MakeTempDir("index") + "/db";
    IndexWriter writer(dir, Model(), 0, GlossaryOfRepo());  // as talks-index writes it
    writer.Update(Corpus().talks);
    return dir;
  }();
  return path;
}

const std::string& ManyMatchesIndexPath() {
  static const std::string* path = [] {
    auto* db = new std::string(MakeTempDir("many-matches") + "/db");
    std::vector<Talk> talks;
    for (int i = 0; i < kManyMatches; ++i) {
      Talk t;
      t.id = "m-" + std::to_string(i);
      t.title = "講演 " + std::to_string(i);
      const int times = i % 2 == 0 ? 0 : i < 10000 ? 1 : 3;
      for (int k = 0; k < times; ++k) t.title += " 拡散モデル";
      t.abstract = i >= 10000 && times == 0 ? "拡散モデルの理論と応用を物理の言葉で論じる長い講演"
                                            : "拡散モデルの理論";
      t.date = i % 3 ? "2024-05-01" : "2023-05-01";
      t.language = "ja";
      t.series = {"dlap"};
      t.speakers = {{"橋本 幸士", "京都大学", ""}};
      talks.push_back(std::move(t));
    }
    IndexWriter(*db, Model(), 2).Update(talks);
    return db;
  }();
  return *path;
}

std::vector<std::string> HitIds(Searcher& searcher, const std::string& query, size_t limit) {
  SearchRequest request;
  request.query = query;
  request.limit = limit;
  std::vector<std::string> ids;
  for (const SearchHit& hit : searcher.Search(request).hits) ids.push_back(hit.talk.id);
  return ids;
}

void ExpectSameFacets(const SearchResponse& a, const SearchResponse& b) {
  ASSERT_EQ(a.facets.size(), b.facets.size());
  for (const auto& [name, values] : a.facets) {
    const auto& other = b.facets.at(name);
    ASSERT_EQ(values.size(), other.size()) << name;
    for (size_t k = 0; k < values.size(); ++k) {
      EXPECT_EQ(values[k].value, other[k].value) << name;
      EXPECT_EQ(values[k].count, other[k].count) << name << " " << values[k].value;
    }
  }
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace talksearch::testing
