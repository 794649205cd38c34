// How a talk is kept as its document's data: its JSON, compressed by zstd
// with a dictionary trained on the index's own talks and kept in the index's
// metadata (schema.h kStoredTalkDictionaryKey).
//
// Talks share most of what one alone does not repeat (JSON keys, series and
// affiliation names, the field's vocabulary), so a dictionary compresses
// each one far better than Xapian's zlib, which sees one talk at a time:
// measured on the seminar's own talks, a dictionary trained on half of them
// made the other half 40% of their JSON (zstd level 3), where zlib made 57%.
// Data that is not a zstd frame is read as plain JSON, as an index without a
// dictionary (too few talks to train one) stores it.
//
// Thread-safety: const methods may be called from several threads at once.
#ifndef TALKSEARCH_STORED_TALK_H_
#define TALKSEARCH_STORED_TALK_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "talksearch/talk.h"

namespace talksearch {

class StoredTalkCodec {
 public:
  // A dictionary for `talks` (a sample of at most a few thousand is
  // enough), or "" when they are too few or too alike for zstd to train one.
  static std::string TrainDictionary(const std::vector<const Talk*>& talks);

  // With `dictionary` "" talks are stored as plain JSON. Throws
  // std::runtime_error when zstd cannot load the dictionary.
  explicit StoredTalkCodec(std::string dictionary);
  ~StoredTalkCodec();
  StoredTalkCodec(const StoredTalkCodec&) = delete;
  StoredTalkCodec& operator=(const StoredTalkCodec&) = delete;

  std::string Encode(const Talk& talk) const;
  // Throws std::runtime_error when `data` is a zstd frame this dictionary
  // cannot decompress (another index's, or damaged), and
  // nlohmann::json::exception when the JSON is not a talk.
  Talk Decode(std::string_view data) const;

  const std::string& dictionary() const { return dictionary_; }

 private:
  struct Dictionaries;  // zstd's compression and decompression forms
  std::string dictionary_;
  std::unique_ptr<Dictionaries> zstd_;  // null without a dictionary
};

}  // namespace talksearch

#endif  // TALKSEARCH_STORED_TALK_H_
