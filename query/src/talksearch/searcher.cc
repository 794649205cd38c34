#include "talksearch/searcher.h"

#include "talksearch/natural_query.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <set>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "talksearch/normalizer.h"
#include "talksearch/query_parser.h"
#include "talksearch/schema.h"
#include "talksearch/snippet.h"
#include "talksearch/term_mapper.h"

namespace talksearch {

namespace {

unsigned Cores() {
  static const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return cores;
}

// Searches running in this process, of every Searcher (the server's
// workers): a search ranks in two halves only while a core is free for the
// second. On a busy server the halves' hand-over is overhead: talks-server
// on 100,000 talks under wrk -c32 (no response cache) served 238–245
// searches/s when every search went in halves, 275–278 with none. With this
// check: 272–274 under -c32 (270–273 with none in halves), and one client
// at a time 208–212 searches/s against 156 (mean 6.2–6.5 ms against 8.2–8.4).
std::atomic<unsigned> searches_running{0};
class RunningSearch {
 public:
  RunningSearch() { ++searches_running; }
  ~RunningSearch() { --searches_running; }
  RunningSearch(const RunningSearch&) = delete;
  RunningSearch& operator=(const RunningSearch&) = delete;
};

}  // namespace

Searcher::Searcher(const std::vector<std::string>& db_specs, std::shared_ptr<MecabModel> model,
                   std::shared_ptr<const Glossary> glossary, RankingParams params)
    : databases_(db_specs),
      db_(databases_.database()),
      analyzer_(std::move(model)),
      glossary_(std::move(glossary)),
      params_(params),
      parallel_min_documents_(Cores() >= 2 ? kParallelMinDocuments : UINT32_MAX) {
  // Of several shards, the first one's metadata; talks-index writes the same
  // into every shard. The analysis makes the terms; the schema version says
  // how documents are laid out (prefixes, concept terms).
  auto require = [this](std::string_view key, const std::string& expected, const char* as) {
    const std::string found = db_.get_metadata(std::string(key));
    if (found == expected) return;
    throw std::runtime_error("index at " + databases_.Describe() + " " + as + " '" +
                             (found.empty() ? "(none)" : found) + "' but this build uses '" +
                             expected + "': run talks-index again");
  };
  require(kAnalysisMetadataKey, analyzer_.Fingerprint(), "was built by analysis");
  require(kSchemaMetadataKey, std::string(kSchemaVersion), "has schema version");
}

bool Searcher::Reopen() { return databases_.Reopen(); }

namespace {

// A writer that commits twice while a reader reads can overwrite the
// reader's revision (Xapian: DatabaseModifiedError on its next read):
// reopen once and retry rather than fail the request.
template <typename Fn>
auto RetriedIfModified(Xapian::Database& db, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Xapian::DatabaseModifiedError&) {
    db.reopen();
    return fn();
  }
}

}  // namespace

std::optional<Talk> Searcher::GetTalk(const std::string& id) {
  const std::string term = IdTerm(id);
  return RetriedIfModified(db_, [&]() -> std::optional<Talk> {
    ForgetTermsOfOtherRevisions();
    Xapian::PostingIterator it = db_.postlist_begin(term);
    if (it == db_.postlist_end(term)) return std::nullopt;
    return Codec().Decode(db_.get_document(*it).get_data());
  });
}

SearchResponse Searcher::Search(const SearchRequest& request) {
  if (request.query.size() > SearchRequest::kMaxQueryBytes) {
    throw QueryError("bad_parameter", "q is longer than " +
                                          std::to_string(SearchRequest::kMaxQueryBytes) + " bytes");
  }
  if (!IsValidUtf8(request.query)) {
    throw QueryError("bad_parameter", "q is not valid UTF-8 text");
  }
  if (request.limit < 1 || request.limit > SearchRequest::kMaxLimit) {
    throw QueryError("bad_parameter",
                     "limit must be between 1 and " + std::to_string(SearchRequest::kMaxLimit));
  }
  if (request.offset > SearchRequest::kMaxOffset) {
    throw QueryError("bad_parameter",
                     "offset must be between 0 and " + std::to_string(SearchRequest::kMaxOffset));
  }
  return RetriedIfModified(db_, [&] { return Run(request); });
}

