#include "talksearch/searcher_pool.h"

#include <cstdio>

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
}

void SearcherPool::Refresh(Slot& slot) {
  std::string why;
  try {
    if (!slot.searcher->IndexReplaced()) {
      // A damaged index may have been mended by a new revision.
      if (slot.searcher->Reopen() && !health_->problem().empty()) {
        health_->CheckInBackground(db_specs_);
      }
      return;
    }
    slot.searcher = std::make_unique<Searcher>(db_specs_, model_, glossary_);
    slot.replace_error.clear();
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
