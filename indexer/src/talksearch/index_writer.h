// Writing talks into a Xapian database, in place. How a talk becomes a
// document is document_builder.h; building a new compacted or sharded
// index from a corpus is index_build.h.
//
// Each talk is one document identified by the unique term Q<id>. Update()
// compares a content hash (talk fields + analysis fingerprint) with what is
// stored, re-analyses only what changed, deletes talks gone from the corpus,
// and commits once, so a reader sees either the old or the new index.
//
// Not thread-safe: one IndexWriter per database, used from one thread.
#ifndef TALKSEARCH_INDEX_WRITER_H_
#define TALKSEARCH_INDEX_WRITER_H_

#include <xapian.h>

#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "talksearch/analyzer.h"
#include "talksearch/corpus.h"
#include "talksearch/document_builder.h"
#include "talksearch/glossary.h"
#include "talksearch/stored_talk.h"
#include "talksearch/talk.h"

namespace talksearch {

struct IndexUpdateReport {
  std::vector<std::string> added;
  std::vector<std::string> changed;
  std::vector<std::string> removed;
  std::vector<std::string> unchanged;
  // In the index, not in the corpus, and kept there (AbsentTalks::kKeep).
  std::vector<std::string> kept;
  // Talks that could not be indexed, by their source's file and line: not
  // added, or (changed talks) left as they were; every other talk is.
  std::vector<CorpusProblem> failed;
  double seconds = 0;
  Xapian::doccount documents = 0;  // in the database after the update
  Xapian::rev revision = 0;
};

// What an update does with indexed talks the corpus no longer has. kKeep
// is for a corpus read with problems: a talk whose entry (or whole file)
// could not be read is absent from it, and must not be lost.
enum class AbsentTalks { kRemove, kKeep };

// Whether a new index keeps Xapian's termlists (each talk's list of its
// terms, a third of a compacted index; 190 of 447 MB at 100,000 generated
// talks). Search, snippets, facets, matched_via and related talks work the
// same without them, but the index cannot be updated in place (Xapian needs
// a talk's old terms to replace or delete it): build a new one instead.
// Nor can xapian-tcpsrv serve it (Xapian 1.4's remote protocol sends a
// document's values from its termlist). For large, read-mostly indexes
// searched locally.
enum class Termlists { kKeep, kDrop };

class IndexWriter {
 public:
  // Opens or creates the database at `db_path`. Talks are analysed on
  // `threads` threads (0 = one per core), each with its own Analyzer, while
  // the calling thread writes the database in corpus order. With a `glossary`,
  // documents mark its concepts, which the query builder's glossary widening
  // searches (without, a query is widened to nothing). A new database is
  // created with or without `termlists` (without, it can only be added to
  // and compacted). Throws Xapian::Error, and std::runtime_error for an
  // existing index built without termlists.
  IndexWriter(const std::string& db_path, std::shared_ptr<MecabModel> model, size_t threads = 0,
              std::shared_ptr<const Glossary> glossary = nullptr,
              Termlists termlists = Termlists::kKeep);

  // Called as talks are processed: (talks done, talks in all).
  using Progress = std::function<void(size_t done, size_t total)>;

  // Makes the database hold exactly `talks` (with AbsentTalks::kKeep, at
  // least), in one transaction: a crash at any point leaves the previous
  // revision whole. A talk that cannot be analysed is reported in `failed`
  // and the others are written. Throws Xapian::Error.
  IndexUpdateReport Update(const std::vector<Talk>& talks, const Progress& progress = nullptr);
  // The same, for talks held elsewhere (a part or shard of one corpus),
  // without copying them.
  IndexUpdateReport Update(const std::vector<const Talk*>& talks,
                           const Progress& progress = nullptr);

  // For a database no reader sees (CreateCompactIndex's building copy):
  // Update commits every `talks` talks instead of in one transaction. One
  // transaction keeps every new posting in memory until the end; smaller
  // batches keep Xapian's in-memory postings small (commits of 1,000 talks,
  // 100,000 talks: 110 → 90 s, peak memory 647 → 440 MB). 0 = one
  // transaction.
  void CommitEvery(size_t talks) { commit_every_ = talks; }

  void SetAbsentTalks(AbsentTalks absent) { absent_ = absent; }

  // For databases updated as one (the shards of an index): Update leaves
  // its transaction open, for Commit() once every database's Update has
  // succeeded, or Cancel() if one failed.
  void DeferCommit() { defer_commit_ = true; }
  void Commit();
  void Cancel();  // a no-op unless an Update left its transaction open
  Xapian::rev Revision() const { return db_.get_revision(); }

  // The stored talks are compressed with the database's dictionary (see
  // StoredTalkCodec), made by its first Update from the talks it is given,
  // unless one is offered here first: the parts and shards of one index
  // share one, so that any of their talks reads with it. Ignored for a
  // database that has a dictionary.
  void OfferDictionary(std::string dictionary) { offered_dictionary_ = std::move(dictionary); }

 private:
  // The spelling words `old` added, to take back when it is replaced.
  SpellingWordCounts SpellingOf(const Xapian::Document& old);
  // ReadingWords this writer has added to the synonym table.
  std::unordered_set<std::string> reading_words_added_;
  void RemoveSpelling(const SpellingWordCounts& words);

  Xapian::WritableDatabase db_;
  Analyzer analyzer_;
  std::unique_ptr<const ConceptMatcher> concepts_;  // shared by the analysing threads
  std::vector<std::unique_ptr<Analyzer>> extra_analyzers_;  // one per extra thread
  size_t commit_every_ = 0;
  AbsentTalks absent_ = AbsentTalks::kRemove;
  bool defer_commit_ = false;
  bool transaction_open_ = false;  // left open by Update, after DeferCommit
  // With the database's dictionary; plain JSON until it has one.
  std::unique_ptr<const StoredTalkCodec> codec_;
  std::string offered_dictionary_;
};

// The analysing threads IndexWriter uses for threads = 0: one per core.
size_t DefaultIndexThreads();

}  // namespace talksearch

#endif  // TALKSEARCH_INDEX_WRITER_H_
