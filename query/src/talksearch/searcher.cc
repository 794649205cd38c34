#include "talksearch/searcher.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "talksearch/normalizer.h"
#include "talksearch/query_parser.h"
#include "talksearch/schema.h"
#include "talksearch/snippet.h"

namespace talksearch {

Searcher::Searcher(const std::string& db_path, std::shared_ptr<MecabModel> model,
                   std::shared_ptr<const Glossary> glossary, RankingParams params)
    : db_(db_path), analyzer_(std::move(model)), glossary_(std::move(glossary)), params_(params) {
  const std::string built_with = db_.get_metadata(std::string(kAnalysisMetadataKey));
  if (built_with != analyzer_.Fingerprint()) {
    throw std::runtime_error(
        "index at " + db_path + " was built by analysis '" +
        (built_with.empty() ? "(none)" : built_with) + "' but this build uses '" +
        analyzer_.Fingerprint() + "': run talks-index again");
  }
}

bool Searcher::Reopen() { return db_.reopen(); }

std::optional<Talk> Searcher::GetTalk(const std::string& id) {
  const std::string term = std::string(kIdPrefix) + id;
  for (int attempt = 0;; ++attempt) {
    try {
      Xapian::PostingIterator it = db_.postlist_begin(term);
      if (it == db_.postlist_end(term)) return std::nullopt;
      return nlohmann::json::parse(db_.get_document(*it).get_data()).get<Talk>();
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt > 0) throw;
      db_.reopen();
    }
  }
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
  // A writer committing while we read can invalidate our snapshot: reopen
  // once and retry rather than fail the request.
  try {
    return Run(request);
  } catch (const Xapian::DatabaseModifiedError&) {
    db_.reopen();
    return Run(request);
  }
}

SearchResponse Searcher::Run(const SearchRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  const ParsedQuery parsed = ParseQuery(request.query);
  const BuiltQuery built = BuildQuery(parsed, analyzer_, params_, glossary_.get());

  Xapian::Enquire enquire(db_);
  enquire.set_query(built.query);
  switch (request.sort) {
    case SortOrder::kRelevance:
      // Ties (e.g. a pure filter) list the newest talk first.
      enquire.set_sort_by_relevance_then_value(kDateSlot, true);
      break;
    case SortOrder::kNewest:
      enquire.set_sort_by_value_then_relevance(kDateSlot, true);
      break;
    case SortOrder::kOldest:
      enquire.set_sort_by_value_then_relevance(kDateSlot, false);
      break;
  }
  // Ask for enough to know the exact total on a corpus of this size.
  Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(request.offset),
                                       static_cast<Xapian::doccount>(request.limit),
                                       std::min<Xapian::doccount>(db_.get_doccount(), 10000));

  SearchResponse response;
  response.query = request.query;
  response.total = mset.get_matches_estimated();
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
    SearchHit hit;
    hit.talk = nlohmann::json::parse(it.get_document().get_data()).get<Talk>();
    hit.score = it.get_weight();
    const std::string& body = hit.talk.abstract.empty() ? hit.talk.title : hit.talk.abstract;
    hit.snippet = MakeSnippet(body, built.word_terms, built.bigram_runs, analyzer_);
    response.hits.push_back(std::move(hit));
  }
  response.took_ms = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - start).count();
  return response;
}

nlohmann::json SearchResponseToJson(const SearchResponse& response) {
  nlohmann::json hits = nlohmann::json::array();
  for (const SearchHit& h : response.hits) {
    const Talk& t = h.talk;
    nlohmann::json hit = {
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
    };
    hits.push_back(std::move(hit));
  }
  return {
      {"query", response.query},
      {"total", response.total},
      {"took_ms", std::round(response.took_ms * 1000) / 1000},
      {"hits", std::move(hits)},
  };
}

}  // namespace talksearch
