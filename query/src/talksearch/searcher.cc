#include "talksearch/searcher.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <string_view>
#include <thread>

#include "talksearch/analyzer.h"
#include "talksearch/database_set.h"
#include "talksearch/halves_ranker.h"
#include "talksearch/index_snapshot.h"
#include "talksearch/matched_terms.h"
#include "talksearch/natural_query.h"
#include "talksearch/normalizer.h"
#include "talksearch/query_parser.h"
#include "talksearch/related_talks.h"
#include "talksearch/schema.h"
#include "talksearch/search_facets.h"
#include "talksearch/cores.h"
#include "talksearch/snippet.h"
#include "talksearch/soft_and_ranking.h"

namespace talksearch {
namespace {

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

// With remote shards, the most matches one search lists (and counts; see
// Run): enough for the deepest page a request may ask for.
constexpr Xapian::doccount kRemoteMatchWindow =
    SearchRequest::kMaxOffset + SearchRequest::kMaxLimit;

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

}  // namespace

// What a Searcher holds; its search (Run) and the steps that need its
// state.
class Searcher::Impl {
 public:
  Impl(const std::vector<std::string>& db_specs, std::shared_ptr<MecabModel> model,
       std::shared_ptr<const Glossary> glossary, RankingParams params);

  SearchResponse Run(const SearchRequest& request);
  // For each of `docids` (a page of hits), how it matched: the term_via
  // labels (BuiltQuery::term_via) of the query terms it has.
  std::map<Xapian::docid, std::set<std::string>> MatchedVia(
      std::vector<Xapian::docid> docids, const std::map<std::string, std::string>& term_via);
  // Whether this search ranks in two halves (see kParallelMinDocuments),
  // making halves_ on first use. `database_uuids`: as for EveryWordFirst
  // (empty: the databases cannot be told apart, and it does not).
  bool InHalves(const std::vector<std::string>& database_uuids);

