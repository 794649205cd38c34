// Seminar page parser, layer 1: the page as lines of text. Cuts the Markdown
// into numbered lines (HTML comments hidden, invalid UTF-8 and overlong
// lines repaired and reported) and turns a line's inline Markdown into the
// text a reader sees. Internal to the indexer (ParseSeminarPage in corpus.h
// is the public entry); pure functions, safe from any thread.
#ifndef TALKSEARCH_SEMINAR_MARKDOWN_H_
#define TALKSEARCH_SEMINAR_MARKDOWN_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace talksearch::seminar_page {

inline constexpr std::string_view kIdeographicSpace = "\u3000";

bool StartsWith(std::string_view s, std::string_view prefix);

// `s` without leading and trailing ASCII whitespace and U+3000.
std::string Trim(std::string_view s);

void ReplaceAll(std::string& s, std::string_view from, std::string_view to);

// The text a reader sees: Markdown links become their text, HTML tags are
// removed, entities decoded, a cut-off UTF-8 tail dropped, then trimmed.
std::string InlineToText(std::string_view markdown);

// Whether the line ends in <br> or <br/> (trailing whitespace ignored).
bool EndsWithBr(std::string_view line);

// GitHub's heading anchor: lowercase, punctuation dropped, spaces to '-'.
std::string HeadingAnchor(std::string_view heading);

// One line of the page; `number` counts from 1.
struct Line {
  int number;
  std::string text;
};

// Whether `line` reads as a session heading at any level ("# 第20回…",
// "## 第20回…", "#第20回").
bool LooksLikeSessionHeading(std::string_view line);

// Where a line is reported (line number, message).
using ProblemSink = std::function<void(int line, const std::string& message)>;

// The page's lines, CR and a leading BOM dropped, each cut to a length the
// regex-based readers can take, made valid UTF-8, and with the parts inside
// HTML comments removed. Each repair, an unclosed <!--, and a comment that
// hides a session heading are reported to `problem`.
std::vector<Line> SplitLines(std::string_view markdown, const ProblemSink& problem);

}  // namespace talksearch::seminar_page

#endif  // TALKSEARCH_SEMINAR_MARKDOWN_H_
