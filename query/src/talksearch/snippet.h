// Keyword-in-context excerpts with highlighted matches.
#ifndef TALKSEARCH_SNIPPET_H_
#define TALKSEARCH_SNIPPET_H_

#include <set>
#include <string>

#include "talksearch/analyzer.h"

namespace talksearch {

// Returns about `max_chars` characters of `text` around its densest cluster
// of matches, HTML-escaped, with each matched word wrapped once in
// <mark>…</mark> (adjacent matched bigrams merge into one mark, so a
// Japanese word is marked whole, never per character). "…" marks a cut.
// Without any match, the beginning of the text.
// A bigram run marks text only where the whole run occurs in sequence, so a
// stray shared character pair is never highlighted.
std::string MakeSnippet(const std::string& text,
                        const std::set<std::string>& word_terms,
                        const std::set<std::vector<std::string>>& bigram_runs,
                        Analyzer& analyzer, size_t max_chars = 120);

std::string HtmlEscape(std::string_view text);

}  // namespace talksearch

#endif  // TALKSEARCH_SNIPPET_H_
