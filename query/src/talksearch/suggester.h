// Completions for the search box (GET /api/suggest), fast enough to call on
// every keystroke: a few thousand candidates held in memory and scanned.
//
// Candidates are talk titles, speaker names and the glossary's forms that
// occur in the index. A typed prefix matches a candidate's start, a word
// inside a title, or — typed in kana — the candidate's reading, so かくさ
// completes to 拡散モデル.
//
// Thread-safety: immutable after construction; Suggest() may be called from
// any number of threads.
#ifndef TALKSEARCH_SUGGESTER_H_
#define TALKSEARCH_SUGGESTER_H_

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "talksearch/analyzer.h"
#include "talksearch/glossary.h"
#include "talksearch/stored_talk.h"

namespace talksearch {

struct Suggestion {
  std::string text;
  std::string kind;  // "title", "speaker" or "term"
};

class Suggester {
 public:
  // Reads the seminar talks (collection "talks") of `db`, stored as `codec`
  // encodes them. Throws what StoredTalkCodec::Decode throws.
  Suggester(const Xapian::Database& db, const StoredTalkCodec& codec, const Glossary* glossary,
            Analyzer& analyzer);

  // At most `limit` completions of `prefix`, best first.
  std::vector<Suggestion> Suggest(std::string_view prefix, size_t limit) const;

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Suggestion suggestion;
    std::string key;      // normalized, spaces removed
    std::string reading;  // folded katakana reading
    Xapian::doccount frequency = 0;  // talks it occurs in
    std::string normalized;  // with spaces, for matching inside a title
    int concept_id = -1;     // glossary concept: one completion per concept
  };
  std::vector<Entry> entries_;
};

}  // namespace talksearch

#endif  // TALKSEARCH_SUGGESTER_H_
