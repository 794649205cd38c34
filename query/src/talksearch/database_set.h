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

// How many documents of `db` match `query`, counted up to `at_most`
// (unranked: a cheap "does any talk have this", or "at least this many").
Xapian::doccount CountMatchesUpTo(const Xapian::Database& db, const Xapian::Query& query,
                                  Xapian::doccount at_most);

}  // namespace talksearch

#endif  // TALKSEARCH_DATABASE_SET_H_
