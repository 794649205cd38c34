// Keyword-in-context excerpts with highlighted matches.
#ifndef TALKSEARCH_SNIPPET_H_
#define TALKSEARCH_SNIPPET_H_

#include <set>
#include <string>

#include <vector>

namespace talksearch {

// Returns about `max_chars` characters of `text` around its densest cluster
// of matches, HTML-escaped, with each match wrapped once in <mark>…</mark>
// (touching matches merge into one mark). "…" marks a cut. Without any
// match, the beginning of the text.
//
// Matches are found by plain search in the normalized text (NFKC, case
// folded, mapped back to the source), not by analysing it: MeCab over every
// hit's abstract was a quarter of a search. An English word term (a stem)
// marks the whole words it starts ("diffus" → "diffusion"); a Japanese
// word (at least two characters) or a bigram run (joined: 拡散モデル) marks
// wherever it occurs, so a stray shared character pair is never marked.
std::string MakeSnippet(const std::string& text,
                        const std::set<std::string>& word_terms,
                        const std::set<std::vector<std::string>>& bigram_runs,
                        size_t max_chars = 120);

std::string HtmlEscape(std::string_view text);

}  // namespace talksearch

#endif  // TALKSEARCH_SNIPPET_H_
