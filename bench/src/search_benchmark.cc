// Speed benchmarks (Google Benchmark). Numbers, not pass/fail:
//   talks-bench --corpus corpus --queries tests/judged/shared_queries.tsv
// Environment overrides for the paths: TALKSEARCH_CORPUS, TALKSEARCH_QUERIES.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "talksearch/corpus.h"
#include "talksearch/index_writer.h"
#include "talksearch/relevance.h"

namespace {

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

std::shared_ptr<talksearch::MecabModel> Model() {
  static auto model = talksearch::MecabModel::Open(talksearch::DefaultMecabDictionary());
  return model;
}

const std::vector<talksearch::Talk>& Talks() {
  static auto corpus = talksearch::LoadCorpus(Env("TALKSEARCH_CORPUS", "corpus"));
  return corpus.talks;
}

const std::string& IndexPath() {
  static std::string path = [] {
    auto dir = std::filesystem::temp_directory_path() / "talksearch-bench-index";
    std::filesystem::remove_all(dir);
    talksearch::IndexWriter writer(dir.string(), Model());
    writer.Update(Talks());
    return dir.string();
  }();
  return path;
}

void BM_AnalyzeAbstracts(benchmark::State& state) {
  talksearch::Analyzer analyzer(Model());
  size_t bytes = 0;
  for (auto _ : state) {
    for (const auto& t : Talks()) {
      benchmark::DoNotOptimize(analyzer.Analyze(t.abstract));
      bytes += t.abstract.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_AnalyzeAbstracts)->Unit(benchmark::kMillisecond);

void BM_IndexCorpus(benchmark::State& state) {
  auto dir = std::filesystem::temp_directory_path() / "talksearch-bench-build";
  for (auto _ : state) {
    std::filesystem::remove_all(dir);
    talksearch::IndexWriter writer(dir.string(), Model());
    writer.Update(Talks());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * Talks().size()));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_IndexCorpus)->Unit(benchmark::kMillisecond);

void BM_JudgedQueries(benchmark::State& state) {
  talksearch::Searcher searcher(
      IndexPath(), Model(),
      talksearch::Glossary::LoadUnlessNone(Env("TALKSEARCH_GLOSSARY", "dict/glossary.tsv"), Model()));
  auto queries = talksearch::LoadJudgedQueries(
      Env("TALKSEARCH_QUERIES", "tests/judged/shared_queries.tsv"));
  size_t i = 0;
  for (auto _ : state) {
    talksearch::SearchRequest request;
    request.query = queries[i++ % queries.size()].query;
    benchmark::DoNotOptimize(searcher.Search(request));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JudgedQueries)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