namespace {

constexpr double kQueryTimeLimitSeconds = 0.5;


// The ranking's BM25 parameters and the matcher's time limit.
void SetUpRanking(Xapian::Enquire& enquire, const RankingParams& params) {
  enquire.set_weighting_scheme(Xapian::BM25Weight(params.bm25_k1, 0, 0, params.bm25_b, 0.5));
  // Bounds the matcher's work per query; past it, Xapian returns the best
  // matches found so far (and the total becomes an estimate).
  enquire.set_time_limit(kQueryTimeLimitSeconds);
}

// `sort`'s order, on the date slot.
// Above any date in byte order (a sort key for oldest first).
constexpr char kNoDateSortsLast[] = "\xff";

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

// Whether match a ranks before b in `sort`'s order, as SetUpSort has Xapian
// sort (the sort key is the date; HalvesRanker puts the lower id first on
// ties).
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

// The UUIDs of the local databases `db` joins, in order (Xapian joins them
// with ':'); empty if any is missing or two are the same, since
// DocumentsSource tells the databases apart by them.
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
    const size_t n = uuids_.size();
    const size_t shard = std::find(uuids_.begin(), uuids_.end(), db.get_uuid()) - uuids_.begin();
    docids_.clear();
    for (Xapian::docid g : all_) {
      if ((g - 1) % n == shard) docids_.push_back(static_cast<Xapian::docid>((g - 1) / n + 1));
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

// Talks that need not score more than a page can hold more than this many
// candidates (EveryWordFirst).
constexpr size_t kEveryWordCandidates = 50;

// With remote shards, the most matches one search lists (and counts; see
// Run): enough for the deepest page a request may ask for.
constexpr Xapian::doccount kRemoteMatchWindow =
    SearchRequest::kMaxOffset + SearchRequest::kMaxLimit;

// Facets over the matches: a match spy counts each distinct value of the
// one facet slot (schema.h kFacetsSlot); the values are split afterwards
// into facets and their values. A talk holds each of its values once, so the
// counts add up.
using FacetCounts = std::map<std::string, Xapian::doccount>;

// Counts per facet field and value.
class FacetTally {
 public:
  // Counts of a whole facet slot value.
  void Add(const std::string& slot_value, Xapian::doccount count) {
    ForEachFacetValue(slot_value, [&](size_t field, std::string_view value) {
      counts_[field][std::string(value)] += count;
    });
  }
  void Add(size_t field, const std::string& value, Xapian::doccount count) {
    counts_[field][value] += count;
  }
  const FacetCounts& of(FacetField f) const { return counts_[static_cast<size_t>(f)]; }

 private:
  std::array<FacetCounts, kFacetFieldCount> counts_;
};

// What Run reads of the facet spy it chose, whichever Xapian class that
// spy derives from.
class FacetCounter {
 public:
  virtual ~FacetCounter() = default;
  virtual void AddTo(FacetTally& tally) const = 0;
  virtual Xapian::doccount seen() const = 0;  // matches counted
};

// Counts the facet slot's values over the matches by document id, through
// the searcher's table of each talk's value (Searcher::FacetTable). Xapian's
// ValueCountMatchSpy reads each match's value and counts it in a std::map,
// comparing long values that share their beginning (year, language,
// series): over half of a search that counts 10,000 matches (100,000 talks:
// p50 7.8 ms with it, 3.6 ms without any spy). One local database only:
// over several, Xapian gives a spy each shard's own document ids, and
// xapian-tcpsrv runs only Xapian's own spies.
class TableFacetSpy : public Xapian::MatchSpy, public FacetCounter {
 public:
  explicit TableFacetSpy(const Searcher::FacetTableOfRevision& table)
      : table_(table), counts_(table.facet_values_of.size(), 0) {}
  void operator()(const Xapian::Document& doc, double) override {
    ++seen_;
    const Xapian::docid id = doc.get_docid();
    if (id < table_.value_of.size() && table_.value_of[id] != table_.kNone) {
      ++counts_[table_.value_of[id]];
    }
  }
  std::string name() const override { return "talksearch.TableFacetSpy"; }
  Xapian::doccount seen() const override { return seen_; }
  // Adds the counts of `other`, a spy over other matches (HalvesRanker's
  // other half) with the same table.
  void Add(const TableFacetSpy& other) {
    for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    seen_ += other.seen_;
  }
  // Through the table's facet values of each slot value, split once per
  // revision: splitting each counted slot value again, into strings counted
  // in maps, was 5% of a search at 100,000 talks.
  void AddTo(FacetTally& tally) const override {
    std::array<std::vector<Xapian::doccount>, kFacetFieldCount> per_value;
    for (size_t f = 0; f < kFacetFieldCount; ++f) {
      per_value[f].assign(table_.facet_values[f].size(), 0);
    }
    for (size_t i = 0; i < counts_.size(); ++i) {
      if (counts_[i] == 0) continue;
      for (const auto& [field, value] : table_.facet_values_of[i]) {
        per_value[field][value] += counts_[i];
      }
    }
    for (size_t f = 0; f < kFacetFieldCount; ++f) {
      for (size_t v = 0; v < per_value[f].size(); ++v) {
        if (per_value[f][v] > 0) tally.Add(f, table_.facet_values[f][v], per_value[f][v]);
      }
    }
  }

 private:
  const Searcher::FacetTableOfRevision& table_;
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
  void operator()(const Xapian::Document& doc, double) override {
    ++seen_;
    ++counts_[doc.get_value(kFacetsSlot)];
  }
  std::string name() const override { return "talksearch.LocalShardsFacetSpy"; }
  Xapian::doccount seen() const override { return seen_; }
  // Adds the counts of `other`, a spy over other matches (HalvesRanker's
  // other half).
  void Add(const LocalShardsFacetSpy& other) {
    for (const auto& [value, count] : other.counts_) counts_[value] += count;
    seen_ += other.seen_;
  }
  void AddTo(FacetTally& tally) const override {
    for (const auto& [value, count] : counts_) {
      if (!value.empty()) tally.Add(value, count);
    }
  }

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
  void AddTo(FacetTally& tally) const override {
    for (auto it = values_begin(); it != values_end(); ++it) tally.Add(*it, it.get_termfreq());
  }
};

// Adds the request's filters to `parsed`; throws QueryError on a bad value.
void ApplyRequestFilters(const SearchRequest& request, ParsedQuery& parsed) {
  for (const auto& [name, values] : request.filters) {
    for (const std::string& raw : values) {
      if (!IsValidUtf8(raw) || raw.empty() || raw.size() > 200) {
        throw QueryError("bad_parameter", name + " must be non-empty UTF-8 text");
      }
      const FilterField* filter = FilterNamedAsParameter(name);
      if (!filter) throw QueryError("bad_parameter", "unknown filter " + name);
      if (filter->facet == FacetField::kCollection && raw == kAllCollections) {
        parsed.all_collections = true;
        continue;
      }
      if (!IsFilterValue(*filter, raw, /*max_label_bytes=*/40)) {
        throw QueryError("bad_parameter", FilterValueError(filter->parameter_error, raw));
      }
      parsed.filters[std::string(filter->prefix)].push_back(FilterTerm(*filter, raw));
    }
  }
}

// One speaker value per person: the page spells some names with and
// without the space between family and given name (田中章詞, 田中 章詞),
// which the speaker filter takes as one (SpeakerKey). Split, the facet said
// 4 where the filter then found 5. The count is the person's, under the
// spelling most of the matches use.
FacetCounts SpeakersMerged(const FacetCounts& counts) {
  struct Person {
    Xapian::doccount total = 0, shown_count = 0;
    std::string shown;
  };
  std::map<std::string, Person> by_key;
  for (const auto& [name, count] : counts) {
    Person& p = by_key[SpeakerKey(name)];
    p.total += count;
    if (count > p.shown_count) {  // ties: the first name in order
      p.shown = name;
      p.shown_count = count;
    }
  }
  FacetCounts merged;
  for (const auto& [key, person] : by_key) merged[person.shown] += person.total;
  return merged;
}

std::vector<SearchResponse::FacetValue> FacetValues(const FacetCounts& counts,
                                                    bool by_value, size_t limit) {
  std::vector<SearchResponse::FacetValue> values;
  for (const auto& [value, count] : counts) values.push_back({value, count});
  if (by_value) {
    std::sort(values.begin(), values.end(),
              [](const auto& a, const auto& b) { return a.value > b.value; });
  } else {
    std::stable_sort(values.begin(), values.end(),
                     [](const auto& a, const auto& b) { return a.count > b.count; });
  }
  if (values.size() > limit) values.resize(limit);
  return values;
}

// A facet's values as the API lists them: years newest first, the others
// most frequent first, each cut to its length.
std::vector<SearchResponse::FacetValue> FacetValuesOf(FacetField field, const FacetCounts& counts) {
  switch (field) {
    case FacetField::kYear: return FacetValues(counts, true, 100);
    case FacetField::kLanguage: return FacetValues(counts, false, 10);
    case FacetField::kSeries: return FacetValues(counts, false, 20);
    case FacetField::kCollection: return FacetValues(counts, false, 10);
    case FacetField::kSpeaker: return FacetValues(SpeakersMerged(counts), false, 10);
  }
  return {};
}

}  // namespace

SearchResponse Searcher::Run(const SearchRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  const RunningSearch running;
  ParsedQuery parsed = ParseQuery(request.query);
  ApplyRequestFilters(request, parsed);
  ForgetTermsOfOtherRevisions();  // once per search, not per term looked up
  SplitNaturalClauses(parsed, analyzer_);
  const TermFilter index_has = [this](const std::string& term) { return IndexHasTerm(term); };
  BuiltQuery built = BuildQuery(parsed, analyzer_, params_, glossary_.get(),
                                std::string(kDefaultCollection), index_has);
  // Words the index cannot find, corrected; the query is built again with
  // the corrections (only then: most queries have none).
  QueryCorrector corrector(db_, analyzer_, glossary_.get(), index_has);
  const std::vector<WordCorrection> corrections =
      corrector.Corrections(parsed, built.glossary_words);
  if (request.autocorrect && !corrections.empty()) {
    QueryCorrector::Apply(corrections, parsed);
    built = BuildQuery(parsed, analyzer_, params_, glossary_.get(),
                       std::string(kDefaultCollection), index_has);
  }

  // No talk has every word (a typed sentence, a word no talk has): the
  // search asks for fewer (Relax), and says which it left out.
  std::vector<std::string> relaxed_words;
  const bool may_relax = built.required_words.size() > 1;
  auto relax = [&] {
    // Scored as the any-word part, as every_word_query is.
    const Xapian::Query relaxed(Xapian::Query::OP_FILTER, built.any_word_query,
                                Relax(built, &relaxed_words));
    built.every_word_query = relaxed;
    built.query = Xapian::Query(
        Xapian::Query::OP_OR,
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, relaxed, params_.all_words_weight),
        built.any_word_query);
  };

