#include "talksearch/term_at_a_time.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "talksearch/database_set.h"

namespace talksearch {
namespace {

// A term of the OR, with the factor Xapian weights it by and its frequency
// in the whole database (all shards).
struct ScoredTerm {
  std::string term;
  double factor = 1;
  Xapian::doccount termfreq = 0;
};

// What BM25Weight reads of the whole database searched (all shards), and
// how its document ids are laid out over the shards.
struct WholeDatabase {
  Xapian::doccount collection_size = 0;
  double average_length = 0;
  // With several shards, their UUIDs in order (ShardIds). Empty: one
  // database.
  std::vector<std::string> uuids;
};

// The documents an OR of weighted terms matches within low..high (ids of the
// whole), each with its weight: read term by term in init(), then listed in
// document order.
class TermAtATimeSource : public Xapian::PostingSource {
 public:
  TermAtATimeSource(std::vector<ScoredTerm> terms, ScoringParameters scoring,
                    std::shared_ptr<const WholeDatabase> whole,
                    std::shared_ptr<const DocumentLengths> lengths, Xapian::docid low,
                    Xapian::docid high, TermScores* scores)
      : terms_(std::move(terms)),
        scoring_(scoring),
        whole_(std::move(whole)),
        lengths_(std::move(lengths)),
        low_(low),
        high_(high),
        scores_(scores) {}

  // Not the range's count, which init() knows: Xapian orders an OR's
  // operands, and so the additions of their weights, by these, and a
  // document must weigh the same to the last bit whether its half, or the
  // whole, is searched (HalvesRanker). The OR's estimate over this
  // database, as Xapian makes it from the terms' frequencies.
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return estimate_; }
  Xapian::doccount get_termfreq_max() const override { return database_size_; }

  // `db`: the database searched, or over shards the shard (its own ids).
  void init(const Xapian::Database& db) override {
    const auto start = std::chrono::steady_clock::now();
    docs_.clear();
    weights_.clear();
    at_ = 0;
    started_ = false;
    set_maxweight(0);
    database_size_ = db.get_doccount();
    // Xapian's estimate for an OR: the share of the documents that have
    // none of the terms, as if the terms were independent.
    double none_share = 1;
    for (const ScoredTerm& t : terms_) {
      if (whole_->collection_size > 0) {
        none_share *= 1 - static_cast<double>(t.termfreq) / whole_->collection_size;
      }
    }
    estimate_ = static_cast<Xapian::doccount>(database_size_ * (1 - none_share) + 0.5);
    // This database's ids that are the whole's low_..high_, and within the
    // lengths read (of the same revision, so every document).
    const ShardIds ids(whole_->uuids, db);
    if (!ids.found()) return;  // not one of the shards the whole was asked about
    const uint64_t low = ids.AtLeast(low_);
    const uint64_t high =
        std::min<uint64_t>({ids.AtMost(high_), db.get_lastdocid(),
                            lengths_->empty() ? 0 : ids.AtMost(lengths_->size() - 1)});
    if (terms_.empty() || high < low) return;
    const size_t span = high - low + 1;
    TermScores& scores = *scores_;
    scores.Reserve(span);
    std::vector<Xapian::docid> touched;  // offsets from low, in the order first reached
    // BM25Weight::init and get_sumpart (Xapian 1.4), with the statistics an
    // Enquire on the whole gives them, in the same order of operations.
    const Xapian::doccount collection_size = whole_->collection_size;
    double len_factor = 0;
    if (scoring_.b != 0 && scoring_.k1 != 0) {
      len_factor = whole_->average_length;
      if (len_factor != 0) len_factor = 1 / len_factor;
    }
    // Left clean if reading the postings throws (a database modified
    // under the search): the next search would add to its scores.
    try {
      const DocumentLengths& lengths = *lengths_;
      const auto time_limit = std::chrono::duration<double>(scoring_.time_limit_seconds);
      for (size_t i = 0; i < terms_.size(); ++i) {
        const ScoredTerm& t = terms_[i];
        const Xapian::doccount tf = t.termfreq;
        if (tf == 0) continue;
        if (i > 0 && scoring_.time_limit_seconds > 0 &&
            std::chrono::steady_clock::now() - start >= time_limit) {
          scores.cut_short = true;
          break;
        }
        double tw = (collection_size - tf + 0.5) / (tf + 0.5);
        if (tw < 2) tw = tw * 0.5 + 1;
        double termweight = std::log(tw) * t.factor;
        termweight *= (scoring_.k1 + 1);
        Xapian::PostingIterator it = db.postlist_begin(t.term);
        const Xapian::PostingIterator end = db.postlist_end(t.term);
        if (low > 1) it.skip_to(static_cast<Xapian::docid>(low));
        for (; it != end; ++it) {
          const Xapian::docid docid = *it;
          if (docid > high) break;
          const double wdf = it.get_wdf();
          const double normlen =
              std::max(lengths[ids.Whole(docid)] * len_factor, scoring_.min_normlen);
          const double denom = scoring_.k1 * (normlen * scoring_.b + (1 - scoring_.b)) + wdf;
          const Xapian::docid at = static_cast<Xapian::docid>(docid - low);
          if (!scores.matched[at]) {
            scores.matched[at] = 1;
            touched.push_back(at);
          }
          scores.score[at] += termweight * (wdf / denom);
        }
      }
    } catch (...) {
      for (Xapian::docid at : touched) {
        scores.score[at] = 0;
        scores.matched[at] = 0;
      }
      throw;
    }
    // In document order: the few sorted, the many found by a pass over the
    // range (cheaper than sorting them).
    if (touched.size() < span / 16) {
      std::sort(touched.begin(), touched.end());
    } else {
      touched.clear();
      for (size_t i = 0; i < span; ++i) {
        if (scores.matched[i]) touched.push_back(static_cast<Xapian::docid>(i));
      }
    }
    double max_weight = 0;
    docs_.reserve(touched.size());
    weights_.reserve(touched.size());
    for (Xapian::docid at : touched) {
      docs_.push_back(static_cast<Xapian::docid>(low + at));
      weights_.push_back(scores.score[at]);
      max_weight = std::max(max_weight, scores.score[at]);
      scores.score[at] = 0;  // left clean for the next search
      scores.matched[at] = 0;
    }
    set_maxweight(max_weight);
  }

