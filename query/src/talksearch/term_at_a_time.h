// A search's OR of weighted terms, scored one term after another.
//
// Xapian 1.4 matches an OR of n terms through a tree of n - 1 OrPostLists,
// and every posting climbs it. A broad query widened to a dozen or more
// terms (a word's title and body terms, its concept marks) spends most of
// its time there: at 100,000 talks `PDE neural network solver` reads 17
// terms and 201,044 postings in under 2 ms, and Xapian took 9 ms (in one
// pass, BoolWeight, no match kept) just to list the 83,001 talks they
// match. Read term by term into a score per document instead, the postings
// cost about 2 ms and Xapian then visits each match once.
//
// The scores are Xapian's own: BM25Weight's formula with the statistics
// its matcher uses (the whole database's, over shards too), and each
// term's factor as the OP_SCALE_WEIGHT nodes above it give it. Xapian's
// matcher still does the rest (filters, exclusions, the sort order, match
// spies, counting), so a search matches what Xapian's OR tree matches, and
// a document weighs what the parts it matches add up to (only the order of
// the additions differs, in the last bits of a double). Xapian 1.4.22's
// tree did not always: under a filter, an OR of six words, one of them a
// phrase, gave a paper 34.66 where the one part it matches gives 7.90 (a
// judged papers query).
//
// Local databases only (one, or shards searched as one): a remote server
// cannot rebuild the source.
#ifndef TALKSEARCH_TERM_AT_A_TIME_H_
#define TALKSEARCH_TERM_AT_A_TIME_H_

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

namespace talksearch {

// Each document's length (Database::get_doclength), by document id (over
// shards, the whole's), of one revision; 0 for ids with no document.
using DocumentLengths = std::vector<Xapian::termcount>;

// Reads `db`'s document lengths (4 bytes per document id).
std::shared_ptr<const DocumentLengths> ReadDocumentLengths(const Xapian::Database& db);

// The BM25Weight parameters and the time limit of the search's Enquires
// (SetUpRanking).
struct ScoringParameters {
  double k1 = 1;
  double b = 0.5;
  double min_normlen = 0.5;
  // As Xapian's matcher stops at the Enquire's time limit, the postings stop
  // being read after this long (0: no limit): the terms read so far score,
  // and TermScores::cut_short says so.
  double time_limit_seconds = 0;
};

// A score and a mark per document id (9 bytes each), all zero between
// searches: the arrays ScoreTermsAtATime adds into, kept from search to
// search, so that a search clears only the entries it used rather than
// allocating arrays as long as the index. Used by one search at a time:
// one per thread that searches (a Searcher's, each half's).
class TermScores {
 public:
  // At least `span` entries, all zero.
  void Reserve(size_t span) {
    if (score.size() < span) {
      score.resize(span, 0.0);
      matched.resize(span, 0);
    }
  }
  std::vector<double> score;
  std::vector<char> matched;
  // Whether the search of the query ScoreTermsAtATime last made with
  // these (it clears this) stopped reading postings at the time limit
  // (ScoringParameters), in any shard: its matches and their count are
  // then only those of the terms read.
  bool cut_short = false;
};

// `query` with its OR of weighted terms — the terms under its top OP_OR
// and OP_SCALE_WEIGHT nodes, within the OP_FILTER and OP_AND_NOT nodes that
// wrap it — matched and scored term at a time over documents `low` to
// `high` of `db` (as a PostingSource); its other parts (a phrase, an AND,
// the filters) are left as they are, under the same factors. `query`
// itself when it has no such terms, or `lengths` is null (a remote
// database). `lengths` are `db`'s (ReadDocumentLengths), at the revision
// the Enquire will search.
// `database_uuids`: when `db` joins several local databases (shards), their
// UUIDs in order (LocalDatabaseUuids), since Xapian gives the source each
// shard with its own document ids; empty or one for a single database.
// `scores` must outlive the Enquire's matching, and no other search may use
// it meanwhile; its cut_short is cleared here. Throws Xapian::Error.
Xapian::Query ScoreTermsAtATime(const Xapian::Query& query, const Xapian::Database& db,
                                const ScoringParameters& scoring,
                                std::shared_ptr<const DocumentLengths> lengths, Xapian::docid low,
                                Xapian::docid high, TermScores* scores,
                                const std::vector<std::string>& database_uuids = {});

}  // namespace talksearch

#endif  // TALKSEARCH_TERM_AT_A_TIME_H_