  const bool remote = databases_.has_remote();
  const bool local_shards = !remote && databases_.shard_count() > 1;
  const std::vector<std::string> database_uuids =
      remote ? std::vector<std::string>() : LocalDatabaseUuids(db_);
  // Several words, by relevance: the any-word and every-word parts ranked
  // apart and merged (see EveryWordFirst). Not with remote shards: the
  // candidates' source would have to cross the network.
  const bool two_parts = !built.every_word_query.empty() &&
                         request.sort == SortOrder::kRelevance && !remote &&
                         (!local_shards || !database_uuids.empty()) &&
                         params_.soft_and_in_two_parts;
  // Ranked in one query: relaxed first, if need be. In two parts, the
  // candidates say whether any talk has every word (most searches), and
  // the count is asked only when none does.
  if (!two_parts && may_relax && CountMatchesUpTo(db_, built.every_word_query, 1) == 0) relax();
  const Xapian::Query& ranked_query = two_parts ? built.any_word_query : built.query;
  RemoteShardsFacetSpy remote_facets;
  LocalShardsFacetSpy local_shards_facets;
  const FacetTableOfRevision& facet_table =
      remote || local_shards ? FacetTableOfRevision::kEmpty : FacetTable();
  last_search_in_halves_ = InHalves(database_uuids);
  TableFacetSpy table_facets(facet_table);
  // The upper half's own (a count per distinct slot value: not made unless
  // the search splits).
  TableFacetSpy upper_half_table_facets(last_search_in_halves_ ? facet_table
                                                               : FacetTableOfRevision::kEmpty);
  LocalShardsFacetSpy upper_half_local_shards_facets;
  Xapian::MatchSpy* spy = &table_facets;
  const FacetCounter* facet_counter = &table_facets;
  if (remote) {
    spy = &remote_facets;
    facet_counter = &remote_facets;
  } else if (local_shards) {
    spy = &local_shards_facets;
    facet_counter = &local_shards_facets;
  }
  // Weighting, order and facet spy (the upper half's own, when in halves).
  auto set_up = [&](Xapian::Enquire& enquire, int half) {
    SetUpRanking(enquire, params_);
    enquire.add_matchspy(half == 0      ? spy
                         : local_shards ? static_cast<Xapian::MatchSpy*>(
                                              &upper_half_local_shards_facets)
                                        : &upper_half_table_facets);
    SetUpSort(enquire, request.sort);
  };
  // Xapian 1.4's remote shards over-count match spies when the requested
  // window is smaller than the matches (seen: facet counts 12 for 10
  // matches); asked for every match they count right, so with remote shards
  // the page is cut from the whole list here, and that list is bounded.
  const bool whole_list = databases_.has_remote();
  // Every match is counted, so that the total and the facets are exact.
  // Told to check 10,000, as it was, the matcher stopped counting once it had
  // seen that many and the rest could not reach the page: a query matching
  // 90,000 of 100,000 talks showed a total of "90000" and facets summing to
  // 10,052.
  // Counting them all costs broad queries the most: the judged queries at
  // 100,000 talks, mean 4.8–5.1 → 6.3 ms, p99 23–26 → 31 ms, p50 the same
  // (3.7–3.9 ms). Past the matcher's time limit, or the remote window, the
  // counts are partial, and SearchResponse::total_exact says so.
  const Xapian::doccount check_at_least =
      whole_list ? std::min<Xapian::doccount>(db_.get_doccount(), kRemoteMatchWindow)
                 : db_.get_doccount();
  const size_t wanted = request.offset + request.limit;
  // The matches from `first` on, `count` of them.
  const Xapian::doccount first =
      whole_list || two_parts ? 0 : static_cast<Xapian::doccount>(request.offset);
  const Xapian::doccount count =
      whole_list ? check_at_least
      : two_parts ? static_cast<Xapian::doccount>(std::max(wanted, kEveryWordCandidates))
                  : static_cast<Xapian::doccount>(request.limit);
  RankedMatches matches;
  if (last_search_in_halves_) {
    matches = halves_->Rank(db_, ranked_query, first, count, check_at_least, database_uuids,
                            set_up,
                            [sort = request.sort](const RankedMatches::Match& a,
                                                  const RankedMatches::Match& b) {
                              return RanksBefore(a, b, sort);
                            });
    table_facets.Add(upper_half_table_facets);
    local_shards_facets.Add(upper_half_local_shards_facets);
  } else {
    Xapian::Enquire enquire(db_);
    enquire.set_query(ranked_query);
    set_up(enquire, 0);
    matches = RankedMatches::Of(enquire.get_mset(first, count, check_at_least));
  }
  // The page: (document, score), best first.
  std::vector<std::pair<Xapian::docid, double>> page;
  if (two_parts) {
    size_t with_every_word = 0;
    page = EveryWordFirst(matches, built.every_word_query, wanted, database_uuids,
                          &with_every_word);
    if (may_relax && with_every_word == 0 &&
        CountMatchesUpTo(db_, built.every_word_query, 1) == 0) {
      relax();
      page = EveryWordFirst(matches, built.every_word_query, wanted, database_uuids);
    }
    page.erase(page.begin(), page.begin() + std::min(page.size(), request.offset));
  } else {
    const size_t skip = whole_list ? request.offset : 0;
    for (size_t i = skip; i < matches.items.size(); ++i) {
      page.emplace_back(matches.items[i].docid, matches.items[i].weight);
    }
  }
  if (page.size() > request.limit) page.resize(request.limit);

