#include "talksearch/stored_talk.h"

#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace talksearch {

namespace {

// zstd's level for the talks. With a dictionary, 3 made the seminar's talks
// 40% of their JSON and 9 made them 36%; but on generated talks 9 took 22 µs
// a talk where 3 took 4 µs, and indexing 100,000 talks 4 s longer.
constexpr int kLevel = 3;
// Talks to train on, at most. zstd's training wants about a hundred times
// the dictionary's size in samples; but training takes the index's builder
// 0.07 ms a sample before it can start, and on 100,000 generated talks 2,000
// samples (0.15 s) stored them in 18.6% of their JSON where 4,000 (0.3 s)
// stored them in 17.8%.
constexpr size_t kMaxSamples = 2000;
// zstd's default dictionary size, and the smallest worth keeping (zstd's
// own least is 256 bytes).
constexpr size_t kMaxDictionaryBytes = 112640;
constexpr size_t kMinDictionaryBytes = 1024;
// A stored talk larger than this is not one.
constexpr unsigned long long kMaxTalkBytes = 16 << 20;

bool IsZstdFrame(std::string_view data) {
  static constexpr unsigned char kMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};
  return data.size() >= sizeof kMagic && std::memcmp(data.data(), kMagic, sizeof kMagic) == 0;
}

// One compression and one decompression context per thread, as zstd
// advises: making one per talk would cost more than the talk.
ZSTD_CCtx* CompressionContext() {
  thread_local std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> context(ZSTD_createCCtx(),
                                                                          ZSTD_freeCCtx);
  return context.get();
}
ZSTD_DCtx* DecompressionContext() {
  thread_local std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> context(ZSTD_createDCtx(),
                                                                          ZSTD_freeDCtx);
  return context.get();
}

}  // namespace

struct StoredTalkCodec::Dictionaries {
  // Made on first use: a searcher only decompresses, and preparing the
  // compression tables of a large dictionary takes milliseconds.
  std::once_flag compress_made;
  ZSTD_CDict* compress = nullptr;
  ZSTD_DDict* decompress = nullptr;
  unsigned id = 0;
  ~Dictionaries() {
    ZSTD_freeCDict(compress);
    ZSTD_freeDDict(decompress);
  }
};

std::string StoredTalkCodec::TrainDictionary(const std::vector<const Talk*>& talks) {
  std::string samples;
  std::vector<size_t> sizes;
  const size_t step = std::max<size_t>(1, (talks.size() + kMaxSamples - 1) / kMaxSamples);
  for (size_t i = 0; i < talks.size(); i += step) {
    std::string json;
    try {
      json = nlohmann::json(*talks[i]).dump();
    } catch (const nlohmann::json::exception&) {
      continue;  // a talk JSON cannot hold (invalid UTF-8): the writer reports it
    }
    samples += json;
    sizes.push_back(json.size());
  }
  const size_t capacity = std::min(kMaxDictionaryBytes, samples.size() / 10);
  if (capacity < kMinDictionaryBytes || sizes.size() < 10) return "";
  std::string dictionary(capacity, '\0');
  const size_t size = ZDICT_trainFromBuffer(dictionary.data(), capacity, samples.data(),
                                            sizes.data(), static_cast<unsigned>(sizes.size()));
  if (ZDICT_isError(size)) return "";  // too few or too alike: plain JSON does
  dictionary.resize(size);
  return dictionary;
}

StoredTalkCodec::StoredTalkCodec(std::string dictionary) : dictionary_(std::move(dictionary)) {
  if (dictionary_.empty()) return;
  zstd_ = std::make_unique<Dictionaries>();
  zstd_->decompress = ZSTD_createDDict(dictionary_.data(), dictionary_.size());
  zstd_->id = ZSTD_getDictID_fromDict(dictionary_.data(), dictionary_.size());
  if (!zstd_->decompress) {
    throw std::runtime_error("the index's stored-talk dictionary cannot be loaded");
  }
}

StoredTalkCodec::~StoredTalkCodec() = default;

std::string StoredTalkCodec::Encode(const Talk& talk) const {
  std::string json = nlohmann::json(talk).dump();
  if (!zstd_) return json;
  std::call_once(zstd_->compress_made, [this] {
    zstd_->compress = ZSTD_createCDict(dictionary_.data(), dictionary_.size(), kLevel);
  });
  if (!zstd_->compress) throw std::runtime_error("zstd cannot load the stored-talk dictionary");
  std::string frame(ZSTD_compressBound(json.size()), '\0');
  const size_t size = ZSTD_compress_usingCDict(CompressionContext(), frame.data(), frame.size(),
                                               json.data(), json.size(), zstd_->compress);
  if (ZSTD_isError(size)) {
    throw std::runtime_error(std::string("zstd cannot compress talk ") + talk.id + ": " +
                             ZSTD_getErrorName(size));
  }
  frame.resize(size);
  return frame;
}

Talk StoredTalkCodec::Decode(std::string_view data) const {
  if (!IsZstdFrame(data)) return nlohmann::json::parse(data).get<Talk>();
  auto fail = [](const std::string& why) {
    return std::runtime_error("a stored talk cannot be read (" + why + "): run talks-index again");
  };
  if (!zstd_) throw fail("it is compressed, and the index has no dictionary");
  const unsigned id = ZSTD_getDictID_fromFrame(data.data(), data.size());
  if (id != zstd_->id) throw fail("it was compressed with another index's dictionary");
  const unsigned long long size = ZSTD_getFrameContentSize(data.data(), data.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxTalkBytes) {
    throw fail("damaged");
  }
  std::string json(size, '\0');
  const size_t got = ZSTD_decompress_usingDDict(DecompressionContext(), json.data(), json.size(),
                                                data.data(), data.size(), zstd_->decompress);
  if (ZSTD_isError(got)) throw fail(ZSTD_getErrorName(got));
  if (got != size) throw fail("damaged");
  return nlohmann::json::parse(json).get<Talk>();
}

}  // namespace talksearch
