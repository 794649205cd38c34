// Ranking one query on two threads: the lower half of a database's
// document ids on the caller's thread, the upper half on a thread of the
// ranker's own, through a second handle on the same database (Xapian
// objects are not thread-safe), merged into what one Enquire would return.
//
// Both halves score with the whole database's statistics (the half is a
// weightless filter), so scores and order are those of one pass; each half
// counts its own matches, and the counts add up. A broad query at 100,000
// talks spends most of its time in the matcher visiting every match (for
// exact totals and facets), which two cores then share.
//
// For local databases only (one, or shards searched as one, whose ids
// Xapian interleaves: each half then holds half of each shard); a remote
// shard ranks on its own server.
#ifndef TALKSEARCH_HALVES_RANKER_H_
#define TALKSEARCH_HALVES_RANKER_H_

#include <xapian.h>

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "talksearch/database_set.h"
#include "talksearch/term_at_a_time.h"

namespace talksearch {

// A ranking pass's matches: one MSet's (Of), or two halves' merged.
struct RankedMatches {
  struct Match {
    Xapian::docid docid = 0;
    double weight = 0;
    std::string sort_key;  // MSetIterator::get_sort_key()
  };
  std::vector<Match> items;  // best first, from the first match asked for on
  Xapian::doccount estimated = 0, lower_bound = 0, upper_bound = 0;
  // Whether a time limit stopped the reading of postings scored term at a
  // time (TermScores::cut_short): the matches, and the bounds, are then
  // only those of the terms read.
  bool scored_in_part = false;

  static RankedMatches Of(const Xapian::MSet& mset);
};

class HalvesRanker {
 public:
  // Opens the second handle on `db_specs` (DatabaseSet specs, all local).
  explicit HalvesRanker(const std::vector<std::string>& db_specs);
  ~HalvesRanker();
  HalvesRanker(const HalvesRanker&) = delete;
  HalvesRanker& operator=(const HalvesRanker&) = delete;

  // Whether the second handle reads the databases `uuid` names (the
  // caller's Database::get_uuid()) at `revision` (its DatabaseSet::
  // Revision()), reopening it if not: a writer may have committed between
  // the two handles' opening or reopening, or a new index may have been put
  // in the old one's place (its revision alone could be the same). Rank
  // only when true.
  bool InStepWith(const std::string& uuid, Xapian::rev revision);

  // Sets up an Enquire on a half's database (weighting, sort order, time
  // limit, that half's match spies: half 0 lower, 1 upper). Called on the
  // caller's thread for both halves.
  using EnquireSetup = std::function<void(Xapian::Enquire& enquire, int half)>;
  // Whether match a comes before match b in the order `setup` sets up (not
  // for ties: on a tie the lower half's match, the lower document id, comes
  // first, as Xapian orders them).
  using Before = std::function<bool(const RankedMatches::Match& a,
                                    const RankedMatches::Match& b)>;

  // The query a half searches, given its database and its documents `low`
  // to `high`: `query` itself, or one that matches the same there (as
  // ScoreTermsAtATime makes, into `scores`: the half's own, whose cut_short
  // it clears). Called on the caller's thread for both halves.
  using ForRange = std::function<Xapian::Query(const Xapian::Query& query,
                                               const Xapian::Database& db, Xapian::docid low,
                                               Xapian::docid high, TermScores* scores)>;

  // Enquire::get_mset(first, count, check_at_least) of `query` over `db`
  // (at the revision InStepWith was asked about), in two halves.
  // `database_uuids`: the UUIDs of the databases `db` joins, in order (one
  // or none for a single database). A query Xapian cannot serialise (the
  // upper half's copy is made that way) is ranked in one pass instead.
  // Rethrows what either half throws, once both have stopped.
  RankedMatches Rank(Xapian::Database& db, const Xapian::Query& query, Xapian::doccount first,
                     Xapian::doccount count, Xapian::doccount check_at_least,
                     const std::vector<std::string>& database_uuids, const EnquireSetup& setup,
                     const Before& before, const ForRange& for_range);

 private:
  void Loop();

  DatabaseSet second_;
  TermScores lower_scores_, upper_scores_;  // each half's, on its own thread
  std::mutex mutex_;
  std::condition_variable changed_;
  std::function<void()> task_;  // the upper half, while it is to run
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace talksearch

#endif  // TALKSEARCH_HALVES_RANKER_H_
