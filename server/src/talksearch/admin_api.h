// The admin API, for the host and the site's CI, never for browsers; every
// call needs the admin token as "Authorization: Bearer TOKEN" (never in the
// URL: URLs are logged).
//
//   POST /api/admin/reload   every Searcher moves to the newest revision now
//   POST /api/admin/corpus   the body is the seminar page (Markdown): it is
//       checked with the corpus's JSON Lines files, compared with the index
//       (the guard of talks-index: more than a few removals or date moves
//       need ?allow_removals=true), and, unless ?check=true, written over
//       the corpus's seminar.md, indexed and reloaded. The answer lists the
//       problems (file, line, message) and the talks added, changed,
//       removed, kept and redated; ?format=github gives them as GitHub
//       Actions workflow commands (::error file=…,line=…::…), one a line.
//       One update at a time (409 while another runs); 409 when refused by
//       the guard, with nothing written.
#ifndef TALKSEARCH_ADMIN_API_H_
#define TALKSEARCH_ADMIN_API_H_

#include <httplib.h>

#include <memory>
#include <string>

#include "talksearch/response_cache.h"
#include "talksearch/searcher_pool.h"

namespace talksearch {

struct AdminConfig {
  std::string token;       // empty: the admin API answers 404
  std::string corpus_dir;  // empty: /api/admin/corpus answers 404
};

// The largest seminar page /api/admin/corpus takes (the page is ~160 KB).
inline constexpr size_t kMaxCorpusPageBytes = 4 << 20;

// Whether `path` is an admin route (they take POST).
bool IsAdminPath(const std::string& path);

// Registers the admin routes. `pool` and `cache` must outlive the server.
void InstallAdminApi(httplib::Server& server, SearcherPool& pool,
                     std::shared_ptr<ResponseCache> cache, const AdminConfig& config);

}  // namespace talksearch

#endif  // TALKSEARCH_ADMIN_API_H_
