// talks-eval: ranking quality on judged queries.
//
//   talks-eval --db DIR --queries FILE [--queries FILE...] [--verbose] [--latency ROUNDS]
//              [--postings-floor ROUNDS]
//              [--title-weight W] [--speaker-weight W] [--bigram-weight W]
//              [--references-weight W] [--glossary-weight W] [--operator and|or]
//              [--optional-weight W]
//              [--parallel-min-documents N]
//              [--mecab-dict DIR] [--mecab-userdic FILE|none] [--glossary FILE|none]
//
// Prints nDCG@10, MRR and recall@10 per file (and per query with
// --verbose). With --rankings FILE ("query<TAB>id<TAB>id…" lines) it scores
// another system's rankings instead (bench/compare_relevance.sh). The weight flags let a ranking change be measured on the whole
// judged set before it becomes the default in query_builder.h.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "talksearch/command_line.h"
#include "talksearch/query_builder.h"
#include "talksearch/query_parser.h"
#include "talksearch/relevance.h"

namespace {

void Usage(std::FILE* out) {
  std::fprintf(out,
               "usage: talks-eval --db DIR --queries FILE [--queries FILE...] [--verbose]\n"
               "                  [--rankings FILE] [--latency ROUNDS] [--postings-floor ROUNDS]\n"
               "                  [--parallel-min-documents N] [--operator and|soft|or] [weights]\n"
               "                  %s\n"
               "  weights: --title-weight W, --speaker-weight W, --affiliation-weight W,\n"
               "           --references-weight W, --bigram-weight W, --reading-weight W,\n"
               "           --panelist-weight W, --narrower-weight W, --related-weight W,\n"
               "           --all-words-weight W, --glossary-weight W, --optional-weight W,\n"
               "           --abstract-weight W, --bm25-k1 K, --bm25-b B\n",
               talksearch::kAnalysisFlagsUsage);
}

// --latency R: every query of the files, as the API runs it (top 10 with
// facets, snippets and did-you-mean), R rounds after one unmeasured warm-up
// round; prints p50, p99 and mean wall time per search. --parallel-min-documents
// N: search in two halves on two threads from N talks on, not from
// Searcher::kParallelMinDocuments (0: always; 4294967295: never).
int ReportLatency(talksearch::Searcher& searcher, const std::vector<std::string>& files,
                  int rounds, bool verbose) {
  std::vector<std::string> queries;
  for (const std::string& file : files) {
    for (const auto& q : talksearch::LoadJudgedQueries(file)) queries.push_back(q.query);
  }
  std::vector<double> ms;
  std::vector<double> slowest(queries.size(), 0.0);  // per query, over the rounds
  for (int round = 0; round <= rounds; ++round) {
    for (size_t i = 0; i < queries.size(); ++i) {
      const std::string& q = queries[i];
      talksearch::SearchRequest request;
      request.query = q;
      const auto start = std::chrono::steady_clock::now();
      searcher.Search(request);
      const double took =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      if (round > 0) {
        ms.push_back(took);
        slowest[i] = std::max(slowest[i], took);
      }
    }
  }
  if (verbose) {  // the slowest queries first: where to look
    std::vector<size_t> order(queries.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return slowest[a] > slowest[b]; });
    for (size_t i = 0; i < std::min<size_t>(20, order.size()); ++i) {
      std::printf("%10.3f ms  %s\n", slowest[order[i]], queries[order[i]].c_str());
    }
  }
  std::sort(ms.begin(), ms.end());
  double sum = 0;
  for (double m : ms) sum += m;
  std::printf("latency: %zu searches  p50 %.3f ms  p99 %.3f ms  mean %.3f ms\n", ms.size(),
              talksearch::Percentile(ms, 0.50), talksearch::Percentile(ms, 0.99), sum / ms.size());
  return 0;
}

