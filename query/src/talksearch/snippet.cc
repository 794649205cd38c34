#include "talksearch/snippet.h"

#include <algorithm>
#include <vector>

namespace talksearch {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\n': case '\r': case '\t': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

struct Span {
  size_t begin, end;
};

// Byte offsets of code point starts, plus text.size().
std::vector<size_t> CodePointStarts(const std::string& text) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(text.size());
  return starts;
}


// The snippet of `text` from analysing all of it.
std::string AnalysedSnippet(const std::string& text, const std::set<std::string>& word_terms,
                            const std::set<std::vector<std::string>>& bigram_runs,
                            Analyzer& analyzer, size_t max_chars) {
  std::vector<Span> spans;
  std::vector<Token> bigrams;
  const bool nothing_to_mark = word_terms.empty() && bigram_runs.empty();
  for (Token& t : nothing_to_mark ? std::vector<Token>() : analyzer.Analyze(text)) {
    const bool word_like = t.kind == TermKind::kWord || t.kind == TermKind::kSubword;
    if (word_like && t.end > t.begin && word_terms.count(t.term)) {
      spans.push_back({t.begin, t.end});
    } else if (t.kind == TermKind::kBigram) {
      bigrams.push_back(std::move(t));
    }
  }
  for (const std::vector<std::string>& run : bigram_runs) {
    if (run.empty() || run.size() > bigrams.size()) continue;
    for (size_t i = 0; i + run.size() <= bigrams.size(); ++i) {
      bool match = true;
      for (size_t k = 0; k < run.size() && match; ++k) {
        match = bigrams[i + k].term == run[k] &&
                (k == 0 || bigrams[i + k].position == bigrams[i + k - 1].position + 1);
      }
      if (match) spans.push_back({bigrams[i].begin, bigrams[i + run.size() - 1].end});
    }
  }
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::vector<Span> marks;  // merged: overlapping or touching spans
  for (const Span& s : spans) {
    if (!marks.empty() && s.begin <= marks.back().end) {
      marks.back().end = std::max(marks.back().end, s.end);
    } else {
      marks.push_back(s);
    }
  }

  const std::vector<size_t> cps = CodePointStarts(text);
  const size_t total_chars = cps.size() - 1;
  auto char_index = [&](size_t byte) {
    return static_cast<size_t>(std::lower_bound(cps.begin(), cps.end(), byte) - cps.begin());
  };

  // Window start: the mark with the most marks within the next max_chars,
  // with a little context before it.
  size_t start_char = 0;
  if (!marks.empty() && total_chars > max_chars) {
    size_t best = 0, best_count = 0;
    for (size_t i = 0; i < marks.size(); ++i) {
      const size_t from = char_index(marks[i].begin);
      size_t count = 0;
      for (size_t j = i; j < marks.size() && char_index(marks[j].end) <= from + max_chars; ++j) {
        ++count;
      }
      if (count > best_count) {
        best_count = count;
        best = i;
      }
    }
    const size_t context = max_chars / 6;
    const size_t first = char_index(marks[best].begin);
    start_char = first > context ? first - context : 0;
    start_char = std::min(start_char, total_chars - max_chars);
  }
  const size_t end_char = std::min(total_chars, start_char + max_chars);
  const size_t begin_byte = cps[start_char];
  const size_t end_byte = cps[end_char];

  std::string out;
  if (start_char > 0) out += "…";
  size_t cursor = begin_byte;
  for (const Span& m : marks) {
    if (m.end <= begin_byte || m.begin >= end_byte) continue;
    const size_t b = std::max(m.begin, begin_byte);
    const size_t e = std::min(m.end, end_byte);
    out += HtmlEscape(std::string_view(text).substr(cursor, b - cursor));
    out += "<mark>" + HtmlEscape(std::string_view(text).substr(b, e - b)) + "</mark>";
    cursor = e;
  }
  out += HtmlEscape(std::string_view(text).substr(cursor, end_byte - cursor));
  if (end_char < total_chars) out += "…";
  return out;
}

// Start of the UTF-8 character at or before `offset`.
size_t CharStart(const std::string& text, size_t offset) {
  offset = std::min(offset, text.size());
  while (offset > 0 && offset < text.size() &&
         (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) {
    --offset;
  }
  return offset;
}

}  // namespace

std::string MakeSnippet(const std::string& text, const std::set<std::string>& word_terms,
                        const std::set<std::vector<std::string>>& bigram_runs,
                        Analyzer& analyzer, size_t max_chars) {
  // Short text: analyse it all. Long text (an abstract): find where the
  // query's words occur by plain search in the normalized text, and analyse
  // only a region around the densest spot — MeCab over every hit's whole
  // abstract was most of a query's time.
  constexpr size_t kMaxBytesPerChar = 3;
  const size_t region_bytes = 3 * max_chars * kMaxBytesPerChar;
  if (text.size() <= region_bytes) {
    return AnalysedSnippet(text, word_terms, bigram_runs, analyzer, max_chars);
  }
  std::vector<std::string> needles;
  for (const std::string& w : word_terms) {
    if (w.size() >= 2) needles.push_back(w);  // a stem is a prefix of its words
  }
  for (const std::vector<std::string>& run : bigram_runs) {
    std::string joined = run.front();  // 拡散 散モ モデ デル -> 拡散モデル
    for (size_t i = 1; i < run.size(); ++i) {
      const std::string& b = run[i];
      size_t first_char = 1;
      while (first_char < b.size() && (static_cast<unsigned char>(b[first_char]) & 0xC0) == 0x80) {
        ++first_char;
      }
      joined += b.substr(first_char);
    }
    needles.push_back(joined);
  }
  const NormalizedText normalized = Normalize(text);
  std::vector<size_t> hits;  // source offsets of candidate matches
  for (const std::string& needle : needles) {
    for (size_t at = normalized.text().find(needle); at != std::string::npos && hits.size() < 256;
         at = normalized.text().find(needle, at + 1)) {
      hits.push_back(normalized.SourceOffset(at));
    }
  }
  if (hits.empty()) {  // the beginning, cut (AnalysedSnippet adds the "…")
    return AnalysedSnippet(text.substr(0, CharStart(text, region_bytes)), {}, {}, analyzer,
                           max_chars);
  }
  std::sort(hits.begin(), hits.end());
  size_t best = hits.front(), best_count = 0;
  const size_t span = max_chars * kMaxBytesPerChar;
  for (size_t i = 0; i < hits.size(); ++i) {
    const size_t count = static_cast<size_t>(
        std::upper_bound(hits.begin() + i, hits.end(), hits[i] + span) - (hits.begin() + i));
    if (count > best_count) {
      best_count = count;
      best = hits[i];
    }
  }
  const size_t margin = max_chars * kMaxBytesPerChar / 2;
  const size_t begin = CharStart(text, best > margin ? best - margin : 0);
  const size_t end = CharStart(text, best + span + margin);
  std::string snippet = AnalysedSnippet(text.substr(begin, end - begin), word_terms, bigram_runs,
                                        analyzer, max_chars);
  const std::string ellipsis = "…";
  if (begin > 0 && snippet.compare(0, ellipsis.size(), ellipsis) != 0) snippet = ellipsis + snippet;
  if (end < text.size() &&
      (snippet.size() < ellipsis.size() ||
       snippet.compare(snippet.size() - ellipsis.size(), ellipsis.size(), ellipsis) != 0)) {
    snippet += ellipsis;
  }
  return snippet;
}

}  // namespace talksearch
