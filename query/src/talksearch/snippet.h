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
std::string MakeSnippet(const std::string& text,
                        const std::set<std::string>& word_terms,
                        const std::set<std::string>& bigram_terms,
                        Analyzer& analyzer, size_t max_chars = 120);

std::string HtmlEscape(std::string_view text);

}  // namespace talksearch

#endif  // TALKSEARCH_SNIPPET_H_
