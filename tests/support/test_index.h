// Shared fixtures: the bundled corpus, the MeCab model and an index of the
// corpus built once per test binary in its own temporary directory.
#ifndef TALKSEARCH_TESTS_TEST_INDEX_H_
#define TALKSEARCH_TESTS_TEST_INDEX_H_

#include <memory>
#include <string>

#include "talksearch/corpus.h"
#include "talksearch/glossary.h"
#include "talksearch/index_build.h"
#include "talksearch/searcher.h"
#include "talksearch/segmenter.h"

namespace talksearch::testing {

std::string SourcePath(const std::string& relative);  // in the repository
std::shared_ptr<MecabModel> Model();
std::shared_ptr<const Glossary> GlossaryOfRepo();  // dict/glossary.tsv
const CorpusParseResult& Corpus();  // corpus/ as shipped
const std::string& CorpusIndexPath();  // built on first use
std::string MakeTempDir(const std::string& tag);  // fresh, removed at exit
// Builds with Model() and `glossary`: a compacted index, a sharded one of
// `shards`.
BuildOptions BuildWith(std::shared_ptr<const Glossary> glossary = nullptr);
ShardedUpdateOptions ShardsWith(size_t shards, std::shared_ptr<const Glossary> glossary = nullptr);
std::string ReadFileOrDie(const std::string& path);

// An index of kManyMatches talks that all match 拡散モデル (their
// abstracts name it), built on first use: more matches than Xapian counts
// unless told to count every one. Every other title names it, once; after
// the 10,000th talk, three times (those fill the first page), and the
// others there have a longer abstract (they score less than any talk
// before them). One talk in three is from 2023, the rest 2024.
inline constexpr int kManyMatches = 12000;
const std::string& ManyMatchesIndexPath();

// Expects `a` and `b` to have the same facets: names, values in order, counts.
void ExpectSameFacets(const SearchResponse& a, const SearchResponse& b);

// The ids of the top `limit` hits of `query`, in rank order.
std::vector<std::string> HitIds(Searcher& searcher, const std::string& query, size_t limit = 10);

}  // namespace talksearch::testing

#endif  // TALKSEARCH_TESTS_TEST_INDEX_H_
