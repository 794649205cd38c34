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

// The base letter of a Latin letter with diacritics (ö → o, ǖ → u): the
// first code point of its canonical decomposition (ICU's NFD), when that is
// ASCII; any other code point as it is (ø and ł have no decomposition).
char32_t LatinBase(char32_t c) {
  const bool latin = (c >= 0xC0 && c <= 0x24F) || (c >= 0x1E00 && c <= 0x1EFF);
  if (!latin) return c;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status) || nfd == nullptr) return c;
  icu::UnicodeString decomposition;
  if (!nfd->getDecomposition(static_cast<UChar32>(c), decomposition) ||
      decomposition.isEmpty()) {
    return c;
  }
  const UChar32 base = decomposition.char32At(0);
  return base < 0x80 ? static_cast<char32_t>(base) : c;
}

// Whether UTF-8 `text` may hold a letter LatinBase changes: a lead byte of
// U+00C0–U+024F (C3–C9) or of U+1E00–U+1EFF (E1 B8–BB). Most text (ASCII,
// Japanese) has none and is left as it is without decoding it.
bool MayHoldAccents(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    if (b >= 0xC3 && b <= 0xC9) return true;
    if (b == 0xE1 && i + 1 < text.size()) {
      const unsigned char next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0xB8 && next <= 0xBB) return true;
    }
  }
  return false;
}

// Appends `piece` with LatinBase applied.
void AppendFolded(std::string_view piece, std::string& out) {
  ForEachCodePoint(piece, [&](char32_t c, size_t begin, size_t end) {
    const char32_t base = LatinBase(c);
    if (base == c) {
      out.append(piece.substr(begin, end - begin));
    } else {
      out += static_cast<char>(base);  // ASCII
    }
  });
}

}  // namespace

// The accent folding step of Normalize, on its NFKC_Casefold result: each
// folded letter of an unchanged stretch becomes a changed stretch of its
// own, so offsets elsewhere stay exact.
void FoldLatinAccents(NormalizedText& normalized) {
  if (!MayHoldAccents(normalized.text_)) return;
  using Span = NormalizedText::Span;
  const std::string& text = normalized.text_;
  std::string folded;
  folded.reserve(text.size());
  std::vector<Span> spans;
  for (size_t k = 0; k + 1 < normalized.spans_.size(); ++k) {
    const Span& span = normalized.spans_[k];
    const std::string_view piece(text.data() + span.normalized,
                                 normalized.spans_[k + 1].normalized - span.normalized);
    if (span.changed) {
      spans.push_back({folded.size(), span.source, span.source_length, true});
      AppendFolded(piece, folded);
      continue;
    }
    // Unchanged: the source bytes are these bytes.
    size_t run_start = 0;  // of the current unchanged run within `piece`
    auto close_run = [&](size_t end) {
      if (end > run_start) {
        spans.push_back({folded.size(), span.source + run_start, end - run_start, false});
        folded.append(piece.substr(run_start, end - run_start));
      }
    };
    ForEachCodePoint(piece, [&](char32_t c, size_t begin, size_t end) {
      const char32_t base = LatinBase(c);
      if (base == c) return;
      close_run(begin);
      spans.push_back({folded.size(), span.source + begin, end - begin, true});
      folded += static_cast<char>(base);
      run_start = end;
    });
    close_run(piece.size());
  }
  const Span& end = normalized.spans_.back();
  spans.push_back({folded.size(), end.source, 0, false});
  normalized.text_ = std::move(folded);
  normalized.spans_ = std::move(spans);
}

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
      FoldLatinAccents(out);
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
  FoldLatinAccents(out);
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