// --postings-floor R: for every query of the files, the time to read the
// posting lists of all the terms its search ranks (no matching, scoring or
// counting: Xapian's PostingIterator over each, R rounds, the fastest
// kept). No search of exact counts and facets can take less on this index;
// prints p50, p99 and mean, and with --verbose the slowest queries.
int ReportPostingsFloor(const std::string& db_dir, std::shared_ptr<talksearch::MecabModel> model,
                        std::shared_ptr<const talksearch::Glossary> glossary,
                        const talksearch::RankingParams& params,
                        const std::vector<std::string>& files, int rounds, bool verbose) {
  Xapian::Database db(db_dir);
  talksearch::Analyzer analyzer(model);
  struct Floor {
    std::string query;
    size_t terms = 0, postings = 0;
    double ms = 0;
    std::vector<std::pair<size_t, std::string>> longest;  // (postings, term), longest first
  };
  std::vector<Floor> floors;
  volatile Xapian::docid sink = 0;
  for (const std::string& file : files) {
    for (const auto& judged : talksearch::LoadJudgedQueries(file)) {
      Floor floor;
      floor.query = judged.query;
      // No collection filter: the floor counts the words' postings only.
      const talksearch::BuiltQuery built = talksearch::BuildQuery(
          talksearch::ParseQuery(judged.query), analyzer, params, glossary.get(), "",
          [&db](const std::string& term) { return db.term_exists(term); });
      std::vector<std::string> terms(built.query.get_unique_terms_begin(),
                                     built.query.get_unique_terms_end());
      floor.terms = terms.size();
      if (verbose) {
        for (const std::string& term : terms) {
          floor.longest.emplace_back(db.get_termfreq(term), term);
        }
        std::sort(floor.longest.rbegin(), floor.longest.rend());
        if (floor.longest.size() > 8) floor.longest.resize(8);
      }
      floor.ms = 1e300;
      for (int round = 0; round < rounds; ++round) {
        const auto start = std::chrono::steady_clock::now();
        size_t postings = 0;
        for (const std::string& term : terms) {
          for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
            sink = sink ^ *p;  // each posting's id is decoded, as a match would
            ++postings;
          }
        }
        const double took = std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - start).count();
        floor.ms = std::min(floor.ms, took);
        floor.postings = postings;
      }
      floors.push_back(floor);
    }
  }
  std::sort(floors.begin(), floors.end(), [](const Floor& a, const Floor& b) { return a.ms > b.ms; });
  if (verbose) {
    for (size_t i = 0; i < std::min<size_t>(20, floors.size()); ++i) {
      std::printf("%10.3f ms  %2zu terms  %8zu postings  %s\n", floors[i].ms, floors[i].terms,
                  floors[i].postings, floors[i].query.c_str());
      if (i >= 5) continue;
      std::printf("            longest:");  // where the slowest queries' postings are
      for (const auto& [postings, term] : floors[i].longest) {
        std::printf(" %s %zu", term.c_str(), postings);
      }
      std::printf("\n");
    }
  }
  std::vector<double> ms;
  double sum = 0;
  for (const Floor& f : floors) {
    ms.push_back(f.ms);
    sum += f.ms;
  }
  std::sort(ms.begin(), ms.end());
  std::printf("postings floor: %zu queries  p50 %.3f ms  p99 %.3f ms  mean %.3f ms\n", ms.size(),
              talksearch::Percentile(ms, 0.50), talksearch::Percentile(ms, 0.99), sum / ms.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db_dir;
  talksearch::AnalysisFlags analysis;
  std::vector<std::string> files;
  std::string rankings_file;
  bool verbose = false;
  int latency_rounds = 0, floor_rounds = 0;
  std::optional<Xapian::doccount> parallel_min;
  talksearch::RankingParams params;
  talksearch::CommandLine args("talks-eval", argc, argv);
  while (args.Next()) {
    const std::string& arg = args.arg();
    auto value = [&args] { return args.Value(); };
    if (analysis.Take(args)) continue;
    if (arg == "--db") db_dir = value();
    else if (arg == "--queries") files.push_back(value());
    else if (arg == "--rankings") rankings_file = value();
    else if (arg == "--glossary-weight") params.glossary_weight = std::stod(value());
    else if (arg == "--optional-weight") params.optional_word_weight = std::stod(value());
    else if (arg == "--verbose" || arg == "-v") verbose = true;
    else if (arg == "--latency") latency_rounds = std::stoi(value());
    else if (arg == "--postings-floor") floor_rounds = std::stoi(value());
    else if (arg == "--parallel-min-documents") parallel_min = std::stoul(value());
    else if (arg == "--title-weight") params.title_weight = std::stod(value());
    else if (arg == "--speaker-weight") params.speaker_weight = std::stod(value());
    else if (arg == "--affiliation-weight") params.affiliation_weight = std::stod(value());
    else if (arg == "--references-weight") params.references_weight = std::stod(value());
    else if (arg == "--bigram-weight") params.bigram_weight = std::stod(value());
    else if (arg == "--reading-weight") params.reading_weight = std::stod(value());
    else if (arg == "--panelist-weight") params.panelist_weight = std::stod(value());
    else if (arg == "--narrower-weight") params.narrower_weight = std::stod(value());
    else if (arg == "--related-weight") params.related_weight = std::stod(value());
    else if (arg == "--all-words-weight") params.all_words_weight = std::stod(value());
    else if (arg == "--bm25-k1") params.bm25_k1 = std::stod(value());
    else if (arg == "--bm25-b") params.bm25_b = std::stod(value());
    else if (arg == "--abstract-weight") params.abstract_weight = std::stod(value());
    else if (arg == "--operator") {
      std::string op = value();
      params.default_operator = op == "and"    ? talksearch::DefaultOperator::kAnd
                                : op == "soft" ? talksearch::DefaultOperator::kSoftAnd
                                               : talksearch::DefaultOperator::kOr;
    } else if (args.IsHelp()) {
      Usage(stdout);
      return 0;
    } else if (args.FromConfig()) {
      continue;  // another program's setting
    } else {
      args.ReportUnknown();
      return 2;
    }
  }
  if (db_dir.empty() || files.empty()) {
    Usage(stderr);
    return 2;
  }
  try {
    auto model = analysis.OpenModel();
    const auto glossary = analysis.LoadGlossary(model);
    if (floor_rounds > 0) {
      return ReportPostingsFloor(db_dir, model, glossary, params, files, floor_rounds, verbose);
    }
    talksearch::Searcher searcher(db_dir, model, glossary, params);
    if (parallel_min) searcher.set_parallel_min_documents(*parallel_min);
    if (latency_rounds > 0) return ReportLatency(searcher, files, latency_rounds, verbose);
    for (const std::string& file : files) {
      auto queries = talksearch::LoadJudgedQueries(file);
      auto report = rankings_file.empty()
                        ? talksearch::Evaluate(searcher, queries)
                        : talksearch::EvaluateRankings(searcher, queries,
                                                       talksearch::LoadRankings(rankings_file));
      if (verbose) {
        for (const auto& q : report.queries) {
          std::printf("  %.3f  rr=%.2f  r@10=%.2f  %s  [", q.ndcg10, q.reciprocal_rank,
                      q.recall10, q.query.c_str());
          for (size_t i = 0; i < q.top_ids.size() && i < 5; ++i) {
            std::printf("%s%s", i ? " " : "", q.top_ids[i].c_str());
          }
          std::printf("]\n");
        }
      }
      std::printf("%s: %zu queries  nDCG@10 %.4f  MRR %.4f  recall@10 %.4f\n", file.c_str(),
                  queries.size(), report.mean_ndcg10, report.mean_reciprocal_rank,
                  report.mean_recall10);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "talks-eval: %s\n", e.what());
    return 1;
  }
  return 0;
}
