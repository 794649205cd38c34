// Searching the talk index: the query library's entry point.
//
// A Searcher owns its own Xapian::Database and Analyzer (MeCab lattice), so
// it must be used by one thread at a time; give each worker thread its own.
// It reads a snapshot of the index; Reopen() moves it to the newest revision.
#ifndef TALKSEARCH_SEARCHER_H_
#define TALKSEARCH_SEARCHER_H_

#include <xapian.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "talksearch/analyzer.h"
#include "talksearch/corrector.h"
#include "talksearch/database_set.h"
#include "talksearch/halves_ranker.h"
#include "talksearch/query_builder.h"
#include "talksearch/query_error.h"
#include "talksearch/query_parser.h"
#include "talksearch/schema.h"
#include "talksearch/stored_talk.h"
#include "talksearch/suggester.h"
#include "talksearch/talk.h"

namespace talksearch {

enum class SortOrder { kRelevance, kNewest, kOldest };

struct SearchRequest {
  std::string query;
  size_t limit = 10;   // 1..kMaxLimit
  size_t offset = 0;   // 0..kMaxOffset
  SortOrder sort = SortOrder::kRelevance;
  // Filters besides those typed in the query (the API's year=…&speaker=…):
  // values under one name are alternatives, names combine with AND. Names:
  // year, series, speaker, lang, collection ("all" = every collection).
  std::map<std::string, std::vector<std::string>> filters;
  // Search a correction of a word the index cannot find instead of the
  // word (see QueryCorrector); false: search as typed, the correction
  // offered as did_you_mean.
  bool autocorrect = true;

  static constexpr size_t kMaxLimit = 100;
  static constexpr size_t kMaxOffset = 10000;
  static constexpr size_t kMaxQueryBytes = 1024;
};

// One way a hit matched and what matched so: `kind` as in matched_via;
// `form` the text typed (word, phrase, bigram, reading, name), the form of
// the glossary concept the talk has (glossary: "diffusion model" for
// 拡散モデル), or the concept the talk names that is narrower than or related
// to the one asked for (related: 拡散モデル for 生成モデル).
struct MatchedTerm {
  std::string kind;
  std::string form;
  bool operator==(const MatchedTerm& o) const { return kind == o.kind && form == o.form; }
};

struct SearchHit {
  Talk talk;
  double score = 0;
  std::string snippet;  // HTML: escaped text with <mark> around matches
  std::string title_html;    // the whole title, escaped, matches marked
  std::string speaker_html;  // the speaker names, likewise
  // How the talk matched: any of word, phrase, bigram, reading, name,
  // glossary (sorted).
  std::vector<std::string> matched_via;
  // matched_via with what matched, one entry per kind and form.
  std::vector<MatchedTerm> matched_terms;
};

struct SearchResponse {
  std::string query;
  Xapian::doccount total = 0;  // matches
  // Whether `total` and the facets count every match. They do, unless the
  // matcher hit its time limit or remote shards had more matches than one
  // search lists; then `total` may be Xapian's estimate, and the facets
  // count the matches it saw.
  bool total_exact = true;
  double took_ms = 0;
  std::vector<SearchHit> hits;
  // Counts over all matches, per facet (year, series, language, collection,
  // speaker): years newest first, speakers the most frequent ten, the others
  // by count.
  struct FacetValue {
    std::string value;
    Xapian::doccount count = 0;
  };
  std::map<std::string, std::vector<FacetValue>> facets;
  // Without autocorrect: the query with its words the index cannot find
  // replaced by their corrections (QueryCorrector); empty when there are
  // none.
  std::string did_you_mean;
  // With autocorrect: the query searched, its words the index cannot find
  // corrected, and the corrections; empty when nothing was corrected.
  std::string corrected_query;
  std::vector<WordCorrection> corrections;
  // Typed words that no hit needs to have: no talk has every word, so the
  // search asked for fewer (Searcher::Relax): those no talk has, or, when
  // no talk has the rest together either, every word (any word finds). The
  // dropped words still add to a talk's score.
  std::vector<std::string> relaxed_words;
};

class Searcher {
 public:
  // Opens the databases `db_specs` names (see DatabaseSet: directories,
  // sharded index directories, tcp://HOST:PORT shards) as one. Throws
  // std::runtime_error when the index was built by a different analysis
  // (reindex to fix), and Xapian::Error when it cannot be opened.
  // `glossary` (may be null) widens queries to a concept's other forms.
  Searcher(const std::vector<std::string>& db_specs, std::shared_ptr<MecabModel> model,
           std::shared_ptr<const Glossary> glossary = nullptr, RankingParams params = {});
  Searcher(const std::string& db_path, std::shared_ptr<MecabModel> model,
           std::shared_ptr<const Glossary> glossary = nullptr, RankingParams params = {})
      : Searcher(std::vector<std::string>{db_path}, std::move(model), std::move(glossary),
                 params) {}

