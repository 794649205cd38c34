#include "talksearch/update_guard.h"

#include <xapian.h>

#include <algorithm>
#include <map>
#include <memory>

#include "talksearch/index_layout.h"
#include "talksearch/normalizer.h"
#include "talksearch/schema.h"
#include "talksearch/stored_talk.h"

namespace talksearch {
namespace {

void ReadDatabase(const std::string& dir, std::vector<IndexedTalk>& out) {
  Xapian::Database db(dir);
  // The stored talk gives the title; an index whose dictionary cannot be
  // loaded still lists ids and dates (values), which is what the guard needs.
  std::unique_ptr<StoredTalkCodec> codec;
  try {
    codec = std::make_unique<StoredTalkCodec>(db.get_metadata(std::string(kStoredTalkDictionaryKey)));
  } catch (const std::runtime_error&) {
  }
  const std::string prefix(kIdPrefix);
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
    const std::string term = *it;
    auto posting = db.postlist_begin(term);
    if (posting == db.postlist_end(term)) continue;
    Xapian::Document doc = db.get_document(*posting);
    IndexedTalk talk;
    talk.id = term.substr(prefix.size());
    talk.date = doc.get_value(kDateSlot);
    if (codec) {
      try {
        talk.title = codec->Decode(doc.get_data()).title;
      } catch (const std::exception&) {
      }
    }
    out.push_back(std::move(talk));
  }
}

// At most `max` code points of `text`, with "…" when cut.
std::string Shortened(const std::string& text, size_t max) {
  if (CodePointCount(text) <= max) return text;
  size_t bytes = 0;
  for (size_t n = 0; n < max && bytes < text.size(); ++n) {
    const unsigned char c = static_cast<unsigned char>(text[bytes]);
    bytes += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  }
  return text.substr(0, bytes) + "…";
}

std::string Describe(const std::string& id, const std::string& date, const std::string& title) {
  std::string out = id + " " + (date.empty() ? "(no date)" : date);
  if (!title.empty()) out += " " + Shortened(title, 40);
  return out;
}

}  // namespace

std::vector<IndexedTalk> ReadIndexedTalks(const std::string& db_dir) {
  std::vector<IndexedTalk> talks;
  std::vector<std::string> shards = ShardDirectories(db_dir);
  if (shards.empty()) shards.push_back(db_dir);
  for (const std::string& dir : shards) ReadDatabase(dir, talks);
  std::sort(talks.begin(), talks.end(),
            [](const IndexedTalk& a, const IndexedTalk& b) { return a.id < b.id; });
  return talks;
}

UpdatePreview PreviewUpdate(const std::vector<IndexedTalk>& indexed,
                            const std::vector<Talk>& corpus) {
  std::map<std::string, const Talk*> by_id;
  for (const Talk& talk : corpus) by_id.emplace(talk.id, &talk);
  UpdatePreview preview;
  std::map<std::string, bool> in_index;
  for (const IndexedTalk& talk : indexed) {
    in_index[talk.id] = true;
    auto found = by_id.find(talk.id);
    if (found == by_id.end()) {
      preview.removed.push_back(talk);
    } else if (found->second->date != talk.date) {
      preview.redated.push_back({talk, found->second->date});
    }
  }
  for (const auto& [id, talk] : by_id) {
    if (!in_index.count(id)) preview.added.push_back(talk);
  }
  return preview;
}

bool NeedsConfirmation(const UpdatePreview& preview, bool removes_absent) {
  return (removes_absent && preview.removed.size() > kFewTalks) ||
         preview.redated.size() > kFewTalks;
}

std::string Describe(const IndexedTalk& talk) { return Describe(talk.id, talk.date, talk.title); }
std::string Describe(const Talk& talk) { return Describe(talk.id, talk.date, talk.title); }

}  // namespace talksearch
