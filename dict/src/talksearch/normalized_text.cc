#include "talksearch/normalized_text.h"

#include <algorithm>
#include <iterator>

namespace talksearch {

size_t NormalizedText::SourceOffset(size_t normalized_offset) const {
  // Last stretch starting at or before the offset.
  auto it = std::upper_bound(spans_.begin(), spans_.end(), normalized_offset,
                             [](size_t off, const Span& s) { return off < s.normalized; });
  if (it == spans_.begin()) return 0;
  const Span& span = *std::prev(it);
  if (span.changed) return span.source;
  return span.source + std::min(normalized_offset - span.normalized, span.source_length);
}

TextRewriter::TextRewriter(const NormalizedText& input) : in_(input) {
  out_.text_.reserve(in_.text_.size());
  out_.spans_.reserve(in_.spans_.size() + 8);
}

void TextRewriter::Keep(size_t begin, size_t end) {
  if (begin >= end) return;
  size_t k = SpanAt(begin);
  while (begin < end) {
    const Span& span = in_.spans_[k];
    const size_t span_end = std::min(end, in_.spans_[k + 1].normalized);
    if (span.changed) {
      PushChanged(span.source, span.source + span.source_length);
    } else {
      PushUnchanged(span.source + (begin - span.normalized), span_end - begin);
    }
    out_.text_.append(in_.text_, begin, span_end - begin);
    begin = span_end;
    ++k;
  }
}

void TextRewriter::Replace(size_t begin, size_t end, std::string_view with) {
  PushChanged(in_.SourceOffset(begin), SourceEnd(end));
  out_.text_.append(with);
}

NormalizedText TextRewriter::Finish() && {
  out_.spans_.push_back({out_.text_.size(), in_.spans_.back().source, 0, false});
  return std::move(out_);
}

size_t TextRewriter::SpanAt(size_t offset) const {
  auto it = std::upper_bound(in_.spans_.begin(), in_.spans_.end(), offset,
                             [](size_t off, const Span& s) { return off < s.normalized; });
  return static_cast<size_t>(std::prev(it) - in_.spans_.begin());
}

size_t TextRewriter::SourceEnd(size_t offset) const {
  const Span& span = in_.spans_[SpanAt(offset)];
  if (span.changed && offset > span.normalized) return span.source + span.source_length;
  return in_.SourceOffset(offset);
}

void TextRewriter::PushUnchanged(size_t source, size_t length) {
  if (!out_.spans_.empty()) {
    Span& last = out_.spans_.back();
    if (!last.changed && last.source + last.source_length == source &&
        last.normalized + last.source_length == out_.text_.size()) {
      last.source_length += length;
      return;
    }
  }
  out_.spans_.push_back({out_.text_.size(), source, length, false});
}

void TextRewriter::PushChanged(size_t source_begin, size_t source_end) {
  if (!out_.spans_.empty()) {
    Span& last = out_.spans_.back();
    if (last.changed &&
        (source_begin < last.source + last.source_length || source_begin == last.source)) {
      last.source_length = std::max(last.source + last.source_length, source_end) - last.source;
      return;
    }
  }
  out_.spans_.push_back({out_.text_.size(), source_begin, source_end - source_begin, true});
}

}  // namespace talksearch