  SearchResponse response;
  response.query = request.query;
  response.total = matches.estimated;
  FacetTally facets;
  facet_counter->AddTo(facets);
  // Xapian's bounds can meet without its having seen every match (one term
  // in every talk says how many match); the facets saw every one only if
  // they counted as many.
  response.total_exact = matches.lower_bound == matches.upper_bound &&
                         facet_counter->seen() == response.total;
  // The facet counts of every match of `query`, unranked, by a spy of the
  // kind this search used.
  auto count_facets = [&](const Xapian::Query& query) {
    Xapian::Enquire enquire(db_);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    TableFacetSpy table(facet_table);
    LocalShardsFacetSpy shards;
    RemoteShardsFacetSpy remote_shards;
    Xapian::MatchSpy* counting = &table;
    const FacetCounter* counter = &table;
    if (remote) {
      counting = &remote_shards;
      counter = &remote_shards;
    } else if (local_shards) {
      counting = &shards;
      counter = &shards;
    }
    enquire.add_matchspy(counting);
    // Remote shards count right only when asked for every match (above).
    enquire.get_mset(0, remote ? check_at_least : 0, check_at_least);
    FacetTally tally;
    counter->AddTo(tally);
    return tally;
  };
  for (const FilterField& f : kFilterFields) {
    // A facet the search filters on counts its values as if it did not
    // (the other filters kept): values of one filter are alternatives
    // (year=2021&year=2022), so the other years are what a visitor may add.
    // Counted only over the filtered matches, a chosen year was the only
    // year shown. One more counting pass per such facet.
    if (!parsed.filters.count(std::string(f.prefix))) {
      response.facets[std::string(f.facet_name)] = FacetValuesOf(f.facet, facets.of(f.facet));
      continue;
    }
    ParsedQuery without = parsed;
    without.filters.erase(std::string(f.prefix));
    without.list_without_words = true;  // series:mlphys alone, without it: every talk
    if (f.facet == FacetField::kCollection) without.all_collections = true;
    const BuiltQuery counted =
        BuildQuery(without, analyzer_, params_, glossary_.get(), std::string(kDefaultCollection),
                   [this](const std::string& term) { return IndexHasTerm(term); });
    response.facets[std::string(f.facet_name)] =
        FacetValuesOf(f.facet, count_facets(counted.query).of(f.facet));
  }
  const Highlighter highlighter(built.word_terms, built.bigram_runs);
  // Names matched by their reading (はしもとこうじ, Misumi): the words of a
  // speaker's name that read as the query's kana or romaji are marked too —
  // every word, when the whole name reads so; else each word whose reading
  // has at least three kana, all read so (a two-kana reading, ユキ, is too
  // often part of another name's).
  std::set<std::string> name_words = built.word_terms;
  if (!built.reading_bigrams.empty()) {
    auto read_so = [&](const std::string& reading) {
      std::vector<size_t> starts;
      ForEachCodePoint(reading, [&](char32_t, size_t begin, size_t) { starts.push_back(begin); });
      starts.push_back(reading.size());
      for (size_t i = 0; i + 2 < starts.size(); ++i) {
        if (!built.reading_bigrams.count(reading.substr(starts[i], starts[i + 2] - starts[i]))) {
          return false;
        }
      }
      return starts.size() >= 3;  // a reading of two characters or more
    };
    for (const auto& [docid, score] : page) {
      for (const Speaker& speaker : Stored(docid).talk.speakers) {
        std::vector<std::string> words;
        std::string whole_reading;
        for (const Analyzer::SourceWord& w : analyzer_.Words(speaker.name)) {
          if (w.morpheme.is_symbol || ScriptOfNormalized(w.surface) == Script::kLatin) continue;
          words.push_back(w.surface);
          whole_reading += analyzer_.WordReading(w.surface);
        }
        // The whole name: read so as one, or word by word (Koji Hashimoto:
        // the romaji words are read apart, so コジ and ハシモト, not トコ).
        const bool whole =
            !words.empty() &&
            (read_so(whole_reading) ||
             std::all_of(words.begin(), words.end(),
                         [&](const std::string& w) { return read_so(analyzer_.WordReading(w)); }));
        for (const std::string& word : words) {
          const std::string& reading = analyzer_.WordReading(word);
          if (whole || (CodePointCount(reading) >= Analyzer::kMinDistinctiveReading &&
                        read_so(reading))) {
            name_words.insert(word);
          }
        }
      }
    }
  }
  const Highlighter name_highlighter(name_words, built.bigram_runs);
  std::vector<Xapian::docid> page_docids;
  for (const auto& [docid, score] : page) page_docids.push_back(docid);
  std::map<Xapian::docid, std::set<std::string>> via = MatchedVia(page_docids, built.term_via);
  for (const auto& [docid, score] : page) {
    SearchHit hit;
    StoredEntry& stored = Stored(docid);
    hit.talk = stored.talk;
    hit.score = score;
    const HitTexts& texts = HitTextsOf(stored);
    const std::string& body = hit.talk.abstract.empty() ? hit.talk.title : hit.talk.abstract;
    hit.snippet = highlighter.Snippet(body, texts.body);
    constexpr size_t kWhole = 100000;  // no cut: the whole field, marked
    hit.title_html = highlighter.Snippet(hit.talk.title, texts.title, kWhole);
    hit.speaker_html = name_highlighter.Snippet(texts.speakers, texts.speakers_normalized, kWhole);
    const std::set<std::string>& how = via[docid];
    hit.matched_via.assign(how.begin(), how.end());
    response.hits.push_back(std::move(hit));
  }
  response.relaxed_words = std::move(relaxed_words);
  if (!corrections.empty() && request.autocorrect) {
    response.corrected_query = QueryCorrector::Corrected(request.query, corrections);
    response.corrections = corrections;
  } else if (!corrections.empty()) {
    response.did_you_mean = QueryCorrector::Corrected(request.query, corrections);
  }
  response.took_ms = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - start).count();
  return response;
}

