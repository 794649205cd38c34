#include "talksearch/http_api.h"
#include "talksearch/response_cache.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <regex>

#include "openapi_yaml.h"  // generated from server/openapi.yaml: kOpenApiYaml
#include "talksearch/admin_api.h"
#include "talksearch/json_response.h"
#include "talksearch/metrics.h"
#include "talksearch/schema.h"
#include "talksearch/search_json.h"

namespace talksearch {
namespace {

// The largest body a request other than the corpus update may send.
constexpr uint64_t kMaxBodyBytes = 64 * 1024;

// Requests served on one keep-alive connection before httplib closes it.
// httplib's default of 5 makes a busy client reconnect every fifth search
// (accept, a thread hand-off, TCP set-up); nginx allows 1,000. A busy
// connection still yields its thread after this many.
constexpr size_t kKeepAliveRequests = 1000;

// A parameter given more than once is ambiguous: refuse rather than guess.
bool SingleParam(const httplib::Request& req, httplib::Response& res, const char* name,
                 std::string& out, bool& present) {
  const size_t count = req.get_param_value_count(name);
  present = count > 0;
  if (count > 1) {
    SendError(res, 400, "bad_parameter", std::string(name) + " is given more than once");
    return false;
  }
  if (present) out = req.get_param_value(name);
  return true;
}

bool ParseCount(const std::string& text, size_t& out) {
  if (text.empty() || text.size() > 6 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  out = std::stoul(text);
  return true;
}

bool GlobMatch(const std::string& pattern, const std::string& text) {
  size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// When this thread's request reached the pre-routing handler. A request
// refused before (a request line or headers httplib cannot read: 400, 414)
// never does: it is counted, with no latency.
thread_local std::chrono::steady_clock::time_point request_start;
thread_local bool request_routed = false;

// httplib 0.11 reads a body only for POST, PUT, PATCH and DELETE. A body
// sent with any other method stays on the connection and is read as the
// next request: behind a proxy that pools connections (nginx's upstream
// keepalive), a client could slip a request past the proxy's rules, and the
// proxy would hand its answer to another client.
bool HasBodyHttplibLeavesUnread(const httplib::Request& req) {
  if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
      req.method == "DELETE") {
    return false;
  }
  const std::string length = req.get_header_value("Content-Length");
  return req.has_header("Transfer-Encoding") || (!length.empty() && length != "0");
}

// Sends a JSON error, then closes the connection: httplib closes it when a
// content provider reports failure, after the whole body has been written.
// (HEAD responses have no body, so HEAD requests keep theirs: deploy/
// nginx.conf drops request bodies on the API's locations.)
void RefuseAndClose(httplib::Response& res, int status, const std::string& code,
                    const std::string& message) {
  res.status = status;
  auto body = std::make_shared<std::string>(ErrorBody(code, message));
  res.set_content_provider(body->size(), kJson,
                           [body](size_t offset, size_t length, httplib::DataSink& sink) {
                             sink.write(body->data() + offset, length);
                             return false;  // ends the connection
                           });
}

// `target` with the values of token-like query parameters replaced, for
// the access log: a secret sent in a URL by mistake must not be kept.
std::string RedactSecrets(const std::string& target) {
  static const std::regex secret(
      R"(([?&](?:[^=&]*(?:token|key|secret|password|passwd|auth|session)[^=&]*)=)[^&#]*)",
      std::regex::icase);
  return std::regex_replace(target, secret, "$1[redacted]");
}

// The cache key of a validated request: every field that shapes the answer,
// each value length-delimited by JSON, so no two requests share a key.
std::string CacheKey(const SearchRequest& r) {
  nlohmann::json filters = nlohmann::json::object();
  for (const auto& [name, values] : r.filters) filters[name] = values;
  return DumpJson({r.query, r.limit, r.offset, static_cast<int>(r.sort), r.autocorrect, filters});
}

// A control character in a parameter is never part of a name, a year or a
// series: it is a mistake or a probe.
bool HasControlCharacter(const std::string& text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

void HandleSearch(SearcherPool& pool, ResponseCache& cache, const httplib::Request& req,
                  httplib::Response& res) {
  std::string q, limit, offset, sort, autocorrect;
  bool has_q, has_limit, has_offset, has_sort, has_autocorrect;
  if (!SingleParam(req, res, "q", q, has_q) || !SingleParam(req, res, "limit", limit, has_limit) ||
      !SingleParam(req, res, "offset", offset, has_offset) ||
      !SingleParam(req, res, "sort", sort, has_sort) ||
      !SingleParam(req, res, "autocorrect", autocorrect, has_autocorrect)) {
    return;
  }
  if (!has_q) return SendError(res, 400, "missing_parameter", "q is required");
  SearchRequest request;
  request.query = q;
  if (has_limit && !ParseCount(limit, request.limit)) {
    return SendError(res, 400, "bad_parameter", "limit must be a whole number from 1 to 100");
  }
  if (has_offset && !ParseCount(offset, request.offset)) {
    return SendError(res, 400, "bad_parameter", "offset must be a whole number from 0 to 10000");
  }
  // Filters may repeat (year=2023&year=2024 = either year).
  for (const FilterField& filter : kFilterFields) {
    const std::string name(filter.name);
    const size_t count = req.get_param_value_count(name);
    if (count > 20) return SendError(res, 400, "bad_parameter", "too many " + name);
    for (size_t i = 0; i < count; ++i) {
      std::string value = req.get_param_value(name, i);
      if (HasControlCharacter(value)) {
        return SendError(res, 400, "bad_parameter",
                         std::string(name) + " has a control character");
      }
      request.filters[name].push_back(std::move(value));
    }
  }
  if (has_sort) {
    if (sort == "relevance") request.sort = SortOrder::kRelevance;
    else if (sort == "newest") request.sort = SortOrder::kNewest;
    else if (sort == "oldest") request.sort = SortOrder::kOldest;
    else return SendError(res, 400, "bad_parameter", "sort is relevance, newest or oldest");
  }
  if (has_autocorrect) {
    if (autocorrect == "true") request.autocorrect = true;
    else if (autocorrect == "false") request.autocorrect = false;
    else return SendError(res, 400, "bad_parameter", "autocorrect is true or false");
  }
  const std::string key = CacheKey(request);
  if (std::optional<std::string> body = cache.Get(key)) {
    res.set_header("X-Cache", "hit");
    return res.set_content(*body, kJson);
  }
  try {
    SearchResponse response = pool.Borrow()->Search(request);
    std::string body = DumpJson(SearchResponseToJson(response));
    cache.Put(key, body);
    res.set_content(std::move(body), kJson);
  } catch (const QueryError& e) {
    SendError(res, 400, e.code(), e.what());
  }
}

// The {id} of /api/talks/{id}…, or a 400 sent and false.
bool TalkIdParam(const httplib::Request& req, httplib::Response& res, std::string& id) {
  static const std::regex valid_id("^[a-z0-9][a-z0-9_-]{0,199}$");
  id = req.matches[1];
  if (std::regex_match(id, valid_id)) return true;
  SendError(res, 400, "bad_parameter", "talk ids are lowercase letters, digits and '-'");
  return false;
}

// An optional single `limit` from 1 to `max`, or a 400 sent and false.
bool LimitParam(const httplib::Request& req, httplib::Response& res, size_t max, size_t& limit) {
  std::string text;
  bool present;
  if (!SingleParam(req, res, "limit", text, present)) return false;
  if (present && (!ParseCount(text, limit) || limit < 1 || limit > max)) {
    SendError(res, 400, "bad_parameter",
              "limit must be a whole number from 1 to " + std::to_string(max));
    return false;
  }
  return true;
}

void HandleTalk(SearcherPool& pool, const httplib::Request& req, httplib::Response& res) {
  std::string id;
  if (!TalkIdParam(req, res, id)) return;
  std::optional<Talk> talk = pool.Borrow()->GetTalk(id);
  if (!talk) return SendError(res, 404, "not_found", "no talk with id " + id);
  res.set_content(DumpJson(nlohmann::json(*talk)), kJson);
}

void HandleSuggest(SearcherPool& pool, const httplib::Request& req, httplib::Response& res) {
  std::string q;
  bool has_q;
  size_t limit = 8;
  if (!SingleParam(req, res, "q", q, has_q) || !LimitParam(req, res, 20, limit)) return;
  if (!has_q) return SendError(res, 400, "missing_parameter", "q is required");
  try {
    nlohmann::json suggestions = nlohmann::json::array();
    for (const Suggestion& s : pool.Borrow()->Suggest(q, limit)) {
      suggestions.push_back({{"text", s.text}, {"kind", s.kind}});
    }
    res.set_content(DumpJson({{"query", q}, {"suggestions", std::move(suggestions)}}), kJson);
  } catch (const QueryError& e) {
    SendError(res, 400, e.code(), e.what());
  }
}

void HandleRelated(SearcherPool& pool, const httplib::Request& req, httplib::Response& res) {
  std::string id;
  size_t limit = 5;
  if (!TalkIdParam(req, res, id) || !LimitParam(req, res, 20, limit)) return;
  std::optional<std::vector<SearchHit>> related = pool.Borrow()->Related(id, limit);
  if (!related) return SendError(res, 404, "not_found", "no talk with id " + id);
  nlohmann::json hits = nlohmann::json::array();
  for (const SearchHit& h : *related) hits.push_back(SearchHitToJson(h));
  res.set_content(DumpJson({{"id", id}, {"hits", std::move(hits)}}), kJson);
}

}  // namespace

bool OriginAllowed(const std::string& origin, const std::vector<std::string>& patterns) {
  for (const std::string& p : patterns) {
    if (p == "*" || GlobMatch(p, origin)) return true;
  }
  return false;
}

void InstallApi(httplib::Server& server, SearcherPool& pool, const ServerConfig& config) {
  auto cache = std::make_shared<ResponseCache>(config.cache_entries, std::chrono::seconds(1));
  server.Get("/api/search", [&pool, cache](const httplib::Request& req, httplib::Response& res) {
    HandleSearch(pool, *cache, req, res);
  });
  server.Get(R"(/api/talks/([^/]+))", [&pool](const httplib::Request& req, httplib::Response& res) {
    HandleTalk(pool, req, res);
  });
  server.Get(R"(/api/talks/([^/]+)/related)",
             [&pool](const httplib::Request& req, httplib::Response& res) {
               HandleRelated(pool, req, res);
             });
  server.Get("/api/suggest", [&pool](const httplib::Request& req, httplib::Response& res) {
    HandleSuggest(pool, req, res);
  });
  server.Get("/api/openapi.yaml", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kOpenApiYaml, "application/yaml; charset=utf-8");
  });
  InstallAdminApi(server, pool, cache, {config.admin_token, config.corpus_dir});
  auto metrics = std::make_shared<Metrics>();
  server.Get("/metrics", [&pool, metrics](const httplib::Request&, httplib::Response& res) {
    auto searcher = pool.Borrow();
    res.set_content(metrics->Render(searcher->Revision(), searcher->DocumentCount()),
                    "text/plain; version=0.0.4; charset=utf-8");
  });
  server.Get("/api/health", [&pool](const httplib::Request&, httplib::Response& res) {
    const std::string problem = pool.health().problem();
    if (!problem.empty()) {
      res.status = 503;
      return res.set_content(DumpJson({{"status", "unavailable"}, {"problem", problem}}), kJson);
    }
    auto searcher = pool.Borrow();
    nlohmann::json answer = {{"status", "ok"},
                             {"documents", searcher->DocumentCount()},
                             {"revision", searcher->Revision()}};
    if (const std::string why = pool.restart_needed(); !why.empty()) answer["restart_needed"] = why;
    res.set_content(DumpJson(answer), kJson);
  });
  // CORS preflight for any API path.
  server.Options(R"(/api/.*)", [](const httplib::Request&, httplib::Response& res) {
    res.status = 204;
  });

