// Seminar page text for parser tests: sessions written as the page writes
// them, and the lines problems were reported at.
#ifndef TALKSEARCH_TESTS_SEMINAR_TEXT_H_
#define TALKSEARCH_TESTS_SEMINAR_TEXT_H_

#include <string>
#include <vector>

#include "talksearch/corpus.h"

namespace talksearch::testing {

// A session of five lines: heading, 日時, 発表者, 発表題目, 概要.
inline std::string Session(const std::string& heading, const std::string& date,
                           const std::string& title,
                           const std::string& abstract = "抄録です。") {
  return heading + "\n日時: " + date + "<br>\n発表者: 某 氏 (某大学)<br>\n発表題目: " + title +
         "<br>\n概要: " + abstract + "<br>\n";
}

inline std::vector<int> ProblemLines(const CorpusParseResult& r) {
  std::vector<int> lines;
  for (const auto& p : r.problems) lines.push_back(p.line);
  return lines;
}

}  // namespace talksearch::testing

#endif  // TALKSEARCH_TESTS_SEMINAR_TEXT_H_