std::map<Xapian::docid, std::set<std::string>> Searcher::MatchedVia(
    std::vector<Xapian::docid> docids, const std::map<std::string, std::string>& term_via) {
  // Enquire::get_matching_terms rebuilds the query's postlists per hit, which
  // cost more than the search itself for a widened query.
  std::map<Xapian::docid, std::set<std::string>> via;
  if (databases_.has_remote()) {
    // A remote postlist comes whole over the network: merge each hit's
    // termlist with the query's terms (two sorted lists) instead.
    for (Xapian::docid d : docids) {
      Xapian::TermIterator term = db_.termlist_begin(d);
      const Xapian::TermIterator terms_end = db_.termlist_end(d);
      for (const auto& [query_term, how] : term_via) {
        term.skip_to(query_term);
        if (term == terms_end) break;
        if (*term == query_term) via[d].insert(how);
      }
    }
    return via;
  }
  // Locally, query terms' postlists skip to the page's talks in docid order:
  // a termlist is a talk's every term, decompressed (a quarter of a search on
  // the seminar corpus), and a page needs a few dozen terms. A way's terms
  // are looked up only for the talks not yet known to match that way, and
  // not at all once every talk is: a widened query has dozens of terms per
  // way (each bigram in each field), and opening a postlist is a B-tree
  // lookup.
  std::sort(docids.begin(), docids.end());
  std::map<std::string_view, std::vector<std::string_view>> terms_of_way;
  for (const auto& [query_term, how] : term_via) terms_of_way[how].push_back(query_term);
  std::vector<Xapian::docid> lacking, still_lacking;
  for (const auto& [how, terms] : terms_of_way) {
    lacking = docids;
    for (std::string_view way_term : terms) {
      if (lacking.empty()) break;
      const std::string query_term(way_term);
      Xapian::PostingIterator posting = db_.postlist_begin(query_term);
      const Xapian::PostingIterator postings_end = db_.postlist_end(query_term);
      still_lacking.clear();
      for (Xapian::docid d : lacking) {
        if (posting != postings_end) posting.skip_to(d);
        if (posting != postings_end && *posting == d) {
          via[d].emplace(how);
        } else {
          still_lacking.push_back(d);
        }
      }
      lacking.swap(still_lacking);
    }
  }
  return via;
}

