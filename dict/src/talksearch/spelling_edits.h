// How far "did you mean" reaches: a typed word of up to
// kShortSpellingWord code points is corrected to an index word at most one
// edit away, a longer one two. The searcher's corrector (corrector.h) and
// the static bundle's (static_bundle.h) both read it.
#ifndef TALKSEARCH_SPELLING_EDITS_H_
#define TALKSEARCH_SPELLING_EDITS_H_

#include <cstddef>

namespace talksearch {

inline constexpr size_t kShortSpellingWord = 5;

constexpr unsigned SpellingMaxEdits(size_t code_points) {
  return code_points <= kShortSpellingWord ? 1 : 2;
}

}  // namespace talksearch

#endif  // TALKSEARCH_SPELLING_EDITS_H_
