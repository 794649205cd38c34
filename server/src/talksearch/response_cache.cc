#include "talksearch/response_cache.h"

namespace talksearch {

ResponseCache::ResponseCache(size_t max_entries, std::chrono::milliseconds time_to_live,
                             size_t max_bytes)
    : max_entries_(max_entries), time_to_live_(time_to_live), max_bytes_(max_bytes) {}

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
  if (max_entries_ == 0 || key.size() + body.size() > max_bytes_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    bytes_ -= it->second.body.size();
    bytes_ += body.size();
    it->second.body = std::move(body);
    it->second.stored = Clock::now();
    recency_.splice(recency_.begin(), recency_, it->second.in_order);
  } else {
    bytes_ += key.size() + body.size();
    recency_.push_front(key);
    entries_.emplace(key, Entry{std::move(body), Clock::now(), recency_.begin()});
  }
  Trim();
}

void ResponseCache::Trim() {
  // Expired entries are dropped from the least recently used end, so that
  // a quiet server does not hold its last busy minute's answers for ever.
  const Clock::time_point now = Clock::now();
  while (!recency_.empty()) {
    auto oldest = entries_.find(recency_.back());
    const bool expired = now - oldest->second.stored > time_to_live_;
    if (entries_.size() <= max_entries_ && bytes_ <= max_bytes_ && !expired) break;
    bytes_ -= oldest->first.size() + oldest->second.body.size();
    entries_.erase(oldest);
    recency_.pop_back();
  }
}

size_t ResponseCache::bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_;
}

void ResponseCache::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
  recency_.clear();
  bytes_ = 0;
}

}  // namespace talksearch