void Searcher::ForgetTermsOfOtherRevisions() {
  constexpr size_t kMaxRemembered = 200000;  // a few MB
  constexpr size_t kMaxTalks = 4096;         // about 20 MB with their normalized texts
  const Xapian::rev revision = Revision();
  const bool other_revision = cache_revision_ != revision;
  cache_revision_ = revision;
  if (other_revision || term_exists_.size() > kMaxRemembered) term_exists_.clear();
  if (other_revision || talks_.size() > kMaxTalks) talks_.clear();
  if (other_revision) {
    facet_table_ = FacetTableOfRevision();
    codec_.reset();
  }
}

const StoredTalkCodec& Searcher::Codec() {
  if (!codec_) {
    codec_ = std::make_unique<StoredTalkCodec>(
        db_.get_metadata(std::string(kStoredTalkDictionaryKey)));
  }
  return *codec_;
}

const Searcher::FacetTableOfRevision Searcher::FacetTableOfRevision::kEmpty;

const Searcher::FacetTableOfRevision& Searcher::FacetTable() {
  FacetTableOfRevision& table = facet_table_;
  if (table.read) return table;
  table.value_of.assign(db_.get_lastdocid() + 1, FacetTableOfRevision::kNone);
  std::unordered_map<std::string, uint32_t> index_of;
  std::array<std::unordered_map<std::string, uint32_t>, kFacetFieldCount> facet_value_index;
  for (auto v = db_.valuestream_begin(kFacetsSlot); v != db_.valuestream_end(kFacetsSlot); ++v) {
    const auto [it, fresh] =
        index_of.try_emplace(*v, static_cast<uint32_t>(table.facet_values_of.size()));
    table.value_of[v.get_docid()] = it->second;
    if (!fresh) continue;
    auto& parts = table.facet_values_of.emplace_back();
    ForEachFacetValue(*v, [&](size_t field, std::string_view value) {
      auto& values = table.facet_values[field];
      const auto [at, new_value] = facet_value_index[field].try_emplace(
          std::string(value), static_cast<uint32_t>(values.size()));
      if (new_value) values.emplace_back(value);
      parts.emplace_back(static_cast<uint8_t>(field), at->second);
    });
  }
  table.read = true;
  return table;
}

