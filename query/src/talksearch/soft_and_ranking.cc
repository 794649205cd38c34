#include "talksearch/soft_and_ranking.h"

#include <algorithm>
#include <set>

#include "talksearch/database_set.h"
#include "talksearch/schema.h"

namespace talksearch {
namespace {

constexpr double kQueryTimeLimitSeconds = 0.5;

// Above any date in byte order (a sort key for oldest first).
constexpr char kNoDateSortsLast[] = "\xff";

// Exactly the given documents (sorted), weight 0: restricts a query to a
// handful of candidates, which Xapian then checks by skipping to each.
// Over several local databases, Xapian gives each its own copy of the
// source, with that database, and expects its own document ids: the whole's
// id g is database (g - 1) % n's id (g - 1) / n + 1. Which database a copy
// serves is told by its UUID, in the order of the whole's UUID ("a:b").
class DocumentsSource : public Xapian::PostingSource {
 public:
  DocumentsSource(std::vector<Xapian::docid> sorted, std::vector<std::string> database_uuids)
      : all_(std::move(sorted)), uuids_(std::move(database_uuids)), docids_(all_) {}
  Xapian::doccount get_termfreq_min() const override { return docids_.size(); }
  Xapian::doccount get_termfreq_est() const override { return docids_.size(); }
  Xapian::doccount get_termfreq_max() const override { return docids_.size(); }
  void init(const Xapian::Database& db) override {
    at_ = 0;
    started_ = false;
    if (uuids_.size() < 2) return;
    const ShardIds ids(uuids_, db);
    docids_.clear();
    for (Xapian::docid g : all_) {
      if (ids.Holds(g)) docids_.push_back(ids.Local(g));
    }
  }
  void next(double) override {
    if (started_) ++at_;
    started_ = true;
  }
  void skip_to(Xapian::docid docid, double) override {
    started_ = true;
    while (at_ < docids_.size() && docids_[at_] < docid) ++at_;
  }
  bool at_end() const override { return at_ >= docids_.size(); }
  Xapian::docid get_docid() const override { return docids_[at_]; }
  Xapian::PostingSource* clone() const override { return new DocumentsSource(all_, uuids_); }
  std::string name() const override { return "talksearch.DocumentsSource"; }

