// Reading the line-oriented data files maintainers edit (glossary,
// judged queries, JSON Lines sources).
#ifndef TALKSEARCH_TEXT_LINES_H_
#define TALKSEARCH_TEXT_LINES_H_

#include <string_view>

namespace talksearch {

// Calls fn(line, number) for every line of `text` that holds data: blank
// lines and lines starting with '#' are skipped, a trailing CR is dropped,
// and `number` counts from 1 over all lines, for file:line messages.
template <typename Fn>
void ForEachDataLine(std::string_view text, Fn&& fn) {
  int number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos || line.front() == '#') continue;
    fn(line, number);
  }
}

}  // namespace talksearch

#endif  // TALKSEARCH_TEXT_LINES_H_
