// What a Searcher remembers of one revision of its index, shared by its
// parts (search, facets, related talks, suggestions): whether a term is in
// the index, the stored talks of hits (parsed, and normalized once
// highlighted), how talks are stored (the codec), the facet table and
// the document lengths.
// Internal to the query library.
//
// Not thread-safe: one per Searcher. Holds a reference to the
// DatabaseSet, which must outlive it.
#ifndef TALKSEARCH_INDEX_SNAPSHOT_H_
#define TALKSEARCH_INDEX_SNAPSHOT_H_

#include <xapian.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "talksearch/database_set.h"
#include "talksearch/normalizer.h"
#include "talksearch/search_facets.h"
#include "talksearch/stored_talk.h"
#include "talksearch/talk.h"
#include "talksearch/term_at_a_time.h"

namespace talksearch {

class IndexSnapshot {
 public:
  explicit IndexSnapshot(const DatabaseSet& databases) : databases_(databases) {}

  // Drops what an older revision said (at the start of each search, not
  // per term looked up), and bounds what is remembered.
  void ForgetOtherRevisions();

  // Whether the index has `term`, remembered per revision: glossary forms
  // recur in query after query.
  bool HasTerm(const std::string& term);

  // What a hit highlights of a stored talk (its title, its abstract or else
  // its title, its speakers' names), normalized once: normalizing every
  // hit's fields again was a quarter of the highlighting, itself about 30%
  // of a search on the seminar corpus. Remembered with the stored talk.
  struct HitTexts {
    std::string speakers;  // Talk::SpeakerNames()
    NormalizedText title, body, speakers_normalized;
  };
  // A stored talk as remembered: parsed, and normalized once highlighted.
  struct StoredEntry {
    Talk talk;
    std::optional<HitTexts> texts;
  };
  // The talk stored with a hit, parsed once per revision: decompressing and
  // parsing the stored JSON was a fifth of a search on the seminar corpus,
  // whose talks are hits again and again. Throws what the codec throws for
  // a document that is not a stored talk, and Xapian::Error. The reference
  // is valid until the next ForgetOtherRevisions().
  StoredEntry& Stored(Xapian::docid docid);
  const Talk& StoredTalk(Xapian::docid docid) { return Stored(docid).talk; }
  // The entry's HitTexts, made on first use.
  static const HitTexts& HitTextsOf(StoredEntry& entry);

  // How the index stores its talks: with the dictionary of its metadata,
  // read once per revision.
  const StoredTalkCodec& Codec();

  // Each talk's facet slot value (schema.h kFacetsSlot), read once per
  // revision, so that counting facets over the matches costs an array read
  // per match (see TableFacetSpy). Of one local database only.
  const FacetTableOfRevision& FacetTable();
  // Each talk's document length, by id of the whole (all shards), read
  // once per revision, for scoring term at a time (ScoreTermsAtATime).
  // Local databases only.
  std::shared_ptr<const DocumentLengths> Lengths();

 private:
  const DatabaseSet& databases_;
  // Of revision revision_.
  std::unordered_map<std::string, bool> term_exists_;
  std::unordered_map<Xapian::docid, StoredEntry> talks_;
  FacetTableOfRevision facet_table_;
  std::shared_ptr<const DocumentLengths> lengths_;
  std::unique_ptr<const StoredTalkCodec> codec_;
  Xapian::rev revision_ = 0;
};

}  // namespace talksearch

#endif  // TALKSEARCH_INDEX_SNAPSHOT_H_
