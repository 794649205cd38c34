#include "talksearch/index_build.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "talksearch/index_layout.h"
#include "talksearch/schema.h"

namespace talksearch {
namespace {

// Talks per commit while building a new index (see CommitEvery).
constexpr size_t kBuildCommitEvery = 1000;
// Below this many talks per part, another part is not worth its writer.
constexpr size_t kMinTalksPerPart = 1000;

// Runs write(i, progress_i) for i in [0, n), at most one at a time per core,
// adding up their progress into `progress` (of `total` talks); rethrows the
// first failure once all have stopped.
void WriteInParallel(size_t n, size_t total, const IndexWriter::Progress& progress,
                     const std::function<void(size_t, const IndexWriter::Progress&)>& write) {
  std::mutex progress_mutex;
  std::vector<size_t> done(n, 0);
  std::vector<std::exception_ptr> errors(n);
  auto run = [&](size_t i) {
    try {
      write(i, [&, i](size_t part_done, size_t) {
        if (!progress) return;
        std::lock_guard<std::mutex> lock(progress_mutex);
        done[i] = part_done;
        size_t all = 0;
        for (size_t d : done) all += d;
        progress(all, total);
      });
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  const size_t cores = DefaultIndexThreads();
  for (size_t first = 0; first < n; first += cores) {
    std::vector<std::thread> running;
    for (size_t i = first; i < std::min(n, first + cores); ++i) running.emplace_back(run, i);
    for (std::thread& t : running) t.join();
  }
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// The reports of parts, as one: their lists in order, documents added up.
IndexUpdateReport CombinedReport(const std::vector<IndexUpdateReport>& reports) {
  IndexUpdateReport report;
  for (const IndexUpdateReport& r : reports) {
    for (auto list : {&IndexUpdateReport::added, &IndexUpdateReport::changed,
                      &IndexUpdateReport::removed, &IndexUpdateReport::unchanged,
                      &IndexUpdateReport::kept}) {
      (report.*list).insert((report.*list).end(), (r.*list).begin(), (r.*list).end());
    }
    report.failed.insert(report.failed.end(), r.failed.begin(), r.failed.end());
    report.documents += r.documents;
    report.revision += r.revision;  // as DatabaseSet::Revision
  }
  return report;
}

// CreateCompactIndex of talks held elsewhere (a shard's share of the
// corpus), without copying them.
IndexUpdateReport CreateCompactIndexOf(const std::string& db_path,
                                       const std::vector<const Talk*>& talks,
                                       const BuildOptions& options) {
  namespace fs = std::filesystem;
  const auto start = std::chrono::steady_clock::now();
  if (fs::exists(db_path)) throw std::runtime_error(db_path + " exists: update it in place");
  const std::string building = db_path + ".building", compacting = db_path + ".compacting";
  fs::remove_all(building);  // what a crashed run left
  fs::remove_all(compacting);

  // The first of each id, in corpus order: parts cannot see each other's ids.
  std::vector<const Talk*> unique;
  std::set<std::string> seen;
  for (const Talk* t : talks) {
    if (seen.insert(t->id).second) unique.push_back(t);
  }
  const size_t threads = options.threads ? options.threads : DefaultIndexThreads();
  size_t parts = options.parts;
  if (parts == 0) parts = std::clamp<size_t>(unique.size() / kMinTalksPerPart, 1, threads);
  std::vector<std::vector<const Talk*>> slices(parts);
  for (size_t i = 0; i < unique.size(); ++i) slices[i * parts / unique.size()].push_back(unique[i]);
  auto part_dir = [&](size_t i) {
    return (fs::path(building) / ("part-" + std::to_string(i))).string();
  };
  fs::create_directories(building);
  // One dictionary for the parts, which compaction merges into one index.
  const std::string dictionary =
      options.dictionary.empty() ? StoredTalkCodec::TrainDictionary(unique) : options.dictionary;
  std::vector<IndexUpdateReport> reports(parts);
  WriteInParallel(parts, seen.size(), options.progress,
                  [&](size_t i, const IndexWriter::Progress& part_progress) {
                    // Without termlists from the start, if the index is to have none:
                    // 7% less time at 100,000 talks than dropping them after.
                    IndexWriter writer(part_dir(i), options.model,
                                       std::max<size_t>(1, threads / parts), options.glossary,
                                       options.termlists);
                    writer.CommitEvery(kBuildCommitEvery);
                    writer.OfferDictionary(dictionary);
                    reports[i] = writer.Update(slices[i], part_progress);
                  });
  // Compaction merges the parts in order (their document ids follow one
  // another), adding up their spelling tables.
  Xapian::Database all;
  for (size_t i = 0; i < parts; ++i) all.add_database(Xapian::Database(part_dir(i)));
  all.compact(compacting);  // without termlists if the parts have none
  fs::rename(compacting, db_path);
  fs::remove_all(building);
  IndexUpdateReport report = CombinedReport(reports);
  const Xapian::Database compacted(db_path);
  report.documents = compacted.get_doccount();
  report.revision = compacted.get_revision();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace

IndexUpdateReport CreateCompactIndex(const std::string& db_path, const std::vector<Talk>& talks,
                                     const BuildOptions& options) {
  return CreateCompactIndexOf(db_path, TalkPointers(talks), options);
}

IndexUpdateReport UpdateShardedIndex(const std::string& dir, const std::vector<Talk>& talks,
                                     const ShardedUpdateOptions& options) {
  const size_t shards = options.shards;
  const auto start = std::chrono::steady_clock::now();
  if (shards == 0) throw std::runtime_error("a sharded index needs at least one shard");
  const std::vector<std::string> existing = ShardDirectories(dir);
  if (!existing.empty() && existing.size() != shards) {
    throw std::runtime_error(dir + " is an index of " + std::to_string(existing.size()) +
                             " shards, not " + std::to_string(shards) +
                             ": index into a new directory to change the shard count");
  }
  if (existing.empty() && std::filesystem::exists(std::filesystem::path(dir) / "iamglass")) {
    throw std::runtime_error(dir + " is a single database: index the shards into a new directory");
  }
  std::filesystem::create_directories(dir);

  std::vector<std::vector<const Talk*>> parts(shards);
  for (const Talk& t : talks) parts[ShardOf(t.id, shards)].push_back(&t);
  // The shards share one stored-talk dictionary, since a searcher reads it
  // from the first: an existing shard's, or one trained on the whole corpus.
  std::string dictionary;
  for (const std::string& shard : existing) {
    if (!std::filesystem::exists(shard)) continue;
    dictionary = Xapian::Database(shard).get_metadata(std::string(kStoredTalkDictionaryKey));
    if (!dictionary.empty()) break;
  }
  if (dictionary.empty()) dictionary = StoredTalkCodec::TrainDictionary(TalkPointers(talks));

  const size_t threads_per_shard = std::max<size_t>(1, DefaultIndexThreads() / shards);
  std::vector<IndexUpdateReport> reports(shards);
  // The existing shards' writers, their transactions open until all are
  // written (a new shard is built aside and appears only when whole).
  std::vector<std::unique_ptr<IndexWriter>> writers(shards);
  // Each shard's writer also analyses on its share of the cores.
  try {
    WriteInParallel(shards, talks.size(), options.progress,
                    [&](size_t i, const IndexWriter::Progress& shard_progress) {
                      const std::string shard_dir =
                          (std::filesystem::path(dir) / ShardDirectoryName(i)).string();
                      BuildOptions build(options);
                      build.progress = shard_progress;
                      build.threads = threads_per_shard;
                      build.parts = 1;  // the shards are the parallel writers
                      build.dictionary = dictionary;
                      if (!std::filesystem::exists(shard_dir)) {
                        reports[i] = CreateCompactIndexOf(shard_dir, parts[i], build);
                        return;
                      }
                      writers[i] = std::make_unique<IndexWriter>(
                          shard_dir, options.model, threads_per_shard, options.glossary);
                      writers[i]->OfferDictionary(dictionary);
                      writers[i]->SetAbsentTalks(options.absent);
                      writers[i]->DeferCommit();
                      reports[i] = writers[i]->Update(parts[i], shard_progress);
                    });
  } catch (...) {
    for (auto& writer : writers) {
      if (writer) writer->Cancel();
    }
    throw;
  }
  for (size_t i = 0; i < shards; ++i) {
    if (!writers[i]) continue;
    writers[i]->Commit();
    reports[i].revision = writers[i]->Revision();
  }
  WriteShardStub(dir, shards);

  IndexUpdateReport report = CombinedReport(reports);
  report.seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start).count();
  return report;
}

IndexUpdateReport UpdateIndex(const std::string& db_path, const std::vector<Talk>& talks,
                              const IndexingOptions& options, size_t shards,
                              AbsentTalks absent) {
  if (shards == 0) shards = ShardDirectories(db_path).size();
  if (shards > 0) {
    ShardedUpdateOptions sharded(options);
    sharded.shards = shards;
    sharded.absent = absent;
    return UpdateShardedIndex(db_path, talks, sharded);
  }
  if (!std::filesystem::exists(db_path)) {
    return CreateCompactIndex(db_path, talks, BuildOptions(options));
  }
  IndexWriter writer(db_path, options.model, 0, options.glossary, options.termlists);
  writer.SetAbsentTalks(absent);
  return writer.Update(talks, options.progress);
}

}  // namespace talksearch
