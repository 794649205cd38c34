// A fixed set of Searchers shared by the server's worker threads.
//
// Xapian databases and MeCab lattices are not thread-safe, so each request
// borrows a whole Searcher for its duration (one per worker thread, so a
// borrow never waits in practice). A borrowed Searcher is moved to the
// newest index revision at most once per `reopen_interval`, so a reindex
// shows up without a restart and without failing a request; if another
// index has been renamed into the index's place, the Searcher is replaced
// by one on it.
#ifndef TALKSEARCH_SEARCHER_POOL_H_
#define TALKSEARCH_SEARCHER_POOL_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "talksearch/index_health.h"
#include "talksearch/searcher.h"

namespace talksearch {

class SearcherPool {
 public:
  // Opens `size` Searchers on `db_specs` (see DatabaseSet); throws like
  // Searcher's constructor.
  SearcherPool(const std::vector<std::string>& db_specs, std::shared_ptr<MecabModel> model,
               std::shared_ptr<const Glossary> glossary, size_t size,
               std::chrono::milliseconds reopen_interval = std::chrono::milliseconds(1000));

  class Lease {
   public:
    Lease(SearcherPool* pool, size_t index) : pool_(pool), index_(index) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), index_(other.index_) {
      other.pool_ = nullptr;
    }
    Lease(const Lease&) = delete;
    ~Lease();
    Searcher& operator*() const;
    Searcher* operator->() const { return &**this; }

   private:
    SearcherPool* pool_;
    size_t index_;
  };

  // Waits for a free Searcher. Thread-safe.
  Lease Borrow();

  // Makes every Searcher move to the newest revision when next borrowed,
  // without waiting for the reopen interval (POST /api/admin/reload).
  void RequestReopen() { ++generation_; }

  // Whether the index can be read (checked when opened and when replaced,
  // and told by searches that fail on it).
  IndexHealth& health() { return *health_; }

  // What the Searchers were opened with: the index and the analysis.
  const std::vector<std::string>& db_specs() const { return db_specs_; }
  const std::shared_ptr<MecabModel>& model() const { return model_; }
  const std::shared_ptr<const Glossary>& glossary() const { return glossary_; }

  // Empty while the index was built with the dictionaries and glossary the
  // server loaded; otherwise what differs, and that a restart loads them.
  // A reindex after a glossary or user-dictionary change writes new terms;
  // the server keeps analysing queries the old way until restarted.
  // Checked when a Searcher moves to a new revision. Thread-safe.
  std::string restart_needed() const;

 private:
  struct Slot {
    std::unique_ptr<Searcher> searcher;
    std::chrono::steady_clock::time_point last_reopen;
    uint64_t generation = 0;
    std::string replace_error;  // why a replaced index could not be opened, said once
  };
  // Moves `slot` to the newest index: its revision, or a new Searcher on
  // an index put in its place.
  void Refresh(Slot& slot);
  // Compares the analysis and glossary the first local database was built
  // with to the server's (restart_needed).
  void CheckAnalysis();

  const std::vector<std::string> db_specs_;
  const std::shared_ptr<MecabModel> model_;
  const std::shared_ptr<const Glossary> glossary_;
  const std::shared_ptr<IndexHealth> health_ = std::make_shared<IndexHealth>();
  std::atomic<uint64_t> generation_{0};
  std::vector<Slot> slots_;
  std::vector<size_t> free_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::chrono::milliseconds reopen_interval_;
  std::string expected_analysis_, expected_glossary_;
  mutable std::mutex restart_mutex_;
  std::string restart_needed_;
};

}  // namespace talksearch

#endif  // TALKSEARCH_SEARCHER_POOL_H_
