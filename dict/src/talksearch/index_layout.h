// How an index lies on disk: a database directory, or a sharded index
// directory holding shard-00, shard-01, … and a Xapian stub file (XAPIANDB)
// that names them, so Xapian (and xapian-tcpsrv, one per shard) can open
// them. Shared by the writer (indexer/) and the reader (query/).
#ifndef TALKSEARCH_INDEX_LAYOUT_H_
#define TALKSEARCH_INDEX_LAYOUT_H_

#include <cstddef>
#include <string>
#include <vector>

namespace talksearch {

inline constexpr const char* kStubFileName = "XAPIANDB";

// "shard-03".
std::string ShardDirectoryName(size_t shard);

// The shard a talk belongs to of `shards`: a stable hash of its id, so a
// reindex finds it in the same shard.
size_t ShardOf(const std::string& talk_id, size_t shards);

// The shard directories `dir`'s stub file names, resolved against `dir`;
// empty when `dir` is not a sharded index.
std::vector<std::string> ShardDirectories(const std::string& dir);

// Writes `dir`'s stub file naming shard-00 … shard-(shards-1), atomically.
// Throws std::runtime_error when it cannot.
void WriteShardStub(const std::string& dir, size_t shards);

}  // namespace talksearch

#endif  // TALKSEARCH_INDEX_LAYOUT_H_
