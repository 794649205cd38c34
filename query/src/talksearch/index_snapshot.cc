#include "talksearch/index_snapshot.h"

#include "talksearch/schema.h"

namespace talksearch {

void IndexSnapshot::ForgetOtherRevisions() {
  constexpr size_t kMaxRemembered = 200000;  // a few MB
  constexpr size_t kMaxTalks = 4096;         // about 20 MB with their normalized texts
  const Xapian::rev revision = databases_.Revision();
  const bool other_revision = revision_ != revision;
  revision_ = revision;
  if (other_revision || term_exists_.size() > kMaxRemembered) term_exists_.clear();
  if (other_revision || talks_.size() > kMaxTalks) talks_.clear();
  if (other_revision) {
    facet_table_ = FacetTableOfRevision();
    lengths_.reset();
    codec_.reset();
  }
}

bool IndexSnapshot::HasTerm(const std::string& term) {
  auto [it, fresh] = term_exists_.try_emplace(term, false);
  if (fresh) it->second = databases_.database().term_exists(term);
  return it->second;
}

IndexSnapshot::StoredEntry& IndexSnapshot::Stored(Xapian::docid docid) {
  auto it = talks_.find(docid);
  if (it == talks_.end()) {
    // Read first: a talk that cannot be read is an error, not an empty entry.
    Talk talk = Codec().Decode(databases_.database().get_document(docid).get_data());
    it = talks_.emplace(docid, StoredEntry{std::move(talk), std::nullopt}).first;
  }
  return it->second;
}

const IndexSnapshot::HitTexts& IndexSnapshot::HitTextsOf(StoredEntry& entry) {
  if (!entry.texts) {
    const Talk& talk = entry.talk;
    HitTexts& texts = entry.texts.emplace();
    texts.speakers = talk.SpeakerNames();
    texts.title = NormalizeForSearch(talk.title);
    texts.body = talk.abstract.empty() ? texts.title : NormalizeForSearch(talk.abstract);
    texts.speakers_normalized = NormalizeForSearch(texts.speakers);
  }
  return *entry.texts;
}

const StoredTalkCodec& IndexSnapshot::Codec() {
  if (!codec_) {
    codec_ = std::make_unique<StoredTalkCodec>(
        databases_.database().get_metadata(std::string(kStoredTalkDictionaryKey)));
  }
  return *codec_;
}

const FacetTableOfRevision& IndexSnapshot::FacetTable() {
  if (!facet_table_.read) facet_table_ = ReadFacetTable(databases_.database());
  return facet_table_;
}

std::shared_ptr<const DocumentLengths> IndexSnapshot::Lengths() {
  if (!lengths_) lengths_ = ReadDocumentLengths(databases_.database());
  return lengths_;
}

}  // namespace talksearch
