#include "talksearch/search_json.h"

#include <cmath>

namespace talksearch {

static nlohmann::json MatchedTermsToJson(const std::vector<MatchedTerm>& terms) {
  nlohmann::json list = nlohmann::json::array();
  for (const MatchedTerm& m : terms) list.push_back({{"kind", m.kind}, {"form", m.form}});
  return list;
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
      {"matched_terms", MatchedTermsToJson(h.matched_terms)},
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
