#include "talksearch/searcher.h"

#include <algorithm>
#include <chrono>
#include <set>
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
    std::set<std::string> via;
    for (auto t = enquire.get_matching_terms_begin(it); t != enquire.get_matching_terms_end(it);
         ++t) {
      auto label = built.term_via.find(*t);
      if (label != built.term_via.end()) via.insert(label->second);
    }
    hit.matched_via.assign(via.begin(), via.end());
    response.hits.push_back(std::move(hit));
  }
  response.did_you_mean =
      SpellingSuggestion(parsed, request.query, response.total <= SearchResponse::kFewResults);
  response.took_ms = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - start).count();
  return response;
}

bool Searcher::IndexHasWord(const std::string& text) {
  for (const Token& t : analyzer_.Analyze(text)) {
    if (t.kind != TermKind::kWord) continue;
    bool found = false;
    for (const TextField& field : kTextFields) {
      found = found || db_.term_exists(std::string(field.word_prefix) + t.term);
    }
    if (!found) return false;
  }
  return true;
}

std::string Searcher::SpellingSuggestion(const ParsedQuery& parsed, const std::string& query,
                                         bool found_little) {
  // Xapian's spelling table holds the English and katakana words of titles
  // and abstracts (see IndexWriter); other scripts are not suggested. A
  // word is corrected when the query found little, or when the index does
  // not have the word at all.
  std::string suggestion = query;
  bool changed = false;
  for (const auto& group : parsed.groups) {
    for (const TextClause& clause : group) {
      const std::string word = NormalizeString(clause.text);
      const Script script = ScriptOf(word);
      const bool katakana = script == Script::kKana && word.rfind("\xE3\x81", 0) != 0;
      if (word.find(' ') != std::string::npos || (script != Script::kLatin && !katakana)) continue;
      if (!found_little && IndexHasWord(word)) continue;
      const std::string better = db_.get_spelling_suggestion(word, 2);
      if (better.empty() || better == word) continue;
      const size_t at = suggestion.find(clause.text);
      if (at == std::string::npos) continue;
      suggestion.replace(at, clause.text.size(), better);
      changed = true;
    }
  }
  return changed ? suggestion : std::string();
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
        {"matched_via", h.matched_via},
    };
    hits.push_back(std::move(hit));
  }
  return {
      {"query", response.query},
      {"total", response.total},
      {"took_ms", std::round(response.took_ms * 1000) / 1000},
      {"did_you_mean", response.did_you_mean.empty() ? nlohmann::json(nullptr)
                                                     : nlohmann::json(response.did_you_mean)},
      {"hits", std::move(hits)},
  };
}

}  // namespace talksearch