  DatabaseSet databases_;
  Xapian::Database& db_;  // databases_.database(): every shard as one
  Analyzer analyzer_;
  std::unique_ptr<Suggester> suggester_;  // built on first use per revision
  Xapian::rev suggester_revision_ = 0;
  std::shared_ptr<const Glossary> glossary_;
  RankingParams params_;
  // Searching on two threads: made on the first search of a large enough
  // local index; null before, or when it cannot (remote shards, one core).
  std::unique_ptr<HalvesRanker> halves_;
  bool last_search_in_halves_ = false;
  Xapian::doccount parallel_min_documents_;  // kParallelMinDocuments, or none on one core
  IndexSnapshot snapshot_;  // what is remembered of the revision open
  MatchedTermsFinder matched_terms_;  // a page's matched_terms
  TermScores term_scores_;  // a search in one pass scores into it
};

Searcher::Impl::Impl(const std::vector<std::string>& db_specs, std::shared_ptr<MecabModel> model,
                     std::shared_ptr<const Glossary> glossary, RankingParams params)
    : databases_(db_specs),
      db_(databases_.database()),
      analyzer_(std::move(model)),
      glossary_(std::move(glossary)),
      params_(params),
      parallel_min_documents_(Cores() >= 2 ? kParallelMinDocuments : UINT32_MAX),
      snapshot_(databases_),
      matched_terms_(databases_, glossary_.get(), snapshot_) {
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

Searcher::Searcher(const std::vector<std::string>& db_specs, std::shared_ptr<MecabModel> model,
                   std::shared_ptr<const Glossary> glossary, RankingParams params)
    : impl_(std::make_unique<Impl>(db_specs, std::move(model), std::move(glossary), params)) {}

Searcher::~Searcher() = default;

bool Searcher::Reopen() { return impl_->databases_.Reopen(); }
void Searcher::set_parallel_min_documents(Xapian::doccount n) {
  impl_->parallel_min_documents_ = n;
}
bool Searcher::last_search_in_halves() const { return impl_->last_search_in_halves_; }
bool Searcher::IndexReplaced() const { return impl_->databases_.Replaced(); }
Xapian::doccount Searcher::DocumentCount() const { return impl_->db_.get_doccount(); }
Xapian::rev Searcher::Revision() const { return impl_->databases_.Revision(); }
size_t Searcher::ShardCount() const { return impl_->databases_.shard_count(); }
std::string Searcher::DatabaseDescription() const { return impl_->databases_.Describe(); }

std::optional<Talk> Searcher::GetTalk(const std::string& id) {
  const std::string term = IdTerm(id);
  return RetriedIfModified(impl_->db_, [&]() -> std::optional<Talk> {
    impl_->snapshot_.ForgetOtherRevisions();
    Xapian::PostingIterator it = impl_->db_.postlist_begin(term);
    if (it == impl_->db_.postlist_end(term)) return std::nullopt;
    return impl_->snapshot_.Codec().Decode(impl_->db_.get_document(*it).get_data());
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
  return RetriedIfModified(impl_->db_, [&] { return impl_->Run(request); });
}

std::vector<Suggestion> Searcher::Suggest(const std::string& prefix, size_t limit) {
  if (prefix.size() > SearchRequest::kMaxQueryBytes || !IsValidUtf8(prefix)) {
    throw QueryError("bad_parameter", "q must be valid UTF-8 of at most " +
                                          std::to_string(SearchRequest::kMaxQueryBytes) + " bytes");
  }
  return RetriedIfModified(impl_->db_, [&] {
    if (!impl_->suggester_ || impl_->suggester_revision_ != impl_->databases_.Revision()) {
      impl_->snapshot_.ForgetOtherRevisions();
      impl_->suggester_ = std::make_unique<Suggester>(impl_->db_, impl_->snapshot_.Codec(),
                                                       impl_->glossary_.get(), impl_->analyzer_);
      impl_->suggester_revision_ = impl_->databases_.Revision();
    }
    return impl_->suggester_->Suggest(prefix, limit);
  });
}

std::optional<std::vector<SearchHit>> Searcher::Related(const std::string& id, size_t limit) {
  return RetriedIfModified(impl_->db_, [&] {
    return RelatedTalks(impl_->db_, impl_->snapshot_, impl_->analyzer_, id, limit);
  });
}

SearchResponse Searcher::Impl::Run(const SearchRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  const RunningSearch running;
  ParsedQuery parsed = ParseQuery(request.query);
  ApplyRequestFilters(request, parsed);
  snapshot_.ForgetOtherRevisions();  // once per search, not per term looked up
  SplitNaturalClauses(parsed, analyzer_);
  const TermFilter index_has = [this](const std::string& term) {
    return snapshot_.HasTerm(term);
  };
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
                                RelaxedEveryWord(db_, built, &relaxed_words));
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
  const FacetTableOfRevision& facet_table =
      remote || local_shards ? FacetTableOfRevision::kEmpty : snapshot_.FacetTable();
  last_search_in_halves_ = InHalves(database_uuids);
  FacetSpies facet_spies(facet_table, remote, local_shards);
  // The upper half's own (a count per distinct slot value: not made unless
  // the search splits).
  TableFacetSpy upper_half_table_facets(last_search_in_halves_ ? facet_table
                                                               : FacetTableOfRevision::kEmpty);
  LocalShardsFacetSpy upper_half_local_shards_facets;
  // Weighting, order and facet spy (the upper half's own, when in halves).
  auto set_up = [&](Xapian::Enquire& enquire, int half) {
    SetUpRanking(enquire, params_);
    enquire.add_matchspy(half == 0      ? facet_spies.spy
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
  // ORs of terms are scored term at a time, over local databases (a
  // remote server cannot rebuild the source; database_uuids tell local
  // shards apart, and are empty when they cannot).
  std::shared_ptr<const DocumentLengths> lengths;
  if (!database_uuids.empty()) lengths = snapshot_.Lengths();
  const ScoringParameters scoring = ScoringOf(params_);
  // Without lengths, the query as it is.
  auto for_range = [&lengths, &scoring, &database_uuids](
                       const Xapian::Query& query, const Xapian::Database& db, Xapian::docid low,
                       Xapian::docid high, TermScores* scores) {
    return ScoreTermsAtATime(query, db, scoring, lengths, low, high, scores, database_uuids);
  };
  RankedMatches matches;
  if (last_search_in_halves_) {
    matches = halves_->Rank(db_, ranked_query, first, count, check_at_least, database_uuids,
                            set_up,
                            [sort = request.sort](const RankedMatches::Match& a,
                                                  const RankedMatches::Match& b) {
                              return RanksBefore(a, b, sort);
                            },
                            for_range);
    facet_spies.table.Add(upper_half_table_facets);
    facet_spies.local_shards.Add(upper_half_local_shards_facets);
  } else {
    Xapian::Enquire enquire(db_);
    enquire.set_query(for_range(ranked_query, db_, 1, db_.get_lastdocid(), &term_scores_));
    set_up(enquire, 0);
    matches = RankedMatches::Of(enquire.get_mset(first, count, check_at_least));
    matches.scored_in_part = term_scores_.cut_short;
  }
  // The page: (document, score), best first.
  std::vector<std::pair<Xapian::docid, double>> page;
  if (two_parts) {
    size_t with_every_word = 0;
    page = EveryWordFirst(db_, params_, matches, built.every_word_query, wanted, database_uuids,
                          &with_every_word);
    if (may_relax && with_every_word == 0 &&
        CountMatchesUpTo(db_, built.every_word_query, 1) == 0) {
      relax();
      page = EveryWordFirst(db_, params_, matches, built.every_word_query, wanted, database_uuids);
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
  facet_spies.counter->AddTo(facets);
  // Xapian's bounds can meet without its having seen every match (one term
  // in every talk says how many match); the facets saw every one only if
  // they counted as many; and a search whose terms were scored in part
  // (past the time limit) matched only those read.
  response.total_exact = matches.lower_bound == matches.upper_bound &&
                         facet_spies.counter->seen() == response.total &&
                         !matches.scored_in_part;
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
                   index_has);
    response.facets[std::string(f.facet_name)] =
        FacetValuesOf(f.facet, CountFacets(db_,
                                           for_range(counted.query, db_, 1, db_.get_lastdocid(),
                                                     &term_scores_),
                                           facet_table, remote, local_shards, check_at_least)
                                   .of(f.facet));
  }
  const Highlighter highlighter(built.word_terms, built.bigram_runs, built.phrase_forms);
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
      for (const Speaker& speaker : snapshot_.StoredTalk(docid).speakers) {
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
  std::map<Xapian::docid, std::vector<MatchedTerm>> matched_terms =
      matched_terms_.Find(page_docids, built, via);
  for (const auto& [docid, score] : page) {
    SearchHit hit;
    IndexSnapshot::StoredEntry& stored = snapshot_.Stored(docid);
    hit.talk = stored.talk;
    hit.score = score;
    const IndexSnapshot::HitTexts& texts = IndexSnapshot::HitTextsOf(stored);
    const std::string& body = hit.talk.abstract.empty() ? hit.talk.title : hit.talk.abstract;
    hit.snippet = highlighter.Snippet(body, texts.body);
    constexpr size_t kWhole = 100000;  // no cut: the whole field, marked
    hit.title_html = highlighter.Snippet(hit.talk.title, texts.title, kWhole);
    hit.speaker_html = name_highlighter.Snippet(texts.speakers, texts.speakers_normalized, kWhole);
    const std::set<std::string>& how = via[docid];
    hit.matched_via.assign(how.begin(), how.end());
    hit.matched_terms = std::move(matched_terms[docid]);
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

std::map<Xapian::docid, std::set<std::string>> Searcher::Impl::MatchedVia(
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

bool Searcher::Impl::InHalves(const std::vector<std::string>& database_uuids) {
  if (databases_.has_remote() || database_uuids.empty() ||
      db_.get_doccount() < parallel_min_documents_ ||
      searches_running.load() * 2 > std::max(Cores(), 2u)) {
    return false;
  }
  if (!halves_) halves_ = std::make_unique<HalvesRanker>(databases_.specs());
  return halves_->InStepWith(db_.get_uuid(), databases_.Revision());
}

}  // namespace talksearch
