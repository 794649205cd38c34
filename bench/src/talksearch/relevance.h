// Judged queries and the ranking metrics computed from them.
//
// File format (that of ../shared/eval/queries.tsv): '#' comments, then
//   query<TAB>grade:title fragment|grade:title fragment|...
// grade 2 = the talk is about this, 1 = treated substantively. A result is
// the judged talk when the fragment (normalized, spaces removed) is a
// substring of its normalized title.
#ifndef TALKSEARCH_RELEVANCE_H_
#define TALKSEARCH_RELEVANCE_H_

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "talksearch/searcher.h"

namespace talksearch {

struct Judgment {
  int grade = 0;
  std::string title_fragment;
};

struct JudgedQuery {
  std::string query;
  std::vector<Judgment> judgments;
  int line = 0;
};

// Throws std::runtime_error naming file:line on a malformed line.
std::vector<JudgedQuery> ParseJudgedQueries(std::string_view text,
                                            const std::string& file_name);
std::vector<JudgedQuery> LoadJudgedQueries(const std::string& path);

struct QueryScore {
  std::string query;
  double ndcg10 = 0;
  double reciprocal_rank = 0;
  double recall10 = 0;
  std::vector<std::string> top_ids;  // for reports
};

struct RelevanceReport {
  std::vector<QueryScore> queries;
  double mean_ndcg10 = 0;
  double mean_reciprocal_rank = 0;
  double mean_recall10 = 0;
};

// Scores a ranked list of titles against one query's judgments.
QueryScore ScoreRanking(const JudgedQuery& judged,
                        const std::vector<std::string>& ranked_titles);

// Runs every judged query through `searcher` (top 10) and scores it.
RelevanceReport Evaluate(Searcher& searcher, const std::vector<JudgedQuery>& queries);

// Scores another system's rankings: `rankings` maps a query to its ranked
// talk ids; titles are looked up with `searcher`. A judged query missing
// from `rankings` scores zero.
RelevanceReport EvaluateRankings(Searcher& searcher, const std::vector<JudgedQuery>& queries,
                                 const std::map<std::string, std::vector<std::string>>& rankings);

// Reads "query<TAB>id<TAB>id…" lines (the comparison baselines' output).
std::map<std::string, std::vector<std::string>> LoadRankings(const std::string& path);

// The value at fraction `p` (0.5: the median) of `sorted` (ascending, not
// empty): the one talks-eval --latency and talks-bench report as p50/p99.
inline double Percentile(const std::vector<double>& sorted, double p) {
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

}  // namespace talksearch

#endif  // TALKSEARCH_RELEVANCE_H_
