// The search API's JSON: a search response and a hit as the HTTP API (and
// `talks-search --json`) answer them. In the query library rather than
// server/ because the query module's own command-line tool prints the same
// JSON, and the include graph runs server → query only.
//
// Free functions of their arguments: safe from any thread.
#ifndef TALKSEARCH_SEARCH_JSON_H_
#define TALKSEARCH_SEARCH_JSON_H_

#include <nlohmann/json.hpp>

#include "talksearch/searcher.h"

namespace talksearch {

// The API's search response body.
nlohmann::json SearchResponseToJson(const SearchResponse& response);
// One hit as the API shows it (in a search response and in related talks).
nlohmann::json SearchHitToJson(const SearchHit& hit);

}  // namespace talksearch

#endif  // TALKSEARCH_SEARCH_JSON_H_