Xapian::Enquire Searcher::RankingEnquire() {
  Xapian::Enquire enquire(db_);
  SetUpRanking(enquire, params_);
  return enquire;
}

bool Searcher::InHalves(const std::vector<std::string>& database_uuids) {
  if (databases_.has_remote() || database_uuids.empty() ||
      db_.get_doccount() < parallel_min_documents_ ||
      searches_running.load() * 2 > std::max(Cores(), 2u)) {
    return false;
  }
  if (!halves_) halves_ = std::make_unique<HalvesRanker>(databases_.specs());
  return halves_->InStepWith(db_.get_uuid(), Revision());
}

std::vector<std::pair<Xapian::docid, double>> Searcher::EveryWordFirst(
    const RankedMatches& any_word, const Xapian::Query& every_word_query, size_t wanted,
    const std::vector<std::string>& database_uuids, size_t* with_every_word) {
  Xapian::Enquire enquire = RankingEnquire();
  SetUpSort(enquire, SortOrder::kRelevance);
  const double boost = 1 + params_.all_words_weight;
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

Searcher::StoredEntry& Searcher::Stored(Xapian::docid docid) {
  auto it = talks_.find(docid);
  if (it == talks_.end()) {
    // Read first: a talk that cannot be read is an error, not an empty entry.
    Talk talk = Codec().Decode(db_.get_document(docid).get_data());
    it = talks_.emplace(docid, StoredEntry{std::move(talk), std::nullopt}).first;
  }
  return it->second;
}

const Talk& Searcher::StoredTalk(Xapian::docid docid) { return Stored(docid).talk; }

const Searcher::HitTexts& Searcher::HitTextsOf(StoredEntry& entry) {
  if (!entry.texts) {
    const Talk& talk = entry.talk;
    HitTexts& texts = entry.texts.emplace();
    texts.speakers = talk.SpeakerNames();
    texts.title = NormalizeForSearch(talk.title);
    texts.body = talk.abstract.empty() ? texts.title : NormalizeForSearch(talk.abstract);
    texts.speakers_normalized = NormalizeForSearch(texts.speakers);
  }
  return *entry.texts;
}

bool Searcher::IndexHasTerm(const std::string& term) {
  auto [it, fresh] = term_exists_.try_emplace(term, false);
  if (fresh) it->second = db_.term_exists(term);
  return it->second;
}

std::vector<Suggestion> Searcher::Suggest(const std::string& prefix, size_t limit) {
  if (prefix.size() > SearchRequest::kMaxQueryBytes || !IsValidUtf8(prefix)) {
    throw QueryError("bad_parameter", "q must be valid UTF-8 of at most " +
                                          std::to_string(SearchRequest::kMaxQueryBytes) + " bytes");
  }
  return RetriedIfModified(db_, [&] {
    if (!suggester_ || suggester_revision_ != Revision()) {
      ForgetTermsOfOtherRevisions();
      suggester_ = std::make_unique<Suggester>(db_, Codec(), glossary_.get(), analyzer_);
      suggester_revision_ = Revision();
    }
    return suggester_->Suggest(prefix, limit);
  });
}

namespace {

// Relevance feedback keeps words of titles and abstracts only: not bigrams,
// readings, names or filter terms.
class ContentWordDecider : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    const std::string_view title = GetTextField(TextFieldId::kTitle).word_prefix;
    if (term.compare(0, title.size(), title) == 0 && term.size() > title.size() &&
        !std::isupper(static_cast<unsigned char>(term[title.size()]))) {
      return true;
    }
    // Abstract words are unprefixed; every prefix starts with a capital.
    return !term.empty() && !std::isupper(static_cast<unsigned char>(term[0])) &&
           term.size() > 1 && !std::isdigit(static_cast<unsigned char>(term[0]));
  }
};

constexpr Xapian::termcount kRelatedTerms = 25;

}  // namespace

std::vector<Xapian::Query> Searcher::TermsOfStoredTalk(Xapian::docid doc) {
  // The words Xapian's expansion would pick from the talk's termlist, from
  // its stored title and abstract analysed again, each weighted by
  // (1 + log wdf) × idf.
  const Talk& talk = StoredTalk(doc);
  std::map<std::string, Xapian::termcount> wdf;
  const ContentWordDecider decider;
  for (const auto& [field, text] : {std::pair{TextFieldId::kTitle, &talk.title},
                                    std::pair{TextFieldId::kAbstract, &talk.abstract}}) {
    for (const Token& t : analyzer_.Analyze(*text)) {
      if (t.kind != TermKind::kWord) continue;
      std::string term = FieldTerm(GetTextField(field), t);
      if (decider(term)) ++wdf[std::move(term)];
    }
  }
  const double talks = db_.get_doccount();
  std::vector<std::pair<double, std::string>> scored;
  for (const auto& [term, count] : wdf) {
    const Xapian::doccount with = db_.get_termfreq(term);
    if (with == 0) continue;
    scored.emplace_back((1 + std::log(count)) * std::log(talks / with), term);
  }
  const size_t kept = std::min<size_t>(scored.size(), kRelatedTerms);
  std::partial_sort(scored.begin(), scored.begin() + kept, scored.end(), std::greater<>());
  std::vector<Xapian::Query> terms;
  for (size_t i = 0; i < kept; ++i) {
    terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(scored[i].second),
                       scored[i].first);
  }
  return terms;
}

