// "More like this": the seminar talks closest in content to one talk, by
// Xapian's relevance feedback on its title and abstract words (or, for an
// index without termlists, those words analysed again from the stored
// talk). Internal to the query library: Searcher::Related is the contract.
#ifndef TALKSEARCH_RELATED_TALKS_H_
#define TALKSEARCH_RELATED_TALKS_H_

#include <xapian.h>

#include <optional>
#include <string>
#include <vector>

#include "talksearch/analyzer.h"
#include "talksearch/index_snapshot.h"
#include "talksearch/searcher.h"

namespace talksearch {

// Up to `limit` seminar talks (collection kDefaultCollection) related to
// talk `id` of `db`, best first, without the talk itself; std::nullopt
// when there is no such talk. Reads stored talks through `snapshot` (moved
// to the current revision first) and analyses with `analyzer`: not
// thread-safe. Throws Xapian::Error (DatabaseModifiedError: retry on a
// reopened database).
std::optional<std::vector<SearchHit>> RelatedTalks(const Xapian::Database& db,
                                                   IndexSnapshot& snapshot, Analyzer& analyzer,
                                                   const std::string& id, size_t limit);

}  // namespace talksearch

#endif  // TALKSEARCH_RELATED_TALKS_H_