  if (!config.static_dir.empty()) server.set_mount_point("/", config.static_dir);

  const std::vector<std::string> origins = config.cors_origins;
  server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    request_start = std::chrono::steady_clock::now();
    request_routed = true;
    // A NUL would end the file name the static handler opens before the
    // extension it reads the type from (x.js%00.html served as HTML).
    if (HasControlCharacter(req.path)) {
      SendError(res, 400, "bad_path", "the path has a control character");
      return httplib::Server::HandlerResponse::Handled;
    }
    // Only the admin routes take a POST: refuse others before httplib
    // waits for a body nobody will read.
    if (req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS" &&
        !IsAdminPath(req.path)) {
      const std::string route = Metrics::RouteOf(req.path);
      const bool known = route != "static" && route != "/api/other";
      const std::string message = known ? req.method + " is not allowed here; use GET"
                                        : "no such resource: " + req.path;
      if (known) res.set_header("Allow", "GET, OPTIONS");
      RefuseAndClose(res, known ? 405 : 404, known ? "method_not_allowed" : "not_found", message);
      return httplib::Server::HandlerResponse::Handled;
    }
    // Bodies are read up to the seminar page's limit; only the corpus
    // update takes one that large.
    if (req.path != "/api/admin/corpus" &&
        std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10) > kMaxBodyBytes) {
      RefuseAndClose(res, 413, "payload_too_large",
                     "a body here is at most " + std::to_string(kMaxBodyBytes / 1024) + " KB");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (HasBodyHttplibLeavesUnread(req)) {
      RefuseAndClose(res, 400, "body_not_allowed",
                     req.method + " requests take no body; this connection is closed");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_post_routing_handler([origins](const httplib::Request& req, httplib::Response& res) {
    const std::string origin = req.get_header_value("Origin");
    if (!origin.empty() && OriginAllowed(origin, origins)) {
      res.set_header("Access-Control-Allow-Origin", origin);
      res.set_header("Vary", "Origin");
      res.set_header("Access-Control-Allow-Methods", "GET, OPTIONS");  // admin is not for browsers
      res.set_header("Access-Control-Allow-Headers", "Content-Type");
      res.set_header("Access-Control-Max-Age", "86400");
    }
  });
  // Anything unrouted (unknown path, wrong method) still answers in JSON.
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    // Already answered: a body, or a content provider (RefuseAndClose), which sets the type.
    if (!res.body.empty() || res.has_header("Content-Type")) return;
    const std::string route = Metrics::RouteOf(req.path);
    const bool known = route != "static" && route != "/api/other";
    const std::string allowed = IsAdminPath(route) ? "POST" : "GET";
    if (known && req.method != allowed && req.method != "OPTIONS") {
      SendError(res, 405, "method_not_allowed", req.method + " is not allowed here; use " + allowed);
      res.set_header("Allow", allowed + ", OPTIONS");
      return;
    }
    const std::string code = res.status == 404 ? "not_found" : "bad_request";
    SendError(res, res.status, code, res.status == 404 ? "no such resource: " + req.path
                                                       : "the request could not be handled");
  });
  server.set_exception_handler([&pool](const httplib::Request&, httplib::Response& res,
                                       std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const Xapian::Error& e) {
      what = e.get_description();
      pool.health().Report(e);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "talks-server: internal error: %s\n", what.c_str());
    SendError(res, 500, "internal", "the server failed to answer; this is not your fault");
  });
  const bool access_log = config.access_log;
  server.set_logger([metrics, access_log](const httplib::Request& req, const httplib::Response& res) {
    const double ms = request_routed ? std::chrono::duration<double, std::milli>(
                                           std::chrono::steady_clock::now() - request_start)
                                           .count()
                                     : 0.0;
    request_routed = false;
    metrics->Record(Metrics::RouteOf(req.path), res.status, ms / 1000);
    if (access_log) {
      // One line per request: client, method, target, status, bytes, latency.
      std::fprintf(stderr, "%s %s %s %d %zu %.2fms\n", req.remote_addr.c_str(),
                   req.method.c_str(), RedactSecrets(req.target).c_str(), res.status,
                   res.body.size(), ms);
    }
  });
  server.set_default_headers({{"X-Content-Type-Options", "nosniff"}});
  server.set_read_timeout(5, 0);
  server.set_write_timeout(5, 0);
  server.set_payload_max_length(kMaxCorpusPageBytes);
  server.set_keep_alive_max_count(kKeepAliveRequests);
}

}  // namespace talksearch
