// Where a Searcher's talks live: one or more Xapian databases searched as
// one (Xapian merges their statistics, so scores equal a single database's).
//
// A spec is one of:
//   - a database directory written by talks-index;
//   - a sharded index directory written by `talks-index --shards N` (it
//     holds a Xapian stub file, XAPIANDB, naming its shard directories);
//   - tcp://HOST:PORT, a database served by xapian-tcpsrv (Xapian's own
//     remote backend).
//
// Not thread-safe (Xapian objects are not): one DatabaseSet per thread.
#ifndef TALKSEARCH_DATABASE_SET_H_
#define TALKSEARCH_DATABASE_SET_H_

#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

#include "talksearch/index_layout.h"

namespace talksearch {

class DatabaseSet {
 public:
  // Opens every spec. Throws Xapian::Error (e.g. NetworkError for a shard
  // server that does not answer) or std::invalid_argument for a malformed
  // tcp:// spec.
  explicit DatabaseSet(const std::vector<std::string>& specs);

  // All shards as one database.
  Xapian::Database& database() { return combined_; }
  const Xapian::Database& database() const { return combined_; }

  // Changes whenever any shard commits: the shard's revision for a single
  // local database, the sum of the shards' revisions otherwise (a remote
  // shard, which has no revision, counts a signature of its contents).
  Xapian::rev Revision() const;

  // Moves every shard to its newest revision; true when any changed.
  bool Reopen();

  // Whether a local spec's path now holds other databases than the ones
  // open: an index rebuilt and renamed into its place, or a sharded index
  // whose stub names other shards. Xapian's reopen() follows only new
  // revisions of the databases open, and a rebuilt index starts again at
  // revision 1. Opens each local database afresh to compare UUIDs; false
  // while one cannot be opened (a rename half done) and for remote shards.
  bool Replaced() const;

  size_t shard_count() const { return shards_.size(); }
  bool has_remote() const { return has_remote_; }
  std::string Describe() const;  // the specs, for messages
  const std::vector<std::string>& specs() const { return specs_; }

 private:
  std::vector<std::string> specs_;
  std::vector<Xapian::Database> shards_;  // share their internals with combined_
  // The local shards' directories and UUIDs as opened (remote ones: none).
  std::vector<std::string> local_dirs_;
  std::vector<std::string> local_uuids_;
  Xapian::Database combined_;
  bool has_remote_ = false;
};

// How Xapian numbers the documents of local databases searched as one:
// the whole's id g is database k's id d when g = (d - 1) × n + k + 1 (n
// databases). A PostingSource needs it, since Xapian gives it each
// database with that database's own ids.
class ShardIds {
 public:
  // Of `shard` among the databases whose UUIDs are `uuids`, in order
  // (fewer than two: one database, whose ids are the whole's).
  ShardIds(const std::vector<std::string>& uuids, const Xapian::Database& shard);
  // Whether `shard` is one of them (else it holds none of the whole's ids).
  bool found() const { return k_ < n_; }
  // The whole's id of this database's id `d`.
  uint64_t Whole(Xapian::docid d) const { return (d - 1) * n_ + k_ + 1; }
  // Whether the whole's id `g` is this database's, and its id here.
  bool Holds(uint64_t g) const { return (g - 1) % n_ == k_; }
  Xapian::docid Local(uint64_t g) const { return static_cast<Xapian::docid>((g - 1) / n_ + 1); }
  // The least id here whose whole id is at least `whole_low` (at least 1).
  Xapian::docid AtLeast(uint64_t whole_low) const {
    return static_cast<Xapian::docid>(whole_low > k_ + 1 ? (whole_low - k_ - 1 + n_ - 1) / n_ + 1
                                                         : 1);
  }
  // The greatest id here whose whole id is at most `whole_high` (0: none).
  Xapian::docid AtMost(uint64_t whole_high) const {
    return static_cast<Xapian::docid>(whole_high >= k_ + 1 ? (whole_high - k_ - 1) / n_ + 1 : 0);
  }

 private:
  uint64_t n_ = 1, k_ = 0;
};

// How many documents of `db` match `query`, counted up to `at_most`
// (unranked: a cheap "does any talk have this", or "at least this many").
Xapian::doccount CountMatchesUpTo(const Xapian::Database& db, const Xapian::Query& query,
                                  Xapian::doccount at_most);

}  // namespace talksearch

#endif  // TALKSEARCH_DATABASE_SET_H_
