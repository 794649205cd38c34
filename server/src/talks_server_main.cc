// talks-server: the JSON search API (and optionally the search page).
//
//   talks-server --db DIR [--db tcp://HOST:PORT ...] [--bind 127.0.0.1] [--port 8080] [--static DIR]
//                [--threads N] [--connections N] [--cache-entries N] [--cors-origin PATTERN]... [--quiet]
//                [--mecab-dict DIR] [--mecab-userdic FILE|none] [--glossary FILE|none]
#include <sys/resource.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <cstdio>
#include <string>
#include <thread>

#include "talksearch/command_line.h"
#include "talksearch/http_api.h"

namespace {

talksearch::TalksHttpServer* g_server = nullptr;

void Stop(int) {
  if (g_server) g_server->stop();
}

void Usage(std::FILE* out) {
  std::fprintf(out,
               "usage: talks-server --db DIR|tcp://HOST:PORT [--db ...] [--bind 127.0.0.1] [--port 8080]\n"
               "                    [--static DIR] [--threads N] [--connections N] [--cache-entries N]\n"
               "                    [--cors-origin PATTERN]... [--admin-token-file FILE] [--quiet]\n"
               "                    %s\n"
               "                    [--max-connections N] [--max-connections-per-client N]\n"
               "  --db      a database directory, a sharded index (talks-index --shards), or a\n"
               "            shard served by xapian-tcpsrv; repeat to search several as one\n"
               "  --corpus DIR  the corpus POST /api/admin/corpus writes the seminar page to\n"
               "            and reindexes from (off without it)\n"
               "  --cache-entries N  search responses kept for 1 s (default 4096; 0 = off)\n"
               "  --connections N    requests answered at once (default 64); idle and slow\n"
               "            connections wait without a thread\n"
               "  --max-connections N, --max-connections-per-client N  open connections\n"
               "            allowed (default 8192 and 512); more are answered 503\n"
               "  --config FILE  (first) settings as \"key = value\" lines (default\n"
               "            $TALKSEARCH_CONFIG, else /etc/talksearch/talksearch.conf if it\n"
               "            exists); flags on the command line win\n"
               "  The admin token (POST /api/admin/reload) may also come from\n"
               "  TALKSEARCH_ADMIN_TOKEN; without one the admin API is off.\n",
               talksearch::kAnalysisFlagsUsage);
}

// Each connection is a file descriptor; the soft limit (often 1,024) would
// refuse connections long before --max-connections.
void RaiseOpenFileLimit(size_t connections) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = std::min<rlim_t>(limit.rlim_max, connections + 256);
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = wanted;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> db_specs;
  std::string bind = "127.0.0.1";
  talksearch::AnalysisFlags analysis;
  int port = 8080;
  // Search workers: one Searcher (Xapian database + MeCab lattice) each, as
  // many as there are cores. Connection threads: httplib serves a keep-alive
  // connection on one thread, so there are more of them than workers; they
  // wait for a free Searcher rather than keep other connections waiting.
  size_t threads = std::max(2u, std::thread::hardware_concurrency());
  talksearch::ConnectionLimits limits;
  size_t& connections = limits.worker_threads;
  talksearch::ServerConfig config;
  bool custom_origins = false, db_from_config = false;
  std::string admin_token_file;
  talksearch::CommandLine args("talks-server", argc, argv);
  while (args.Next()) {
    const std::string& arg = args.arg();
    auto value = [&args] { return args.Value(); };
    if (analysis.Take(args)) continue;
    try {
      if (arg == "--db") {
        // Databases typed on the command line replace the configured ones.
        if (!args.FromConfig() && db_from_config) db_specs.clear();
        db_from_config = args.FromConfig();
        db_specs.push_back(value());
      }
      else if (arg == "--bind") bind = value();
      else if (arg == "--port") port = std::stoi(value());
      else if (arg == "--static") config.static_dir = value();
      else if (arg == "--corpus") config.corpus_dir = value();
      else if (arg == "--threads") threads = std::stoul(value());
      else if (arg == "--connections") connections = std::stoul(value());
      else if (arg == "--cache-entries") config.cache_entries = std::stoul(value());
      else if (arg == "--max-connections") limits.max_connections = std::stoul(value());
      else if (arg == "--max-connections-per-client") {
        limits.max_connections_per_client = std::stoul(value());
      }
      else if (arg == "--quiet") config.access_log = false;
      else if (arg == "--admin-token-file") admin_token_file = value();
      else if (arg == "--cors-origin") {
        if (!custom_origins) config.cors_origins.clear();
        custom_origins = true;
        config.cors_origins.push_back(value());
      } else if (args.IsHelp()) { Usage(stdout); return 0; }
      else if (args.FromConfig()) continue;  // another program's setting
      else {
        args.ReportUnknown();
        Usage(stderr);
        return 2;
      }
    } catch (const std::exception&) {
      std::fprintf(stderr, "talks-server: %s wants a number\n", arg.c_str());
      return 2;
    }
  }
  if (db_specs.empty() || port < 0 || port > 65535 || threads == 0 || threads > 256 ||
      connections < threads || connections > 4096 || limits.max_connections == 0 ||
      limits.max_connections_per_client == 0) {
    Usage(stderr);
    return 2;
  }
  // The admin token: from a file (first line) or TALKSEARCH_ADMIN_TOKEN.
  if (!admin_token_file.empty()) {
    std::ifstream in(admin_token_file);
    if (!in || !std::getline(in, config.admin_token) || config.admin_token.empty()) {
      std::fprintf(stderr, "talks-server: cannot read a token from %s\n", admin_token_file.c_str());
      return 2;
    }
  } else if (const char* env = std::getenv("TALKSEARCH_ADMIN_TOKEN")) {
    config.admin_token = env;
  }
  try {
    auto model = analysis.OpenModel();
    talksearch::SearcherPool pool(db_specs, model,
                                  analysis.LoadGlossary(model),
                                  threads);
    RaiseOpenFileLimit(limits.max_connections);
    talksearch::TalksHttpServer server(limits);
    talksearch::InstallApi(server, pool, config);
    const int bound = server.Bind(bind, port);
    if (bound < 0) {
      std::fprintf(stderr, "talks-server: cannot listen on %s:%d: %s\n", bind.c_str(), port,
                   errno == EADDRINUSE ? "the port is in use (is another talks-server running?)"
                                       : std::strerror(errno));
      return 1;
    }
    g_server = &server;
    std::signal(SIGINT, Stop);
    std::signal(SIGTERM, Stop);
    Xapian::doccount talks = 0;
    size_t shards = 0;
    std::string databases;
    {
      auto searcher = pool.Borrow();  // one lease: a pool of one would wait on a second
      talks = searcher->DocumentCount();
      shards = searcher->ShardCount();
      databases = searcher->DatabaseDescription();
    }
    std::fprintf(stderr,
                 "talks-server: serving %s (%u talks, %zu shards) on http://%s:%d/ with %zu search "
                 "workers, %zu connection threads\n",
                 databases.c_str(), talks, shards, bind.c_str(), bound, threads,
                 connections);
    server.listen_after_bind();
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "talks-server: %s\n", e.get_description().c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "talks-server: %s\n", e.what());
    return 1;
  }
  return 0;
}
