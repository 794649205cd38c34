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
  // `max_entries` 0 disables the cache.
  ResponseCache(size_t max_entries, std::chrono::milliseconds time_to_live);

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
  const size_t max_entries_;
  const std::chrono::milliseconds time_to_live_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> recency_;  // most recent first
};

}  // namespace talksearch

#endif  // TALKSEARCH_RESPONSE_CACHE_H_
