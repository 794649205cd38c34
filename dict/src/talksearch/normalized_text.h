// NormalizedText: text changed from its source (normalized, folded) that
// keeps a map back to the source's byte offsets, so that tokens found in it
// can be highlighted in the original; and TextRewriter, which the folds of
// this module (Normalize's code point fold, FoldKana) build one with.
//
// Thread-safety: a NormalizedText is a value; const calls are safe from any
// thread. A TextRewriter belongs to the one fold that uses it.
#ifndef TALKSEARCH_NORMALIZED_TEXT_H_
#define TALKSEARCH_NORMALIZED_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace talksearch {

// Normalized text plus the offset map back to its source.
class NormalizedText {
 public:
  const std::string& text() const { return text_; }

  // Maps a byte offset in text() to the byte offset in the source. Exact in
  // text normalization left alone; inside a changed stretch (ＰＩＮＮ → pinn)
  // an offset maps to the stretch's start, its end to the stretch's end.
  size_t SourceOffset(size_t normalized_offset) const;

 private:
  friend NormalizedText Normalize(std::string_view source);
  friend class TextRewriter;
  // One stretch of the text, as ICU's Edits report it.
  struct Span {
    size_t normalized;  // start in text()
    size_t source;      // start in the source
    size_t source_length;
    bool changed;
  };
  std::string text_;
  std::vector<Span> spans_;  // sorted, covering text() and the source
};

// Builds a NormalizedText from another, piece by piece in order: pieces
// kept as they are and pieces replaced. The result's map goes to the
// original source: a kept piece keeps the input's map, a replaced one is a
// changed stretch over the source of the input it replaces. `input` must
// outlive the rewriter; pieces must come in order and not overlap.
class TextRewriter {
 public:
  explicit TextRewriter(const NormalizedText& input);

  // Input bytes [begin, end) as they are.
  void Keep(size_t begin, size_t end);

  // Input bytes [begin, end) as `with`.
  void Replace(size_t begin, size_t end, std::string_view with);

  // The text built; the rewriter is spent.
  NormalizedText Finish() &&;

 private:
  using Span = NormalizedText::Span;

  // The input span holding byte `offset` (the last starting at or before it).
  size_t SpanAt(size_t offset) const;
  // As SourceOffset, except that an offset inside a changed stretch maps to
  // the stretch's end: a piece ending there covers the whole stretch.
  size_t SourceEnd(size_t offset) const;
  void PushUnchanged(size_t source, size_t length);
  // Pieces of one changed input stretch (㍻ → 平成, one of whose characters
  // is folded) stay one changed stretch: its parts have no source of their own.
  void PushChanged(size_t source_begin, size_t source_end);

  const NormalizedText& in_;
  NormalizedText out_;
};

}  // namespace talksearch

#endif  // TALKSEARCH_NORMALIZED_TEXT_H_
