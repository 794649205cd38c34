#include "talksearch/response_cache.h"

namespace talksearch {

ResponseCache::ResponseCache(size_t max_entries, std::chrono::milliseconds time_to_live)
    : max_entries_(max_entries), time_to_live_(time_to_live) {}

std::optional<std::string> ResponseCache::Get(const std::string& key) {
  if (max_entries_ == 0) return std::nullopt;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end() || Clock::now() - it->second.stored > time_to_live_) {
    return std::nullopt;
  }
  recency_.splice(recency_.begin(), recency_, it->second.in_order);
  return it->second.body;
}

void ResponseCache::Put(const std::string& key, std::string body) {
  if (max_entries_ == 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    it->second.body = std::move(body);
    it->second.stored = Clock::now();
    recency_.splice(recency_.begin(), recency_, it->second.in_order);
    return;
  }
  recency_.push_front(key);
  entries_.emplace(key, Entry{std::move(body), Clock::now(), recency_.begin()});
  while (entries_.size() > max_entries_) {
    entries_.erase(recency_.back());
    recency_.pop_back();
  }
}

void ResponseCache::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
  recency_.clear();
}

}  // namespace talksearch