std::optional<std::vector<SearchHit>> Searcher::Related(const std::string& id, size_t limit) {
  return RetriedIfModified(db_, [&] { return RelatedOnSnapshot(id, limit); });
}

std::optional<std::vector<SearchHit>> Searcher::RelatedOnSnapshot(const std::string& id,
                                                                  size_t limit) {
  ForgetTermsOfOtherRevisions();  // StoredTalk's, as for a search
  const std::string id_term = IdTerm(id);
  Xapian::PostingIterator p = db_.postlist_begin(id_term);
  if (p == db_.postlist_end(id_term)) return std::nullopt;
  Xapian::RSet rset;
  rset.add_document(*p);
  Xapian::Enquire enquire(db_);
  ContentWordDecider decider;
  std::vector<Xapian::Query> terms;
  try {
    Xapian::ESet eset = enquire.get_eset(kRelatedTerms, rset, &decider);
    for (auto t = eset.begin(); t != eset.end(); ++t) {
      terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*t), t.get_weight());
    }
  } catch (const Xapian::FeatureUnavailableError&) {  // built without termlists
    terms = TermsOfStoredTalk(*p);
  }
  std::vector<SearchHit> hits;
  if (terms.empty()) return hits;
  Xapian::Query query(Xapian::Query::OP_OR, terms.begin(), terms.end());
  query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query(id_term));
  query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                        Xapian::Query(DefaultCollectionTerm()));
  enquire.set_query(query);
  Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    SearchHit hit;
    hit.talk = StoredTalk(*it);
    hit.score = it.get_weight();
    hit.snippet = MakeSnippet(hit.talk.abstract, {}, {});
    hit.title_html = HtmlEscape(hit.talk.title);
    hit.speaker_html = HtmlEscape(hit.talk.SpeakerNames());
    hits.push_back(std::move(hit));
  }
  return hits;
}

Xapian::Query Searcher::Relax(const BuiltQuery& built, std::vector<std::string>* dropped) {
  const std::vector<BuiltQuery::RequiredWord>& words = built.required_words;
  // A word no talk (within the filters) has is dropped; the talks with all
  // the others take the every-word share.
  std::vector<Xapian::Query> kept;
  for (const BuiltQuery::RequiredWord& w : words) {
    if (CountMatchesUpTo(db_, built.restrict(w.query), 1) > 0) {
      kept.push_back(w.query);
    } else {
      dropped->push_back(w.text);
    }
  }
  Xapian::Query every_word =
      built.restrict(Xapian::Query(Xapian::Query::OP_AND, kept.begin(), kept.end()));
  if (!kept.empty() && CountMatchesUpTo(db_, every_word, 1) > 0) return every_word;
  // No talk has the rest together either: any word, none required, ranked
  // by how well each talk matches them (dropping more words one by one, the
  // one whose absence lets most talks have the rest, ranked worse on the
  // judged sets: own natural 0.9189 against 0.9155, but papers 0.9332
  // against 0.9463, shared natural 0.8912 against 0.9082).
  dropped->clear();
  for (const BuiltQuery::RequiredWord& w : words) dropped->push_back(w.text);
  return Xapian::Query::MatchNothing;
}

nlohmann::json SearchHitToJson(const SearchHit& h) {
  const Talk& t = h.talk;
  return {
      {"id", t.id},
      {"title", t.title},
      {"speaker", t.SpeakerNames()},
      {"affiliation", t.Affiliations()},
      {"date", t.date},
      {"series", t.series},
      {"collection", t.collection},
      {"language", t.language},
      {"url", t.url},
      {"slides_url", t.slides_url},
      {"score", std::round(h.score * 1000) / 1000},
      {"snippet", h.snippet},
      {"matched_via", h.matched_via},
      {"title_html", h.title_html},
      {"speaker_html", h.speaker_html},
  };
}

nlohmann::json SearchResponseToJson(const SearchResponse& response) {
  nlohmann::json facets = nlohmann::json::object();
  for (const auto& [name, values] : response.facets) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& v : values) list.push_back({{"value", v.value}, {"count", v.count}});
    facets[name] = std::move(list);
  }
  nlohmann::json hits = nlohmann::json::array();
  for (const SearchHit& h : response.hits) hits.push_back(SearchHitToJson(h));
  nlohmann::json corrections = nlohmann::json::array();
  for (const WordCorrection& c : response.corrections) {
    corrections.push_back({{"from", c.from}, {"to", c.to}, {"kind", c.kind}});
  }
  return {
      {"query", response.query},
      {"total", response.total},
      {"total_exact", response.total_exact},
      {"took_ms", std::round(response.took_ms * 1000) / 1000},
      {"did_you_mean", response.did_you_mean.empty() ? nlohmann::json(nullptr)
                                                     : nlohmann::json(response.did_you_mean)},
      {"corrected_query", response.corrected_query.empty()
                              ? nlohmann::json(nullptr)
                              : nlohmann::json(response.corrected_query)},
      {"corrections", std::move(corrections)},
      {"relaxed_words", response.relaxed_words},
      {"hits", std::move(hits)},
      {"facets", std::move(facets)},
  };
}

}  // namespace talksearch
