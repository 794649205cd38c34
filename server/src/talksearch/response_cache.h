// Recent /api/search response bodies, kept for a short time: a popular
// query (a topic everyone types, the seminar page's links) is answered
// without searching again. Entries live no longer than the workers' own
// reopen cadence (one second), so a cached answer is never staler than an
// uncached one could be; an admin reload clears them at once.
//
// Thread-safe: one cache shared by all HTTP threads.
#ifndef TALKSEARCH_RESPONSE_CACHE_H_
#define TALKSEARCH_RESPONSE_CACHE_H_

#include <chrono>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace talksearch {

class ResponseCache {
 public:
  // `max_entries` 0 disables the cache. `max_bytes` bounds the bodies and
  // keys held: 4,096 answers of 100 hits each would be about 600 MB.
  static constexpr size_t kDefaultMaxBytes = 64 << 20;
  ResponseCache(size_t max_entries, std::chrono::milliseconds time_to_live,
                size_t max_bytes = kDefaultMaxBytes);
  size_t bytes() const;

  std::optional<std::string> Get(const std::string& key);
  void Put(const std::string& key, std::string body);
  void Clear();

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::string body;
    Clock::time_point stored;
    std::list<std::string>::iterator in_order;  // position in recency_
  };
  // Drops least recently used entries while over a bound, or expired.
  void Trim();

  const size_t max_entries_;
  const std::chrono::milliseconds time_to_live_;
  const size_t max_bytes_;
  mutable std::mutex mutex_;
  size_t bytes_ = 0;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> recency_;  // most recent first
};

}  // namespace talksearch

#endif  // TALKSEARCH_RESPONSE_CACHE_H_
