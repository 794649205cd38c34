// The guard between a corpus and the index it updates: what an update would
// remove and redate, and whether that needs the maintainer's confirmation.
//
// A corpus typo can hide talks without any parse problem: a stray "<!--"
// that a later comment's "-->" closes hides every session between them, and
// the year of each session below moves with its neighbours. Comparing the
// corpus with the index catches what the parser cannot see.
#ifndef TALKSEARCH_UPDATE_GUARD_H_
#define TALKSEARCH_UPDATE_GUARD_H_

#include <string>
#include <vector>

#include "talksearch/talk.h"

namespace talksearch {

// A talk as the index holds it.
struct IndexedTalk {
  std::string id;
  std::string date;   // YYYY-MM-DD, or "" when unknown
  std::string title;  // "" when the stored talk cannot be read
};

struct RedatedTalk {
  IndexedTalk indexed;
  std::string new_date;
};

struct UpdatePreview {
  std::vector<const Talk*> added;      // in the corpus, not in the index
  std::vector<IndexedTalk> removed;    // in the index, not in the corpus
  std::vector<RedatedTalk> redated;    // in both, with another date
};

// More removals or date moves than this in one update need confirmation
// (talks-index --allow-removals): a maintainer drops or corrects a talk or
// two at a time; more is what a hiding typo looks like.
inline constexpr size_t kFewTalks = 2;

// The talks of the index at `db_dir` (a database or a sharded index), in id
// order. Throws Xapian::Error when it cannot be opened.
std::vector<IndexedTalk> ReadIndexedTalks(const std::string& db_dir);

// What replacing `indexed` by `corpus` adds, removes and redates (each in id
// order; `added` points into `corpus`).
UpdatePreview PreviewUpdate(const std::vector<IndexedTalk>& indexed,
                            const std::vector<Talk>& corpus);

// Whether the update removes or redates more than kFewTalks talks.
// `removes_absent` is false when absent talks are kept (a corpus with
// problems), so its removals do not happen.
bool NeedsConfirmation(const UpdatePreview& preview, bool removes_absent);

// "dlap-054 2023-10-26 研究ができる人工知能…" for a report line.
std::string Describe(const IndexedTalk& talk);
std::string Describe(const Talk& talk);

}  // namespace talksearch

#endif  // TALKSEARCH_UPDATE_GUARD_H_
