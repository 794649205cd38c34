// Speed benchmarks (Google Benchmark). Numbers, not pass/fail; run from the
// repository root:
//   build/bench/talks-bench
// analysis MB/s (Japanese and English abstracts), indexing talks/s, judged
// query and suggest latency (p50_ms, p99_ms counters). Environment overrides:
// TALKSEARCH_CORPUS (a corpus folder, e.g. one with talks-generate output),
// TALKSEARCH_QUERIES, TALKSEARCH_GLOSSARY.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
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

// The glossary the searches widen with, and whose concepts the index marks.
std::shared_ptr<const talksearch::Glossary> Glossary() {
  static auto glossary =
      talksearch::Glossary::LoadUnlessNone(Env("TALKSEARCH_GLOSSARY", "dict/glossary.tsv"), Model());
  return glossary;
}

const std::vector<talksearch::Talk>& Talks() {
  static auto corpus = talksearch::LoadCorpus(Env("TALKSEARCH_CORPUS", "corpus"));
  return corpus.talks;
}

const std::string& IndexPath() {
  static std::string path = [] {
    auto dir = std::filesystem::temp_directory_path() / "talksearch-bench-index";
    std::filesystem::remove_all(dir);
    talksearch::IndexWriter writer(dir.string(), Model(), 0, Glossary());
    writer.Update(Talks());
    return dir.string();
  }();
  return path;
}

// Analysis throughput per language: the abstracts of the talks marked "ja"
// or "en" (state.range(0): 0 = Japanese, 1 = English).
void BM_AnalyzeAbstracts(benchmark::State& state) {
  const std::string language = state.range(0) == 0 ? "ja" : "en";
  std::vector<const std::string*> texts;
  for (const auto& t : Talks()) {
    if (t.language == language) texts.push_back(&t.abstract);
  }
  talksearch::Analyzer analyzer(Model());
  size_t bytes = 0;
  for (auto _ : state) {
    for (const std::string* text : texts) {
      benchmark::DoNotOptimize(analyzer.Analyze(*text));
      bytes += text->size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetLabel(language);
}
BENCHMARK(BM_AnalyzeAbstracts)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_IndexCorpus(benchmark::State& state) {
  auto dir = std::filesystem::temp_directory_path() / "talksearch-bench-build";
  for (auto _ : state) {
    std::filesystem::remove_all(dir);
    talksearch::IndexWriter writer(dir.string(), Model(), 0, Glossary());
    writer.Update(Talks());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * Talks().size()));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_IndexCorpus)->Unit(benchmark::kMillisecond);

// Latency percentiles over the iterations, as counters (ms).
void ReportPercentiles(benchmark::State& state, std::vector<double>& ms) {
  if (ms.empty()) return;
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = talksearch::Percentile(ms, 0.50);
  state.counters["p99_ms"] = talksearch::Percentile(ms, 0.99);
}

// One judged query per iteration, as the API runs it (top 10, facets,
// snippets, did-you-mean).
void BM_JudgedQueries(benchmark::State& state) {
  talksearch::Searcher searcher(
      IndexPath(), Model(),
      Glossary());
  auto queries = talksearch::LoadJudgedQueries(
      Env("TALKSEARCH_QUERIES", "tests/judged/talks_queries.tsv"));
  size_t i = 0;
  std::vector<double> ms;
  for (auto _ : state) {
    talksearch::SearchRequest request;
    request.query = queries[i++ % queries.size()].query;
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(searcher.Search(request));
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  state.SetItemsProcessed(state.iterations());
  ReportPercentiles(state, ms);
}
BENCHMARK(BM_JudgedQueries)->Unit(benchmark::kMicrosecond);

// Suggest (autocomplete) on prefixes of the judged queries: the first one,
// two and three characters of each, as a user types.
void BM_Suggest(benchmark::State& state) {
  talksearch::Searcher searcher(
      IndexPath(), Model(),
      Glossary());
  std::vector<std::string> prefixes;
  for (const auto& q : talksearch::LoadJudgedQueries(
           Env("TALKSEARCH_QUERIES", "tests/judged/talks_queries.tsv"))) {
    size_t end = 0;
    for (int chars = 0; chars < 3 && end < q.query.size(); ++chars) {
      do ++end; while (end < q.query.size() && (static_cast<unsigned char>(q.query[end]) & 0xC0) == 0x80);
      prefixes.push_back(q.query.substr(0, end));
    }
  }
  searcher.Suggest(prefixes.front(), 8);  // builds the suggester once
  size_t i = 0;
  std::vector<double> ms;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(searcher.Suggest(prefixes[i++ % prefixes.size()], 8));
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  state.SetItemsProcessed(state.iterations());
  ReportPercentiles(state, ms);
}
BENCHMARK(BM_Suggest)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
