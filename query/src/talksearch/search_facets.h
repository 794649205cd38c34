// Facets over a search's matches: how the one facet slot (schema.h
// kFacetsSlot) is counted over the matches — by a table of each talk's slot
// value read once per revision (one local database), by hash (local
// shards), or by Xapian's own spy (remote shards) — and how the counts
// become the API's facet values. Internal to the query library (the
// searcher's parts); not a public contract.
//
// Each object belongs to one search on one thread.
#ifndef TALKSEARCH_SEARCH_FACETS_H_
#define TALKSEARCH_SEARCH_FACETS_H_

#include <xapian.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "talksearch/schema.h"
#include "talksearch/searcher.h"

namespace talksearch {

// Each talk's facet slot value, by document id, of one revision of one
// local database.
struct FacetTableOfRevision {
  static constexpr uint32_t kNone = UINT32_MAX;
  static const FacetTableOfRevision kEmpty;
  bool read = false;
  // By document id: an index into facet_values_of, or kNone.
  std::vector<uint32_t> value_of;
  // Each distinct slot value once, as its facet values: (field, index
  // into facet_values[field]).
  std::vector<std::vector<std::pair<uint8_t, uint32_t>>> facet_values_of;
  // Each facet's distinct values, by field (FacetField).
  std::array<std::vector<std::string>, kFacetFieldCount> facet_values;
};

// Reads `db`'s facet slot into a table: 4 bytes per talk, plus each
// distinct slot value once, as its facet values.
FacetTableOfRevision ReadFacetTable(const Xapian::Database& db);

// A facet's counts by value. A talk holds each of its values once, so the
// counts add up.
using FacetCounts = std::map<std::string, Xapian::doccount>;

// Counts per facet field and value.
class FacetTally {
 public:
  // Counts of a whole facet slot value.
  void Add(const std::string& slot_value, Xapian::doccount count);
  void Add(size_t field, const std::string& value, Xapian::doccount count) {
    counts_[field][value] += count;
  }
  const FacetCounts& of(FacetField f) const { return counts_[static_cast<size_t>(f)]; }

 private:
  std::array<FacetCounts, kFacetFieldCount> counts_;
};

// What a search reads of the facet spy it chose, whichever Xapian class
// that spy derives from.
class FacetCounter {
 public:
  virtual ~FacetCounter() = default;
  virtual void AddTo(FacetTally& tally) const = 0;
  virtual Xapian::doccount seen() const = 0;  // matches counted
};

// Counts the facet slot's values over the matches by document id, through
// a FacetTableOfRevision. Xapian's ValueCountMatchSpy reads each match's
// value and counts it in a std::map, comparing long values that share their
// beginning (year, language, series): over half of a search that counts
// 10,000 matches (100,000 talks: p50 7.8 ms with it, 3.6 ms without any
// spy). One local database only: over several, Xapian gives a spy each
// shard's own document ids, and xapian-tcpsrv runs only Xapian's own spies.
// Keeps a reference to `table`, which must outlive it.
class TableFacetSpy : public Xapian::MatchSpy, public FacetCounter {
 public:
  explicit TableFacetSpy(const FacetTableOfRevision& table)
      : table_(table), counts_(table.facet_values_of.size(), 0) {}
  void operator()(const Xapian::Document& doc, double) override;
  std::string name() const override { return "talksearch.TableFacetSpy"; }
  Xapian::doccount seen() const override { return seen_; }
  // Adds the counts of `other`, a spy over other matches (HalvesRanker's
  // other half) with the same table.
  void Add(const TableFacetSpy& other);
  void AddTo(FacetTally& tally) const override;

 private:
  const FacetTableOfRevision& table_;
  std::vector<Xapian::doccount> counts_;
  Xapian::doccount seen_ = 0;
};

// For local shards: each match's value, counted by hash. The spy is given
// each shard's own document ids, without saying which shard, so the
// per-revision table cannot serve; Xapian's ValueCountMatchSpy counts in a
// std::map, comparing values that share their beginning (measured over
// 100,000 matches on 2 shards: 38.6 ms with it, 27.8 ms with this, 17.8 ms
// without a spy).
class LocalShardsFacetSpy : public Xapian::MatchSpy, public FacetCounter {
 public:
  void operator()(const Xapian::Document& doc, double) override;
  std::string name() const override { return "talksearch.LocalShardsFacetSpy"; }
  Xapian::doccount seen() const override { return seen_; }
  // Adds the counts of `other`, a spy over other matches (HalvesRanker's
  // other half).
  void Add(const LocalShardsFacetSpy& other);
  void AddTo(FacetTally& tally) const override;

 private:
  std::unordered_map<std::string, Xapian::doccount> counts_;
  Xapian::doccount seen_ = 0;
};

// For remote shards (even one): Xapian's own spy, which reads each match's
// value (and which xapian-tcpsrv runs and merges).
class RemoteShardsFacetSpy : public Xapian::ValueCountMatchSpy, public FacetCounter {
 public:
  RemoteShardsFacetSpy() : Xapian::ValueCountMatchSpy(kFacetsSlot) {}
  Xapian::doccount seen() const override { return get_total(); }
  void AddTo(FacetTally& tally) const override;
};

// The three spies, and the one a search over its kind of databases uses.
struct FacetSpies {
  FacetSpies(const FacetTableOfRevision& table, bool remote, bool local_shards);
  FacetSpies(const FacetSpies&) = delete;
  FacetSpies& operator=(const FacetSpies&) = delete;
  TableFacetSpy table;
  LocalShardsFacetSpy local_shards;
  RemoteShardsFacetSpy remote;
  Xapian::MatchSpy* spy;        // the one to add to the Enquire
  const FacetCounter* counter;  // the same, read
};

// The facet counts of every match of `query` on `db`, unranked, by the
// kind of spy a search over these databases uses (`table` for one local
// database). Remote shards count right only when asked for every match, so
// with them the matches are listed, up to `check_at_least`.
FacetTally CountFacets(const Xapian::Database& db, const Xapian::Query& query,
                       const FacetTableOfRevision& table, bool remote, bool local_shards,
                       Xapian::doccount check_at_least);

// A facet's values as the API lists them: years newest first, the others
// most frequent first (speakers merged by SpeakerKey), each cut to its
// length.
std::vector<SearchResponse::FacetValue> FacetValuesOf(FacetField field, const FacetCounts& counts);

}  // namespace talksearch

#endif  // TALKSEARCH_SEARCH_FACETS_H_