  void next(double) override {
    if (started_) ++at_;
    started_ = true;
  }
  void skip_to(Xapian::docid docid, double) override {
    started_ = true;
    at_ = std::lower_bound(docs_.begin() + static_cast<std::ptrdiff_t>(at_), docs_.end(), docid) -
          docs_.begin();
  }
  bool at_end() const override { return at_ >= docs_.size(); }
  Xapian::docid get_docid() const override { return docs_[at_]; }
  double get_weight() const override { return weights_[at_]; }

  Xapian::PostingSource* clone() const override {
    return new TermAtATimeSource(terms_, scoring_, whole_, lengths_, low_, high_, scores_);
  }
  std::string name() const override { return "talksearch.TermAtATimeSource"; }
  std::string get_description() const override {
    return "talksearch.TermAtATimeSource(" + std::to_string(terms_.size()) + " terms, documents " +
           std::to_string(low_) + ".." + std::to_string(high_) + ")";
  }

 private:
  std::vector<ScoredTerm> terms_;
  ScoringParameters scoring_;
  std::shared_ptr<const WholeDatabase> whole_;
  std::shared_ptr<const DocumentLengths> lengths_;  // by id of the whole
  Xapian::docid low_, high_;
  TermScores* scores_;  // not owned
  Xapian::doccount database_size_ = 0, estimate_ = 0;  // of the database init() was given
  // After init(): the matches in order, with their weights.
  std::vector<Xapian::docid> docs_;
  std::vector<double> weights_;
  size_t at_ = 0;
  bool started_ = false;
};

// The factor of an OP_SCALE_WEIGHT node, which Xapian 1.4's Query does not
// give but describes ("Query(1.5 * ...)"); checked by building the node
// again and comparing the serialised forms, which hold the factor exactly.
bool ScaleFactorOf(const Xapian::Query& scale, double* factor) {
  const std::string description = scale.get_description();
  constexpr std::string_view kOpening = "Query(";
  if (description.compare(0, kOpening.size(), kOpening) != 0) return false;
  const char* begin = description.c_str() + kOpening.size();
  char* end = nullptr;
  const double parsed = std::strtod(begin, &end);
  if (end == begin) return false;
  try {
    if (Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, scale.get_subquery(0), parsed).serialise() !=
        scale.serialise()) {
      return false;
    }
  } catch (const Xapian::Error&) {
    return false;  // a query Xapian cannot serialise: not one to take apart
  }
  *factor = parsed;
  return true;
}

