// Building a whole index from a corpus: a new single database written in
// parallel parts and compacted (CreateCompactIndex), or a sharded index
// made to hold a corpus (UpdateShardedIndex). Both write through
// IndexWriter (index_writer.h) and report as its Update does.
//
// Each call is one build: not to be run twice at once on one path (Xapian's
// write lock refuses the second, with Xapian::DatabaseLockError).
#ifndef TALKSEARCH_INDEX_BUILD_H_
#define TALKSEARCH_INDEX_BUILD_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "talksearch/analyzer.h"
#include "talksearch/glossary.h"
#include "talksearch/index_writer.h"
#include "talksearch/talk.h"

namespace talksearch {

// What every build analyses talks with and reports to.
struct IndexingOptions {
  std::shared_ptr<MecabModel> model;  // required
  // Its concepts are marked in the documents (see IndexWriter); null: none.
  std::shared_ptr<const Glossary> glossary;
  // Called as talks are written (talks done, talks in all); may be empty.
  IndexWriter::Progress progress;
  // Whether a database the build creates keeps termlists (see Termlists);
  // an existing one keeps what it has.
  Termlists termlists = Termlists::kKeep;
};

// How CreateCompactIndex builds.
struct BuildOptions : IndexingOptions {
  explicit BuildOptions(IndexingOptions indexing = {}) : IndexingOptions(std::move(indexing)) {}
  size_t threads = 0;  // analysing threads in all, as for IndexWriter (0 = one per core)
  // Databases written in parallel, each by its own IndexWriter with a share
  // of the threads, and merged by the compaction (Xapian has one writer per
  // database: one writer was the bound). 0 = one per core, but no more
  // than one per 1,000 talks.
  size_t parts = 0;
  // The stored-talk dictionary (see IndexWriter::OfferDictionary); empty:
  // one trained from the talks.
  std::string dictionary;
};

// How UpdateShardedIndex updates.
struct ShardedUpdateOptions : IndexingOptions {
  explicit ShardedUpdateOptions(IndexingOptions indexing = {})
      : IndexingOptions(std::move(indexing)) {}
  size_t shards = 0;  // databases the talks are split over by ShardOf(id); at least 1
  AbsentTalks absent = AbsentTalks::kRemove;  // as IndexWriter::SetAbsentTalks
};

// Builds a new single-database index at `db_path`, which must not exist:
// the talks are written into `db_path`.building (no reader sees it; in
// parts, contiguous runs of the corpus, so document ids follow the corpus
// order as with one writer), committed every 1,000 talks, then compacted
// (Xapian's compaction fills every B-tree block: 21% smaller on 100,000
// generated talks, for 4% more time) into `db_path`.compacting and renamed
// to `db_path`. A crash leaves no `db_path`, and the next run starts
// afresh. An id given twice is indexed once, the first. Throws
// std::runtime_error when `db_path` exists, and Xapian::Error. With
// Termlists::kDrop the parts are created without a termlist table
// (Xapian's DB_NO_TERMLIST), and so is the compacted index.
IndexUpdateReport CreateCompactIndex(const std::string& db_path, const std::vector<Talk>& talks,
                                     const BuildOptions& options);

// Makes the sharded index in `dir` (see index_layout.h) hold exactly
// `talks` (as IndexWriter::Update, with `options.absent`), split over
// `options.shards` databases by ShardOf(id) (new shards built aside and
// compacted, as CreateCompactIndex, with or without termlists). The shards
// are written in parallel, each by an IndexWriter with its share of the
// cores and in its own transaction, committed only once every shard is
// written: a failure leaves every existing shard as it was, and a crash
// leaves every shard at a whole revision (a reader may briefly see one
// shard updated and another not yet).
// Throws std::runtime_error when `options.shards` is 0, when `dir` is a
// single database or a sharded index with another shard count (talks would
// be looked for in the wrong shard), and Xapian::Error.
IndexUpdateReport UpdateShardedIndex(const std::string& dir, const std::vector<Talk>& talks,
                                     const ShardedUpdateOptions& options);

// Makes the index at `db_path` hold `talks`, whatever it is: a sharded
// index with the shard count it has (or `shards` for a new one, when not
// 0) as UpdateShardedIndex; a new single database as CreateCompactIndex; an
// existing one updated in place in one transaction (IndexWriter::Update).
// `absent` says what happens to indexed talks `talks` lacks. Throws as
// those do.
IndexUpdateReport UpdateIndex(const std::string& db_path, const std::vector<Talk>& talks,
                              const IndexingOptions& options, size_t shards,
                              AbsentTalks absent);

}  // namespace talksearch

#endif  // TALKSEARCH_INDEX_BUILD_H_
