#include "talksearch/halves_ranker.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace talksearch {

namespace {

// Every document id from `low` to `high` of the whole, weight 0: a half of
// the database as an OP_FILTER operand. Ids of deleted talks are listed
// too; the filtered query's own postings skip them. Over several local
// databases (shards), Xapian gives each a copy of the source and expects
// that database's own ids: the whole's id g is database k's id d when
// g = (d - 1) × n + k + 1 (n databases, told apart by their UUIDs).
class DocidRangeSource : public Xapian::PostingSource {
 public:
  DocidRangeSource(Xapian::docid low, Xapian::docid high, std::vector<std::string> uuids)
      : whole_low_(low), whole_high_(high), uuids_(std::move(uuids)) {}
  Xapian::doccount get_termfreq_min() const override { return 0; }
  // As large as the whole database, so that Xapian never lets the range
  // drive the match: driven by a half's 50,000 ids, a filtered query would
  // be advanced to each of them ("re-identification AI" at 100,000 talks:
  // 318 ms in halves against 13 ms in one pass); driven by the query, the
  // range is a cheap skip.
  Xapian::doccount get_termfreq_est() const override { return std::max(whole_size_, size()); }
  Xapian::doccount get_termfreq_max() const override { return std::max(whole_size_, size()); }
  void init(const Xapian::Database& db) override {
    low_ = whole_low_;
    high_ = whole_high_;
    whole_size_ = db.get_lastdocid();
    if (uuids_.size() > 1) {
      // The least d with g(d) >= low, and the greatest with g(d) <= high
      // (0 when none: the range is then empty).
      const ShardIds ids(uuids_, db);
      low_ = ids.AtLeast(whole_low_);
      high_ = ids.AtMost(whole_high_);
    }
    at_ = low_;
    started_ = false;
  }
  void next(double) override {
    if (started_) ++at_;
    started_ = true;
  }
  void skip_to(Xapian::docid docid, double) override {
    started_ = true;
    if (docid > at_) at_ = docid;
  }
  bool at_end() const override { return at_ > high_ || at_ < low_; }
  Xapian::docid get_docid() const override { return at_; }
  Xapian::PostingSource* clone() const override {
    return new DocidRangeSource(whole_low_, whole_high_, uuids_);
  }
  std::string name() const override { return "talksearch.DocidRangeSource"; }

 private:
  Xapian::doccount size() const { return high_ >= low_ ? high_ - low_ + 1 : 0; }
  Xapian::docid whole_low_, whole_high_;
  std::vector<std::string> uuids_;  // of the databases, in order; fewer than 2: one
  Xapian::docid low_ = 0, high_ = 0;  // of the database being searched
  Xapian::docid at_ = 0;
  Xapian::doccount whole_size_ = 0;  // of the database being searched
  bool started_ = false;
};

Xapian::Query Within(Xapian::Query query, Xapian::docid low, Xapian::docid high,
                     const std::vector<std::string>& uuids) {
  return Xapian::Query(Xapian::Query::OP_FILTER, std::move(query),
                       Xapian::Query((new DocidRangeSource(low, high, uuids))->release()));
}

}  // namespace

RankedMatches RankedMatches::Of(const Xapian::MSet& mset) {
  RankedMatches matches;
  matches.estimated = mset.get_matches_estimated();
  matches.lower_bound = mset.get_matches_lower_bound();
  matches.upper_bound = mset.get_matches_upper_bound();
  matches.items.reserve(mset.size());
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
    matches.items.push_back({*it, it.get_weight(), it.get_sort_key()});
  }
  return matches;
}

HalvesRanker::HalvesRanker(const std::vector<std::string>& db_specs)
    : second_(db_specs), thread_([this] { Loop(); }) {}

HalvesRanker::~HalvesRanker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void HalvesRanker::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stop_ || task_; });
    if (stop_) return;
    lock.unlock();
    task_();  // catches what it throws
    lock.lock();
    task_ = nullptr;
    changed_.notify_all();
  }
}

bool HalvesRanker::InStepWith(const std::string& uuid, Xapian::rev revision) {
  auto same = [&] {
    return second_.Revision() == revision && second_.database().get_uuid() == uuid;
  };
  if (same()) return true;
  second_.Reopen();
  return same();
}

RankedMatches HalvesRanker::Rank(Xapian::Database& db, const Xapian::Query& query,
                                 Xapian::doccount first, Xapian::doccount count,
                                 Xapian::doccount check_at_least,
                                 const std::vector<std::string>& database_uuids,
                                 const EnquireSetup& setup, const Before& before,
                                 const ForRange& for_range) {
  // The upper half's query is a tree of its own: Xapian::Query counts its
  // references without atomics, so two threads must not share one.
  Xapian::Query upper_query;
  try {
    upper_query = Xapian::Query::unserialise(query.serialise());
  } catch (const Xapian::Error&) {
    // A query Xapian cannot copy (a posting source it cannot serialise):
    // one pass, on this thread.
    Xapian::Enquire whole(db);
    whole.set_query(for_range(query, db, 1, db.get_lastdocid(), &lower_scores_));
    setup(whole, 0);
    RankedMatches matches = RankedMatches::Of(whole.get_mset(first, count, check_at_least));
    matches.scored_in_part = lower_scores_.cut_short;
    return matches;
  }
  const Xapian::docid last = db.get_lastdocid();
  const Xapian::docid middle = last / 2;
  Xapian::Enquire lower(db), upper(second_.database());
  lower.set_query(
      Within(for_range(query, db, 1, middle, &lower_scores_), 1, middle, database_uuids));
  upper.set_query(
      Within(for_range(upper_query, second_.database(), middle + 1, last, &upper_scores_),
             middle + 1, last, database_uuids));
  setup(lower, 0);
  setup(upper, 1);
  const Xapian::doccount window = first + count;

  Xapian::MSet lower_mset, upper_mset;
  std::exception_ptr lower_failure, upper_failure;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = [&] {
      try {
        upper_mset = upper.get_mset(0, window, check_at_least);
      } catch (...) {
        upper_failure = std::current_exception();
      }
    };
  }
  changed_.notify_all();
  try {
    lower_mset = lower.get_mset(0, window, check_at_least);
  } catch (...) {
    lower_failure = std::current_exception();
  }
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !task_; });
  }
  if (lower_failure) std::rethrow_exception(lower_failure);
  if (upper_failure) std::rethrow_exception(upper_failure);

  RankedMatches low = RankedMatches::Of(lower_mset), high = RankedMatches::Of(upper_mset);
  RankedMatches merged;
  merged.estimated = low.estimated + high.estimated;
  merged.lower_bound = low.lower_bound + high.lower_bound;
  merged.upper_bound = low.upper_bound + high.upper_bound;
  merged.scored_in_part = lower_scores_.cut_short || upper_scores_.cut_short;
  size_t i = 0, j = 0;
  for (Xapian::doccount rank = 0; rank < window; ++rank) {
    const bool take_high =
        j < high.items.size() && (i == low.items.size() || before(high.items[j], low.items[i]));
    if (!take_high && i == low.items.size()) break;
    RankedMatches::Match& next = take_high ? high.items[j++] : low.items[i++];
    if (rank >= first) merged.items.push_back(std::move(next));
  }
  return merged;
}

}  // namespace talksearch
