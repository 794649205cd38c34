#include "talksearch/searcher_pool.h"

namespace talksearch {

SearcherPool::SearcherPool(const std::vector<std::string>& db_specs,
                           std::shared_ptr<MecabModel> model,
                           std::shared_ptr<const Glossary> glossary, size_t size,
                           std::chrono::milliseconds reopen_interval)
    : reopen_interval_(reopen_interval) {
  if (size == 0) size = 1;
  for (size_t i = 0; i < size; ++i) {
    slots_.push_back({std::make_unique<Searcher>(db_specs, model, glossary),
                      std::chrono::steady_clock::now()});
    free_.push_back(i);
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
    try {
      slot.searcher->Reopen();
    } catch (const Xapian::Error&) {
      // Keep serving the snapshot we have; the next borrow tries again.
    }
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
