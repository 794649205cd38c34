// Writing talks into a Xapian database, in place.
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
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "talksearch/analyzer.h"
#include "talksearch/corpus.h"
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

// Word -> count, for Xapian's spelling table ("did you mean").
using SpellingWordCounts = std::map<std::string, Xapian::termcount>;
// (kReadingSynonymPrefix + reading, word): the Japanese words (with a kanji,
// two characters or more) of titles and abstracts by their reading, for
// Xapian's synonym table, where a query's kanji input-method error finds
// the word meant (QueryCorrector).
using ReadingWords = std::set<std::pair<std::string, std::string>>;

// The Xapian document for `talk`: prefixed word and bigram terms with
// positions for each text field (see schema.h), boolean filter terms, the
// date and content-hash values, and the talk as document data (`codec`'s
// encoding; plain JSON without one). When `spelling_words` is given, the
// English and katakana words of the title and abstract are counted into it
// from the same analysis. With `concepts`, the glossary concepts of titles,
// abstracts and references are marked by concept terms (see ConceptMatcher).
Xapian::Document BuildDocument(const Talk& talk, Analyzer& analyzer,
                               SpellingWordCounts* spelling_words = nullptr,
                               const ConceptMatcher* concepts = nullptr,
                               const StoredTalkCodec* codec = nullptr,
                               ReadingWords* reading_words = nullptr);

// Stable 64-bit hash of everything indexed for `talk` under the analysis
// `fingerprint`, as 16 hex digits.
std::string ContentHash(const Talk& talk, const std::string& fingerprint);

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

// How CreateCompactIndex builds.
struct BuildOptions {
  size_t threads = 0;  // analysing threads in all, as for IndexWriter (0 = one per core)
  Termlists termlists = Termlists::kKeep;
  // Databases written in parallel, each by its own IndexWriter with a share
  // of the threads, and merged by the compaction (Xapian has one writer per
  // database: one writer was the bound). 0 = one per core, but no more
  // than one per 1,000 talks.
  size_t parts = 0;
  // The stored-talk dictionary (see IndexWriter::OfferDictionary); empty:
  // one trained from the talks.
  std::string dictionary;
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
                                     std::shared_ptr<MecabModel> model,
                                     const IndexWriter::Progress& progress = nullptr,
                                     std::shared_ptr<const Glossary> glossary = nullptr,
                                     const BuildOptions& options = {});

// Makes the sharded index in `dir` (see index_layout.h) hold exactly
// `talks` (as IndexWriter::Update, with `absent`), split over `shards`
// databases by ShardOf(id) (new shards built aside and compacted, as
// CreateCompactIndex, with or without `termlists`). The shards are written
// in parallel, each by an IndexWriter with its share of the cores and in
// its own transaction, committed only once every shard is written: a
// failure leaves every existing shard as it was, and a crash leaves every
// shard at a whole revision (a reader may briefly see one shard updated and
// another not yet).
// Throws std::runtime_error when `dir` is a single database or a sharded
// index with another shard count (talks would be looked for in the wrong
// shard), and Xapian::Error.
IndexUpdateReport UpdateShardedIndex(const std::string& dir, size_t shards,
                                     const std::vector<Talk>& talks,
                                     std::shared_ptr<MecabModel> model,
                                     const IndexWriter::Progress& progress = nullptr,
                                     std::shared_ptr<const Glossary> glossary = nullptr,
                                     Termlists termlists = Termlists::kKeep,
                                     AbsentTalks absent = AbsentTalks::kRemove);

}  // namespace talksearch

#endif  // TALKSEARCH_INDEX_WRITER_H_
