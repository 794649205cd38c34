// The JSON search API over HTTP (cpp-httplib).
//
//   GET /api/search?q=…&limit=10&offset=0&sort=relevance|newest|oldest
//   GET /api/talks/{id}
//   GET /api/health
//   GET /api/suggest, GET /api/talks/{id}/related, GET /api/openapi.yaml
//   POST /api/admin/reload            (Authorization: Bearer <token>)
//   GET /metrics                      (Prometheus text format)
//
// Client mistakes get a 4xx status and {"error": {"code", "message"}};
// a 5xx is only ever a fault of the server or its index.
#ifndef TALKSEARCH_HTTP_API_H_
#define TALKSEARCH_HTTP_API_H_

#include <httplib.h>

#include <string>
#include <vector>

#include "talksearch/searcher_pool.h"
#include "talksearch/talks_http_server.h"

namespace talksearch {

struct ServerConfig {
  // Origins allowed to call the API from a browser; '*' matches any run of
  // characters ("https://*.github.io"). A lone "*" allows every origin.
  std::vector<std::string> cors_origins = {
      "https://*.github.io", "http://localhost:*", "http://127.0.0.1:*"};
  std::string static_dir;  // served at / when set
  bool access_log = true;  // one line per request on stderr
  // Bearer token for POST /api/admin/reload; empty disables the admin API.
  // Read from a file or the environment by talks-server, never from a URL.
  std::string admin_token;
  // The corpus directory POST /api/admin/corpus writes the seminar page to
  // and indexes (see admin_api.h); empty turns that route off.
  std::string corpus_dir;
  // Search responses kept for a second (see ResponseCache); 0 turns the
  // cache off.
  size_t cache_entries = 4096;
};

// Registers the routes, CORS, error mapping and logging on `server`.
// `pool` must outlive the server.
void InstallApi(httplib::Server& server, SearcherPool& pool, const ServerConfig& config);

// True when `origin` matches one of `patterns`.
bool OriginAllowed(const std::string& origin, const std::vector<std::string>& patterns);

}  // namespace talksearch

#endif  // TALKSEARCH_HTTP_API_H_
