// What each hit of a page matched, per way and term: the API's
// "matched_terms" (SearchHit::matched_terms), from the labels and origins
// the query builder gave the query's terms (BuiltQuery::term_via and
// term_origin) and the ways MatchedVia found each hit matched. Internal to
// the query library: Searcher::Search is the contract.
//
// Not thread-safe: one per Searcher. Holds references to the databases, the
// glossary and the snapshot, which must outlive it.
#ifndef TALKSEARCH_MATCHED_TERMS_H_
#define TALKSEARCH_MATCHED_TERMS_H_

#include <xapian.h>

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "talksearch/database_set.h"
#include "talksearch/glossary.h"
#include "talksearch/index_snapshot.h"
#include "talksearch/query_builder.h"
#include "talksearch/searcher.h"

namespace talksearch {

class MatchedTermsFinder {
 public:
  // `glossary` may be null. With remote shards, whose postlists come
  // whole, hits' termlists are read instead.
  MatchedTermsFinder(const DatabaseSet& databases, const Glossary* glossary,
                     IndexSnapshot& snapshot)
      : databases_(databases), glossary_(glossary), snapshot_(snapshot) {}

  // For each of `page`'s talks, what it matched: one entry per kind and
  // form (BuiltQuery::term_via and term_origin) it has a term of, among the
  // kinds `via` (MatchedVia) gives it; a glossary concept as the form the
  // talk has (FormInTalk), a related one as the concept the talk names.
  // Throws Xapian::Error.
  std::map<Xapian::docid, std::vector<MatchedTerm>> Find(
      const std::vector<Xapian::docid>& page, const BuiltQuery& built,
      const std::map<Xapian::docid, std::set<std::string>>& via);

 private:
  // Of `docids` (sorted), those that have any of `terms`, in order.
  std::vector<Xapian::docid> HavingAny(const std::vector<Xapian::docid>& docids,
                                       const std::vector<std::string>& terms);
  // Of `docs` (sorted), each talk's concept that is narrower than (within
  // two links) or related to glossary `concept`: the first the talk names.
  std::map<Xapian::docid, size_t> NamedConcepts(std::vector<Xapian::docid> docs, size_t concept);
  // The form of glossary `concept` found in talk `doc`'s title or abstract,
  // else its first form.
  std::string FormInTalk(Xapian::docid doc, size_t concept);

  const DatabaseSet& databases_;
  const Glossary* glossary_;
  IndexSnapshot& snapshot_;
  std::unordered_map<size_t, std::vector<std::string>> normalized_forms_;  // by concept
};

}  // namespace talksearch

#endif  // TALKSEARCH_MATCHED_TERMS_H_
