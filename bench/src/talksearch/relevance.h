// Judged queries and the ranking metrics computed from them.
//
// File format (that of ../shared/eval/queries.tsv): '#' comments, then
//   query<TAB>grade:title fragment|grade:title fragment|...
// grade 2 = the talk is about this, 1 = treated substantively. A result is
// the judged talk when the fragment (normalized, spaces removed) is a
// substring of its normalized title.
#ifndef TALKSEARCH_RELEVANCE_H_
#define TALKSEARCH_RELEVANCE_H_

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

}  // namespace talksearch

#endif  // TALKSEARCH_RELEVANCE_H_
