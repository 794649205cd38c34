#include "talksearch/searcher_pool.h"

#include <cstdio>

#include "talksearch/analyzer.h"
#include "talksearch/schema.h"

namespace talksearch {

SearcherPool::SearcherPool(const std::vector<std::string>& db_specs,
                           std::shared_ptr<MecabModel> model,
                           std::shared_ptr<const Glossary> glossary, size_t size,
                           std::chrono::milliseconds reopen_interval)
    : db_specs_(db_specs), model_(std::move(model)), glossary_(std::move(glossary)),
      reopen_interval_(reopen_interval) {
  if (size == 0) size = 1;
  for (size_t i = 0; i < size; ++i) {
    Slot slot;
    slot.searcher = std::make_unique<Searcher>(db_specs_, model_, glossary_);
    slot.last_reopen = std::chrono::steady_clock::now();
    slots_.push_back(std::move(slot));
    free_.push_back(i);
  }
  health_->CheckInBackground(db_specs_);
  expected_analysis_ = Analyzer(model_).Fingerprint();
  expected_glossary_ = glossary_ ? glossary_->digest() : "none";
}

std::string SearcherPool::restart_needed() const {
  std::lock_guard<std::mutex> lock(restart_mutex_);
  return restart_needed_;
}

void SearcherPool::CheckAnalysis() {
  // A tcp:// shard's metadata is the remote server's business; a local
  // database or sharded index directory is read here.
  if (db_specs_.empty() || db_specs_[0].rfind("tcp://", 0) == 0) return;
  std::string found_analysis, found_glossary;
  try {
    Xapian::Database db(db_specs_[0]);
    found_analysis = db.get_metadata(std::string(kAnalysisMetadataKey));
    found_glossary = db.get_metadata(std::string(kGlossaryMetadataKey));
  } catch (const Xapian::Error&) {
    return;  // health reports an index that cannot be read
  }
  std::string why;
  if (!found_analysis.empty() && found_analysis != expected_analysis_) {
    why = "the index was built with another MeCab dictionary or user dictionary";
  } else if (!found_glossary.empty() && found_glossary != expected_glossary_) {
    why = "the index was built with another glossary";
  }
  if (!why.empty()) why += " than talks-server loaded: restart talks-server to load it";
  std::lock_guard<std::mutex> lock(restart_mutex_);
  if (!why.empty() && why != restart_needed_) std::fprintf(stderr, "talks-server: %s\n", why.c_str());
  restart_needed_ = why;
}

void SearcherPool::Refresh(Slot& slot) {
  std::string why;
  try {
    if (!slot.searcher->IndexReplaced()) {
      // A damaged index may have been mended by a new revision.
      if (slot.searcher->Reopen()) {
        CheckAnalysis();
        if (!health_->problem().empty()) health_->CheckInBackground(db_specs_);
      }
      return;
    }
    slot.searcher = std::make_unique<Searcher>(db_specs_, model_, glossary_);
    slot.replace_error.clear();
    CheckAnalysis();
    health_->CheckInBackground(db_specs_);
    return;
  } catch (const Xapian::Error& e) {
    why = e.get_description();
  } catch (const std::exception& e) {
    why = e.what();
  }
  // Keep serving the snapshot we have; the next borrow tries again.
  if (why != slot.replace_error) {
    std::fprintf(stderr, "talks-server: cannot move to the newest index (still serving the "
                         "one open): %s\n", why.c_str());
    slot.replace_error = why;
  }
}

SearcherPool::Lease SearcherPool::Borrow() {
  size_t index;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    available_.wait(lock, [this] { return !free_.empty(); });
    index = free_.back();
    free_.pop_back();
  }
  Slot& slot = slots_[index];
  const auto now = std::chrono::steady_clock::now();
  const uint64_t generation = generation_.load();
  if (now - slot.last_reopen >= reopen_interval_ || slot.generation != generation) {
    slot.generation = generation;
    Refresh(slot);
    slot.last_reopen = now;
  }
  return Lease(this, index);
}

SearcherPool::Lease::~Lease() {
  if (!pool_) return;
  {
    std::lock_guard<std::mutex> lock(pool_->mutex_);
    pool_->free_.push_back(index_);
  }
  pool_->available_.notify_one();
}

Searcher& SearcherPool::Lease::operator*() const {
  return *pool_->slots_[index_].searcher;
}

}  // namespace talksearch
