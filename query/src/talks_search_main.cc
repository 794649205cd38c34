// talks-search: query the index from the command line.
//
//   talks-search --db DIR|tcp://HOST:PORT [--db ...] [--json] [--limit N] [--offset N]
//                [--sort relevance|newest|oldest] [--mecab-dict DIR]
//                [--mecab-userdic FILE|none] [--glossary FILE|none] QUERY...
//
// With --json it prints exactly the body of GET /api/search.
#include <cstdio>
#include <iostream>
#include <string>

#include "talksearch/command_line.h"
#include "talksearch/search_json.h"
#include "talksearch/searcher.h"

namespace {

void Usage(std::FILE* out) {
  std::fprintf(out,
               "usage: talks-search --db DIR [--json | --stats] [--limit N] [--offset N]\n"
               "                    [--sort relevance|newest|oldest]\n"
               "                    %s QUERY...\n",
               talksearch::kAnalysisFlagsUsage);
}

bool ParseSize(const std::string& s, size_t& out) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  out = std::stoul(s);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> db_specs;
  std::string query;
  talksearch::AnalysisFlags analysis;
  bool json = false, stats = false, db_from_config = false;
  talksearch::SearchRequest request;
  talksearch::CommandLine args("talks-search", argc, argv);
  auto add_word = [&query](const std::string& word) { query += (query.empty() ? "" : " ") + word; };
  while (args.Next()) {
    const std::string& arg = args.arg();
    if (analysis.Take(args)) continue;
    if (arg == "--db") {
      // Databases typed on the command line replace the configured ones.
      if (!args.FromConfig() && db_from_config) db_specs.clear();
      db_from_config = args.FromConfig();
      db_specs.push_back(args.Value());
    }
    else if (arg == "--json") json = true;
    else if (arg == "--stats") stats = true;
    else if (arg == "--limit" || arg == "--offset") {
      size_t n;
      if (!ParseSize(args.Value(), n)) {
        std::fprintf(stderr, "talks-search: %s wants a number\n", arg.c_str());
        return 2;
      }
      (arg == "--limit" ? request.limit : request.offset) = n;
    } else if (arg == "--sort") {
      std::string s = args.Value();
      if (s == "relevance") request.sort = talksearch::SortOrder::kRelevance;
      else if (s == "newest") request.sort = talksearch::SortOrder::kNewest;
      else if (s == "oldest") request.sort = talksearch::SortOrder::kOldest;
      else { std::fprintf(stderr, "talks-search: --sort is relevance, newest or oldest\n"); return 2; }
    } else if (args.IsHelp()) { Usage(stdout); return 0; }
    else if (args.FromConfig()) continue;  // another program's setting
    else if (arg == "--") { while (args.Next()) add_word(args.arg()); }
    else add_word(arg);
  }
  if (db_specs.empty() || (query.empty() && !stats)) {
    Usage(stderr);
    return 2;
  }
  request.query = query;
  try {
    auto model = analysis.OpenModel();
    talksearch::Searcher searcher(db_specs, model,
                                  analysis.LoadGlossary(model));
    if (stats) {  // what a health check reports, for scripts
      std::printf("{\"documents\": %u, \"revision\": %lu}\n", searcher.DocumentCount(),
                  static_cast<unsigned long>(searcher.Revision()));
      return 0;
    }
    talksearch::SearchResponse response = searcher.Search(request);
    if (json) {
      std::cout << talksearch::SearchResponseToJson(response).dump() << "\n";
      return 0;
    }
    std::printf("%u results for %s (%.2f ms)\n", response.total, query.c_str(), response.took_ms);
    size_t rank = request.offset;
    for (const auto& hit : response.hits) {
      std::printf("%3zu. [%6.3f] %-10s %s  %s — %s\n", ++rank, hit.score, hit.talk.date.c_str(),
                  hit.talk.id.c_str(), hit.talk.title.c_str(), hit.talk.SpeakerNames().c_str());
    }
  } catch (const talksearch::QueryError& e) {
    std::fprintf(stderr, "talks-search: %s\n", e.what());
    return 2;
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "talks-search: %s\n", e.get_description().c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "talks-search: %s\n", e.what());
    return 1;
  }
  return 0;
}
