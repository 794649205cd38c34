#include "talksearch/relevance.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "talksearch/normalizer.h"
#include "talksearch/text_lines.h"

namespace talksearch {
namespace {

std::string Squash(std::string_view s) { return NormalizeWithout(s, " \t"); }

}  // namespace

std::vector<JudgedQuery> ParseJudgedQueries(std::string_view text,
                                            const std::string& file_name) {
  std::vector<JudgedQuery> out;
  ForEachDataLine(text, [&](std::string_view data, int number) {
    const std::string line(data);
    const size_t tab = line.find('\t');
    auto fail = [&](const std::string& why) {
      throw std::runtime_error(file_name + ":" + std::to_string(number) + ": " + why);
    };
    if (tab == std::string::npos) fail("expected query<TAB>judgments");
    JudgedQuery q;
    q.query = line.substr(0, tab);
    q.line = number;
    std::istringstream judgments(line.substr(tab + 1));
    std::string item;
    while (std::getline(judgments, item, '|')) {
      const size_t colon = item.find(':');
      if (colon == std::string::npos || colon == 0) fail("judgment '" + item + "' is not grade:fragment");
      Judgment j;
      try {
        j.grade = std::stoi(item.substr(0, colon));
      } catch (const std::exception&) {
        fail("grade in '" + item + "' is not a number");
      }
      j.title_fragment = item.substr(colon + 1);
      if (j.grade < 0 || j.grade > 3 || j.title_fragment.empty()) fail("bad judgment '" + item + "'");
      q.judgments.push_back(j);
    }
    if (q.query.empty() || q.judgments.empty()) fail("empty query or judgments");
    out.push_back(std::move(q));
  });
  return out;
}

std::vector<JudgedQuery> LoadJudgedQueries(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseJudgedQueries(buffer.str(), path);
}

QueryScore ScoreRanking(const JudgedQuery& judged,
                        const std::vector<std::string>& ranked_titles) {
  QueryScore score;
  score.query = judged.query;
  std::vector<std::string> fragments;
  std::vector<int> grades;
  for (const Judgment& j : judged.judgments) {
    fragments.push_back(Squash(j.title_fragment));
    grades.push_back(j.grade);
  }
  std::vector<bool> credited(fragments.size(), false);
  double dcg = 0;
  size_t found = 0;
  size_t relevant_total = 0;
  for (int g : grades) relevant_total += g > 0;
  for (size_t rank = 0; rank < ranked_titles.size() && rank < 10; ++rank) {
    const std::string title = Squash(ranked_titles[rank]);
    int grade = 0;
    for (size_t f = 0; f < fragments.size(); ++f) {
      // Each judged talk counts once, at its best rank.
      if (!credited[f] && title.find(fragments[f]) != std::string::npos) {
        credited[f] = true;
        grade = std::max(grade, grades[f]);
        found += grades[f] > 0;
      }
    }
    if (grade > 0) {
      dcg += (std::pow(2.0, grade) - 1) / std::log2(rank + 2.0);
      if (score.reciprocal_rank == 0) score.reciprocal_rank = 1.0 / (rank + 1);
    }
  }
  std::vector<int> ideal = grades;
  std::sort(ideal.rbegin(), ideal.rend());
  double idcg = 0;
  for (size_t i = 0; i < ideal.size() && i < 10; ++i) {
    idcg += (std::pow(2.0, ideal[i]) - 1) / std::log2(i + 2.0);
  }
  score.ndcg10 = idcg > 0 ? dcg / idcg : 0;
  score.recall10 = relevant_total ? static_cast<double>(found) / relevant_total : 0;
  return score;
}

namespace {

void Add(RelevanceReport& report, QueryScore s) {
  report.mean_ndcg10 += s.ndcg10;
  report.mean_reciprocal_rank += s.reciprocal_rank;
  report.mean_recall10 += s.recall10;
  report.queries.push_back(std::move(s));
}

void Average(RelevanceReport& report) {
  if (report.queries.empty()) return;
  report.mean_ndcg10 /= report.queries.size();
  report.mean_reciprocal_rank /= report.queries.size();
  report.mean_recall10 /= report.queries.size();
}

}  // namespace

RelevanceReport Evaluate(Searcher& searcher, const std::vector<JudgedQuery>& queries) {
  RelevanceReport report;
  for (const JudgedQuery& q : queries) {
    SearchRequest request;
    request.query = q.query;
    request.limit = 10;
    std::vector<std::string> titles, ids;
    try {
      for (const SearchHit& hit : searcher.Search(request).hits) {
        titles.push_back(hit.talk.title);
        ids.push_back(hit.talk.id);
      }
    } catch (const QueryError&) {
      // An unanswerable query scores zero, as a user would see it.
    }
    QueryScore s = ScoreRanking(q, titles);
    s.top_ids = ids;
    Add(report, std::move(s));
  }
  Average(report);
  return report;
}

RelevanceReport EvaluateRankings(Searcher& searcher, const std::vector<JudgedQuery>& queries,
                                 const std::map<std::string, std::vector<std::string>>& rankings) {
  RelevanceReport report;
  for (const JudgedQuery& q : queries) {
    std::vector<std::string> titles, ids;
    auto it = rankings.find(q.query);
    if (it != rankings.end()) {
      for (const std::string& id : it->second) {
        if (titles.size() == 10) break;
        std::optional<Talk> talk = searcher.GetTalk(id);
        titles.push_back(talk ? talk->title : "");
        ids.push_back(id);
      }
    }
    QueryScore s = ScoreRanking(q, titles);
    s.top_ids = ids;
    Add(report, std::move(s));
  }
  Average(report);
  return report;
}

std::map<std::string, std::vector<std::string>> LoadRankings(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::map<std::string, std::vector<std::string>> rankings;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string query, id;
    std::getline(fields, query, '\t');
    auto& ids = rankings[query];
    while (std::getline(fields, id, '\t')) {
      if (!id.empty()) ids.push_back(id);
    }
  }
  return rankings;
}

}  // namespace talksearch
