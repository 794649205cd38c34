// Whether the index the server answers from can be read.
//
// Xapian opens a damaged database without complaint (a postlist truncated
// to half opens, and every search then fails), so health is learnt two
// ways: Xapian's own structural check of every table, run in the background
// when the index is opened or replaced, and the corruption errors searches
// report. A load balancer reading /api/health then takes the server out
// instead of sending it visitors to fail.
//
// Thread-safe. Shared (shared_ptr) with the background checks, which may
// outlive their caller.
#ifndef TALKSEARCH_INDEX_HEALTH_H_
#define TALKSEARCH_INDEX_HEALTH_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <xapian.h>

namespace talksearch {

class IndexHealth : public std::enable_shared_from_this<IndexHealth> {
 public:
  // Empty while the index reads well; otherwise why it does not.
  std::string problem() const;

  // Records a failure a search met, when `error` says the index itself is
  // damaged (not a revision that moved on, nor a shard out of reach).
  void Report(const Xapian::Error& error);

  // Checks every local database of `db_specs` (Xapian::Database::check) on
  // a thread of its own; the result replaces any problem recorded.
  void CheckInBackground(const std::vector<std::string>& db_specs);

  // The same check, on the calling thread: empty, or the first problem.
  static std::string Check(const std::vector<std::string>& db_specs);

 private:
  void Set(std::string problem);
  mutable std::mutex mutex_;
  std::string problem_;
};

}  // namespace talksearch

#endif  // TALKSEARCH_INDEX_HEALTH_H_
