// Searching the talk index: the query library's entry point.
//
// Thread-safety: a Searcher owns its own Xapian::Database and Analyzer
// (MeCab lattice) and remembers what it read of the index, so it must be
// used by one thread at a time; give each worker thread its own (the
// server's SearcherPool does). Searchers of one index in several threads
// are independent, except that a search ranks on a second thread only
// while no other search of the process holds the second core.
//
// Snapshots: a Searcher reads one revision of the index; Reopen() moves it
// to the newest. A call that meets a revision overwritten under it (a
// writer that committed twice) reopens once and retries.
//
// Ownership: the model and glossary are shared (held, never changed);
// the results are values the caller owns.
//
// Errors: QueryError for what the caller sent (bad syntax, a bad filter
// value, limits, invalid UTF-8); Xapian::Error for what the index does
// (unreadable, corrupt, a remote shard gone); std::runtime_error from the
// constructor for an index of another analysis or schema.
//
// How a search works is in its parts: query_parser.h and query_builder.h
// (the query), soft_and_ranking.h (ranking), search_facets.h (facets),
// corrector.h (did-you-mean), related_talks.h, index_snapshot.h (what is
// remembered per revision); search_json.h is the API's JSON of a response.
#ifndef TALKSEARCH_SEARCHER_H_
#define TALKSEARCH_SEARCHER_H_

#include <xapian.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "talksearch/corrector.h"      // WordCorrection
#include "talksearch/glossary.h"
#include "talksearch/query_builder.h"  // RankingParams
#include "talksearch/query_error.h"
#include "talksearch/segmenter.h"      // MecabModel
#include "talksearch/suggester.h"      // Suggestion
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
  // search asked for fewer (RelaxedEveryWord, soft_and_ranking.h): those
  // no talk has, or, when no talk has the rest together either, every word
  // (any word finds). The dropped words still add to a talk's score.
  std::vector<std::string> relaxed_words;
};

class Searcher {
 public:
  // Opens the databases `db_specs` names (see DatabaseSet: directories,
  // sharded index directories, tcp://HOST:PORT shards) as one. Throws
  // std::runtime_error when the index was built by a different analysis
  // or schema (reindex to fix), and Xapian::Error when it cannot be opened.
  // `glossary` (may be null) widens queries to a concept's other forms.
  Searcher(const std::vector<std::string>& db_specs, std::shared_ptr<MecabModel> model,
           std::shared_ptr<const Glossary> glossary = nullptr, RankingParams params = {});
  Searcher(const std::string& db_path, std::shared_ptr<MecabModel> model,
           std::shared_ptr<const Glossary> glossary = nullptr, RankingParams params = {})
      : Searcher(std::vector<std::string>{db_path}, std::move(model), std::move(glossary),
                 params) {}
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // One page of the talks matching `request`, with the total, the facets
  // over every match and any corrections. Throws QueryError for bad input
  // (syntax, filter values, limits, invalid UTF-8), Xapian::Error.
  SearchResponse Search(const SearchRequest& request);

  // The talk with `id`, std::nullopt when there is none. Throws
  // Xapian::Error.
  std::optional<Talk> GetTalk(const std::string& id);

  // Completions of what is being typed (see Suggester). Throws QueryError
  // for invalid UTF-8 or a prefix over kMaxQueryBytes.
  std::vector<Suggestion> Suggest(const std::string& prefix, size_t limit);

  // "More like this": the seminar talks closest in content to talk `id`
  // (Xapian relevance feedback on its title and abstract words), best
  // first, without the talk itself. std::nullopt when there is no such talk.
  // Throws Xapian::Error.
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
  void set_parallel_min_documents(Xapian::doccount n);
  // Whether the last search ranked in two halves.
  bool last_search_in_halves() const;

  // Moves to the newest committed revision; true when it changed. Throws
  // Xapian::Error.
  bool Reopen();
  // Whether another index has been put in the place of the one open (see
  // DatabaseSet::Replaced): Reopen() cannot follow it; a new Searcher must.
  bool IndexReplaced() const;
  Xapian::doccount DocumentCount() const;
  Xapian::rev Revision() const;
  size_t ShardCount() const;
  std::string DatabaseDescription() const;

 private:
  // The databases, analyzer, per-revision memory and ranking threads
  // (searcher.cc).
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace talksearch

#endif  // TALKSEARCH_SEARCHER_H_
