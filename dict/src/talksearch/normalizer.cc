#include "talksearch/normalizer.h"

#include <unicode/normalizer2.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <stdexcept>

namespace talksearch {
namespace {

const icu::Normalizer2& NfkcCasefold() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || n == nullptr) {
    throw std::runtime_error(std::string("ICU NFKC_Casefold unavailable: ") +
                             u_errorName(status));
  }
  return *n;
}

}  // namespace

size_t NormalizedText::SourceOffset(size_t normalized_offset) const {
  // Last chunk whose normalized start is <= offset.
  auto it = std::upper_bound(
      chunk_starts_.begin(), chunk_starts_.end(), normalized_offset,
      [](size_t off, const std::pair<size_t, size_t>& c) { return off < c.first; });
  if (it == chunk_starts_.begin()) return 0;
  return std::prev(it)->second;
}

NormalizedText Normalize(std::string_view source) {
  const icu::Normalizer2& norm = NfkcCasefold();
  NormalizedText out;
  out.text_.reserve(source.size());

  // Split the source at code points where ICU guarantees normalization
  // cannot reach across (hasBoundaryBefore), normalize each chunk on its own,
  // and remember where each chunk starts on both sides.
  const auto* bytes = reinterpret_cast<const uint8_t*>(source.data());
  const int32_t length = static_cast<int32_t>(source.size());
  icu::UnicodeString chunk;
  size_t chunk_source_start = 0;
  auto flush = [&](size_t next_source_start) {
    if (chunk.isEmpty()) return;
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString normalized = norm.normalize(chunk, status);
    out.chunk_starts_.emplace_back(out.text_.size(), chunk_source_start);
    if (U_SUCCESS(status)) {
      normalized.toUTF8String(out.text_);
    } else {
      chunk.toUTF8String(out.text_);
    }
    chunk.remove();
    chunk_source_start = next_source_start;
  };

  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) c = 0xFFFD;
    if (!chunk.isEmpty() && norm.hasBoundaryBefore(c)) flush(start);
    if (chunk.isEmpty()) chunk_source_start = start;
    chunk.append(c);
  }
  flush(source.size());
  out.chunk_starts_.emplace_back(out.text_.size(), source.size());
  return out;
}

std::string NormalizeString(std::string_view source) {
  return Normalize(source).text();
}

std::string NormalizeWithout(std::string_view text, std::string_view drop) {
  std::string key = NormalizeString(text);
  key.erase(std::remove_if(key.begin(), key.end(),
                           [drop](char c) { return drop.find(c) != std::string_view::npos; }),
            key.end());
  return key;
}

bool IsValidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  if (text.size() > static_cast<size_t>(INT32_MAX)) return false;
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c <= 0) return false;  // invalid sequence (<0) or NUL (0)
  }
  return true;
}

bool IsCjkCodePoint(char32_t c) {
  if (c == 0x30FC || c == 0x3005) return true;  // ー 々
  UErrorCode status = U_ZERO_ERROR;
  UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &status);
  if (U_FAILURE(status)) return false;
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA ||
         script == USCRIPT_KATAKANA;
}

}  // namespace talksearch
