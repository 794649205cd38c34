#include "talksearch/normalizer.h"

#include <unicode/bytestream.h>
#include <unicode/edits.h>
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
  // Last stretch starting at or before the offset.
  auto it = std::upper_bound(spans_.begin(), spans_.end(), normalized_offset,
                             [](size_t off, const Span& s) { return off < s.normalized; });
  if (it == spans_.begin()) return 0;
  const Span& span = *std::prev(it);
  if (span.changed) return span.source;
  return span.source + std::min(normalized_offset - span.normalized, span.source_length);
}

namespace {

bool WellFormedUtf8(std::string_view text) {
  bool ok = text.size() < static_cast<size_t>(INT32_MAX);
  ForEachCodePoint(text, [&](char32_t, size_t begin, size_t end) {
    // ForEachCodePoint reports an invalid sequence as U+FFFD of the bytes
    // it skipped; a real U+FFFD is three bytes EF BF BD.
    if (ok && end - begin >= 1) {
      const unsigned char lead = static_cast<unsigned char>(text[begin]);
      const size_t expected = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
      ok = expected == end - begin;
    }
  });
  return ok;
}

}  // namespace

NormalizedText Normalize(std::string_view source) {
  const icu::Normalizer2& norm = NfkcCasefold();
  NormalizedText out;
  out.text_.reserve(source.size());
  if (WellFormedUtf8(source)) {
    // One pass over the UTF-8, with ICU recording every stretch it changed.
    UErrorCode status = U_ZERO_ERROR;
    icu::Edits edits;
    icu::StringByteSink<std::string> sink(&out.text_);
    norm.normalizeUTF8(0, icu::StringPiece(source.data(), static_cast<int32_t>(source.size())),
                       sink, &edits, status);
    if (U_SUCCESS(status)) {
      icu::Edits::Iterator it = edits.getFineIterator();
      while (it.next(status)) {
        out.spans_.push_back({static_cast<size_t>(it.destinationIndex()),
                              static_cast<size_t>(it.sourceIndex()),
                              static_cast<size_t>(it.oldLength()), it.hasChange() != 0});
      }
      out.spans_.push_back({out.text_.size(), source.size(), 0, false});
      return out;
    }
    out.text_.clear();
    out.spans_.clear();
  }

  // Ill-formed input: normalize code point by code point between ICU's
  // normalization boundaries, invalid bytes becoming U+FFFD.
  icu::UnicodeString chunk;
  size_t chunk_source_start = 0;
  auto flush = [&](size_t next_source_start) {
    if (chunk.isEmpty()) return;
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString normalized = norm.normalize(chunk, status);
    out.spans_.push_back({out.text_.size(), chunk_source_start,
                          next_source_start - chunk_source_start, true});
    (U_SUCCESS(status) ? normalized : chunk).toUTF8String(out.text_);
    chunk.remove();
    chunk_source_start = next_source_start;
  };
  ForEachCodePoint(source, [&](char32_t c, size_t begin, size_t) {
    if (!chunk.isEmpty() && norm.hasBoundaryBefore(static_cast<UChar32>(c))) flush(begin);
    if (chunk.isEmpty()) chunk_source_start = begin;
    chunk.append(static_cast<UChar32>(c));
  });
  flush(source.size());
  out.spans_.push_back({out.text_.size(), source.size(), 0, false});
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