  // Throws QueryError for bad input (syntax, limits, invalid UTF-8).
  SearchResponse Search(const SearchRequest& request);

  std::optional<Talk> GetTalk(const std::string& id);

  // Completions of what is being typed (see Suggester). Throws QueryError
  // for invalid UTF-8 or a prefix over kMaxQueryBytes.
  std::vector<Suggestion> Suggest(const std::string& prefix, size_t limit);

  // "More like this": the seminar talks closest in content to talk `id`
  // (Xapian relevance feedback on its title and abstract words), best
  // first, without the talk itself. std::nullopt when there is no such talk.
  std::optional<std::vector<SearchHit>> Related(const std::string& id, size_t limit);

  // An index of at least this many talks is searched on two threads, each
  // ranking half of its talks (see HalvesRanker), when it is local (one
  // database or local shards), the machine has two cores, and no other
  // search of the process (another server worker's) holds the second core.
  // Measured on the judged queries: 100,000 talks, p50 3.7 → 2.3 ms, p99
  // 31 → 23 ms; 1,000,000 talks, p50 34 → 20 ms, p99 279 → 186 ms; 10,000
  // talks, no change (the hand-over costs what the second core saves).
  static constexpr Xapian::doccount kParallelMinDocuments = 20000;
  // For tests and benchmarks: another threshold (0: every search of a local
  // index, even on one core, while no other search runs).
  void set_parallel_min_documents(Xapian::doccount n) { parallel_min_documents_ = n; }
  // Whether the last search ranked in two halves.
  bool last_search_in_halves() const { return last_search_in_halves_; }

  // Moves to the newest committed revision; true when it changed.
  bool Reopen();
  // Whether another index has been put in the place of the one open (see
  // DatabaseSet::Replaced): Reopen() cannot follow it; a new Searcher must.
  bool IndexReplaced() const { return databases_.Replaced(); }
  Xapian::doccount DocumentCount() const { return db_.get_doccount(); }
  Xapian::rev Revision() const { return databases_.Revision(); }
  size_t ShardCount() const { return databases_.shard_count(); }
  std::string DatabaseDescription() const { return databases_.Describe(); }

  // Each talk's facet slot value, by document id (see FacetTable).
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