 private:
  std::vector<Xapian::docid> all_;  // of the whole
  std::vector<std::string> uuids_;   // of the databases, in order; fewer than 2: one
  std::vector<Xapian::docid> docids_;  // of the database being searched
  size_t at_ = 0;
  bool started_ = false;
};

}  // namespace

ScoringParameters ScoringOf(const RankingParams& params) {
  return {params.bm25_k1, params.bm25_b, /*min_normlen=*/0.5, kQueryTimeLimitSeconds};
}

void SetUpRanking(Xapian::Enquire& enquire, const RankingParams& params) {
  const ScoringParameters scoring = ScoringOf(params);
  enquire.set_weighting_scheme(
      Xapian::BM25Weight(scoring.k1, 0, 0, scoring.b, scoring.min_normlen));
  // Bounds the matcher's work per query; past it, Xapian returns the best
  // matches found so far (and the total becomes an estimate).
  enquire.set_time_limit(scoring.time_limit_seconds);
}

Xapian::Enquire RankingEnquire(const Xapian::Database& db, const RankingParams& params) {
  Xapian::Enquire enquire(db);
  SetUpRanking(enquire, params);
  return enquire;
}

void SetUpSort(Xapian::Enquire& enquire, SortOrder sort) {
  switch (sort) {
    case SortOrder::kRelevance:
      // Ties (e.g. a pure filter) list the newest talk first.
      enquire.set_sort_by_relevance_then_value(kDateSlot, true);
      break;
    case SortOrder::kNewest:
      enquire.set_sort_by_value_then_relevance(kDateSlot, true);
      break;
    case SortOrder::kOldest: {
      // Talks without a date (some related talks, most papers) come last,
      // as newest first lists them: by their empty value they came first.
      auto* dated_first = new Xapian::MultiValueKeyMaker();
      dated_first->add_value(kDateSlot, false, kNoDateSortsLast);
      enquire.set_sort_by_key_then_relevance(dated_first->release(), false);
      break;
    }
  }
}

bool RanksBefore(const RankedMatches::Match& a, const RankedMatches::Match& b, SortOrder sort) {
  switch (sort) {
    case SortOrder::kRelevance:
      if (a.weight != b.weight) return a.weight > b.weight;
      return a.sort_key > b.sort_key;
    case SortOrder::kNewest:
      if (a.sort_key != b.sort_key) return a.sort_key > b.sort_key;
      return a.weight > b.weight;
    case SortOrder::kOldest:
      if (a.sort_key != b.sort_key) return a.sort_key < b.sort_key;
      return a.weight > b.weight;
  }
  return false;
}

// DocumentsSource tells the databases apart by their UUIDs.
std::vector<std::string> LocalDatabaseUuids(const Xapian::Database& db) {
  std::vector<std::string> uuids;
  const std::string joined = db.get_uuid();
  for (size_t start = 0;;) {
    const size_t colon = joined.find(':', start);
    uuids.push_back(joined.substr(start, colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  std::vector<std::string> sorted = uuids;
  std::sort(sorted.begin(), sorted.end());
  if (sorted.front().empty() || std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    return {};
  }
  return uuids;
}

std::vector<std::pair<Xapian::docid, double>> EveryWordFirst(
    const Xapian::Database& db, const RankingParams& params, const RankedMatches& any_word,
    const Xapian::Query& every_word_query, size_t wanted,
    const std::vector<std::string>& database_uuids, size_t* with_every_word) {
  Xapian::Enquire enquire = RankingEnquire(db, params);
  SetUpSort(enquire, SortOrder::kRelevance);
  const double boost = 1 + params.all_words_weight;
  struct Ranked {
    Xapian::docid docid;
    double score;
    std::string date;
  };
  std::vector<Ranked> ranked;
  // Which candidates have every word: the every-word query restricted to
  // them (a skip to each), not over all its matches.
  std::vector<Xapian::docid> candidates;
  for (const RankedMatches::Match& m : any_word.items) candidates.push_back(m.docid);
  std::sort(candidates.begin(), candidates.end());
  std::set<Xapian::docid> every_word;
  if (!candidates.empty()) {
    // release(): the query owns the source (without it, each search leaked one).
    const Xapian::Query candidates_only(
        (new DocumentsSource(candidates, database_uuids))->release());
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, every_word_query, candidates_only));
    const Xapian::MSet checked =
        enquire.get_mset(0, static_cast<Xapian::doccount>(candidates.size()));
    for (Xapian::MSetIterator it = checked.begin(); it != checked.end(); ++it) {
      every_word.insert(*it);
    }
  }
  if (with_every_word) *with_every_word = every_word.size();
  for (const RankedMatches::Match& m : any_word.items) {
    const double score = m.weight * (every_word.count(m.docid) ? boost : 1.0);
    ranked.push_back({m.docid, score, m.sort_key});
  }
  // As the one-query ranking: score, then the newest.
  auto better = [](const Ranked& a, const Ranked& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.date > b.date;
  };
  std::stable_sort(ranked.begin(), ranked.end(), better);
  // Settled when every match is a candidate, or when a talk below the
  // candidates could not reach the page even with every word.
  const bool all_candidates = any_word.items.size() >= any_word.upper_bound;
  const double best_outside = any_word.items.empty() ? 0 : boost * any_word.items.back().weight;
  if (!all_candidates && (ranked.size() < wanted || ranked[wanted - 1].score <= best_outside)) {
    // Otherwise the best `wanted` with every word decide: a talk outside
    // the candidates ranks on the page only with every word, and then
    // scores (1 + all_words_weight) × its weight under the every-word query.
    enquire.set_query(every_word_query);
    const Xapian::MSet best = enquire.get_mset(0, static_cast<Xapian::doccount>(wanted));
    std::set<Xapian::docid> have;
    for (const Ranked& r : ranked) have.insert(r.docid);
    for (Xapian::MSetIterator it = best.begin(); it != best.end(); ++it) {
      if (have.insert(*it).second) {
        ranked.push_back({*it, boost * it.get_weight(), it.get_sort_key()});
      }
    }
    std::stable_sort(ranked.begin(), ranked.end(), better);
  }
  if (ranked.size() > wanted) ranked.resize(wanted);
  std::vector<std::pair<Xapian::docid, double>> page;
  for (const Ranked& r : ranked) page.emplace_back(r.docid, r.score);
  return page;
}

Xapian::Query RelaxedEveryWord(const Xapian::Database& db, const BuiltQuery& built,
                               std::vector<std::string>* dropped) {
  const std::vector<BuiltQuery::RequiredWord>& words = built.required_words;
  // A word no talk (within the filters) has is dropped; the talks with all
  // the others take the every-word share.
  std::vector<Xapian::Query> kept;
  for (const BuiltQuery::RequiredWord& w : words) {
    if (CountMatchesUpTo(db, built.restrict(w.query), 1) > 0) {
      kept.push_back(w.query);
    } else {
      dropped->push_back(w.text);
    }
  }
  Xapian::Query every_word =
      built.restrict(Xapian::Query(Xapian::Query::OP_AND, kept.begin(), kept.end()));
  if (!kept.empty() && CountMatchesUpTo(db, every_word, 1) > 0) return every_word;
  // No talk has the rest together either: any word, none required, ranked
  // by how well each talk matches them (dropping more words one by one, the
  // one whose absence lets most talks have the rest, ranked worse on the
  // judged sets: own natural 0.9189 against 0.9155, but papers 0.9332
  // against 0.9463, shared natural 0.8912 against 0.9082).
  dropped->clear();
  for (const BuiltQuery::RequiredWord& w : words) dropped->push_back(w.text);
  return Xapian::Query::MatchNothing;
}

}  // namespace talksearch