// Splits an OR's operands into terms (with the factor Xapian passes each:
// the product of the factors above it, from the top) and other parts
// (each with its factor).
void Gather(const Xapian::Query& q, double factor, std::vector<ScoredTerm>* terms,
            std::vector<std::pair<Xapian::Query, double>>* others) {
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
      terms->push_back({*q.get_terms_begin(), factor});
      return;
    case Xapian::Query::OP_OR:
      for (size_t i = 0; i < q.get_num_subqueries(); ++i) {
        Gather(q.get_subquery(i), factor, terms, others);
      }
      return;
    case Xapian::Query::OP_SCALE_WEIGHT: {
      double scale = 0;
      if (ScaleFactorOf(q, &scale)) {
        Gather(q.get_subquery(0), factor * scale, terms, others);
        return;
      }
      break;
    }
    default:
      break;
  }
  others->emplace_back(q, factor);
}

// ScoreTermsAtATime: whether `query` has terms to score so, and if so the
// query that does, in `rewritten`.
bool Rewrite(const Xapian::Query& query, const Xapian::Database& db,
             const ScoringParameters& scoring, const std::shared_ptr<const WholeDatabase>& whole,
             const std::shared_ptr<const DocumentLengths>& lengths, Xapian::docid low,
             Xapian::docid high, TermScores* scores, Xapian::Query* rewritten) {
  switch (query.get_type()) {
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_NOT: {
      // Only the first operand is weighted; the others stay as they are.
      std::vector<Xapian::Query> operands;
      for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
        operands.push_back(query.get_subquery(i));
      }
      if (!Rewrite(operands[0], db, scoring, whole, lengths, low, high, scores, &operands[0])) {
        return false;
      }
      *rewritten = Xapian::Query(query.get_type(), operands.begin(), operands.end());
      return true;
    }
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SCALE_WEIGHT:
      break;
    default:
      return false;
  }
  std::vector<ScoredTerm> terms;
  std::vector<std::pair<Xapian::Query, double>> others;
  Gather(query, 1.0, &terms, &others);
  if (terms.empty()) return false;
  for (ScoredTerm& t : terms) t.termfreq = db.get_termfreq(t.term);
  std::vector<Xapian::Query> parts;
  parts.emplace_back(
      (new TermAtATimeSource(std::move(terms), scoring, whole, lengths, low, high, scores))
          ->release());
  for (auto& [part, factor] : others) {
    parts.push_back(factor == 1 ? part
                                : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, part, factor));
  }
  *rewritten = parts.size() == 1 ? parts.front()
                                 : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  return true;
}

}  // namespace

std::shared_ptr<const DocumentLengths> ReadDocumentLengths(const Xapian::Database& db) {
  auto lengths = std::make_shared<DocumentLengths>(db.get_lastdocid() + 1, 0);
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    (*lengths)[*it] = it.get_doclength();
  }
  return lengths;
}

Xapian::Query ScoreTermsAtATime(const Xapian::Query& query, const Xapian::Database& db,
                                const ScoringParameters& scoring,
                                std::shared_ptr<const DocumentLengths> lengths, Xapian::docid low,
                                Xapian::docid high, TermScores* scores,
                                const std::vector<std::string>& database_uuids) {
  // Not in init(): over shards, each shard's copy of the source would
  // clear what the one before found.
  scores->cut_short = false;
  if (!lengths || lengths->empty()) return query;
  auto whole = std::make_shared<WholeDatabase>();
  whole->collection_size = db.get_doccount();
  whole->average_length = db.get_avlength();
  if (database_uuids.size() > 1) whole->uuids = database_uuids;
  Xapian::Query rewritten;
  if (!Rewrite(query, db, scoring, whole, lengths, low, high, scores, &rewritten)) return query;
  return rewritten;
}

}  // namespace talksearch