 private:
  // Related() on the snapshot open (it retries once on a newer one).
  std::optional<std::vector<SearchHit>> RelatedOnSnapshot(const std::string& id, size_t limit);
  SearchResponse Run(const SearchRequest& request);
  // For a query no talk matches with every word: the query of the talks
  // with every required word of `built` that some talk has, or, when no
  // talk has those together, MatchNothing (any word, none required); the
  // words no longer required, as typed, in `dropped`.
  Xapian::Query Relax(const BuiltQuery& built, std::vector<std::string>* dropped);
  // Weighted words of a stored talk for Related, when the index has no
  // termlists for Xapian's expansion to read (Termlists::kDrop).
  std::vector<Xapian::Query> TermsOfStoredTalk(Xapian::docid doc);
  // For each of `docids` (a page of hits), how it matched: the term_via
  // labels (BuiltQuery::term_via) of the query terms it has.
  std::map<Xapian::docid, std::set<std::string>> MatchedVia(
      std::vector<Xapian::docid> docids, const std::map<std::string, std::string>& term_via);
  // For each of `page`'s talks, what it matched: one entry per kind and
  // form (BuiltQuery::term_via and term_origin) it has a term of, among the
  // kinds `via` (MatchedVia) gives it; a glossary concept as the form the
  // talk has (FormInTalk), a related one as the concept the talk names.
  std::map<Xapian::docid, std::vector<MatchedTerm>> MatchedTerms(
      const std::vector<Xapian::docid>& page, const BuiltQuery& built,
      const std::map<Xapian::docid, std::set<std::string>>& via);
  // Of `docids` (sorted), those that have any of `terms`, in order.
  std::vector<Xapian::docid> HavingAny(const std::vector<Xapian::docid>& docids,
                                       const std::vector<std::string>& terms);
  // Of `docs` (sorted), each talk's concept that is narrower than (within
  // two links) or related to glossary `concept`: the first the talk names.
  std::map<Xapian::docid, size_t> NamedConcepts(std::vector<Xapian::docid> docs, size_t concept);
  // The form of glossary `concept` found in talk `doc`'s title or abstract,
  // else its first form.
  std::string FormInTalk(Xapian::docid doc, size_t concept);
  std::unordered_map<size_t, std::vector<std::string>> normalized_forms_;  // by concept
  // Whether the index has `term`, remembered per revision: glossary forms
  // recur in query after query. ForgetTermsOfOtherRevisions() (at the start
  // of each search) drops what an older revision said.
  bool IndexHasTerm(const std::string& term);
  void ForgetTermsOfOtherRevisions();
  // The talk stored with a hit, parsed once per revision: decompressing and
  // parsing the stored JSON was a fifth of a search on the seminar corpus,
  // whose talks are hits again and again. Forgotten with the terms (Search
  // and Related call ForgetTermsOfOtherRevisions first).
  const Talk& StoredTalk(Xapian::docid docid);
  // What a hit highlights of a stored talk (its title, its abstract or else
  // its title, its speakers' names), normalized once: normalizing every
  // hit's fields again was a quarter of the highlighting, itself about 30%
  // of a search on the seminar corpus. Remembered with the stored talk.
  struct HitTexts {
    std::string speakers;  // Talk::SpeakerNames()
    NormalizedText title, body, speakers_normalized;
  };
  // A stored talk as remembered: parsed, and normalized once highlighted.
  struct StoredEntry {
    Talk talk;
    std::optional<HitTexts> texts;
  };
  StoredEntry& Stored(Xapian::docid docid);
  // The entry's HitTexts, made on first use.
  static const HitTexts& HitTextsOf(StoredEntry& entry);
  // How the index stores its talks: with the dictionary of its metadata,
  // read once per revision (forgotten with the terms).
  const StoredTalkCodec& Codec();
  // An Enquire on the index with the ranking's BM25 parameters and the
  // matcher's time limit.
  Xapian::Enquire RankingEnquire();
  // Whether this search ranks in two halves (see kParallelMinDocuments),
  // making halves_ on first use. `database_uuids`: as for EveryWordFirst
  // (empty: the databases cannot be told apart, and it does not).
  bool InHalves(const std::vector<std::string>& database_uuids);
  // The best `wanted` talks of a soft-AND query, with the scores the one
  // query gives: from `any_word`, the best of its any-word part
  // (BuiltQuery::any_word_query; at least `wanted`), each checked for
  // every word; and when a talk below those could still reach the page,
  // the best `wanted` of `every_word_query`. The every-word part,
  // evaluated over every match of the one query, was the slowest part of
  // broad queries. `database_uuids`: the local databases' UUIDs, in order
  // (for their document ids; see DocumentsSource). `with_every_word`: how
  // many of the candidates have every word.
  std::vector<std::pair<Xapian::docid, double>> EveryWordFirst(
      const RankedMatches& any_word, const Xapian::Query& every_word_query, size_t wanted,
      const std::vector<std::string>& database_uuids, size_t* with_every_word = nullptr);
  // Each talk's facet slot value (schema.h kFacetsSlot), read once per
  // revision, so that counting facets over the matches costs an array read
  // per match (see TableFacetSpy). 4 bytes per talk, plus each distinct
  // slot value once, as its facet values.
  const FacetTableOfRevision& FacetTable();

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
  // What IndexHasTerm, StoredTalk and FacetTable remember, of revision
  // cache_revision_.
  std::unordered_map<std::string, bool> term_exists_;
  std::unordered_map<Xapian::docid, StoredEntry> talks_;
  FacetTableOfRevision facet_table_;
  std::unique_ptr<const StoredTalkCodec> codec_;
  Xapian::rev cache_revision_ = 0;
};

// The API's search response body (also `talks-search --json`).
nlohmann::json SearchResponseToJson(const SearchResponse& response);
// One hit as the API shows it.
nlohmann::json SearchHitToJson(const SearchHit& hit);

}  // namespace talksearch

#endif  // TALKSEARCH_SEARCHER_H_
