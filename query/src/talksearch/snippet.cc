#include "talksearch/snippet.h"

#include "talksearch/normalizer.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>
#include <vector>

namespace talksearch {

namespace {

// Appends `text` to `out`, HTML-escaped.
void AppendEscaped(std::string_view text, std::string& out) {
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
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendEscaped(text, out);
  return out;
}

namespace {

// Byte offsets of code point starts, plus text.size().
std::vector<size_t> CodePointStarts(const std::string& text) {
  std::vector<size_t> starts;
  starts.reserve(text.size() + 1);
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(text.size());
  return starts;
}

bool IsAsciiAlnum(unsigned char c) { return std::isalnum(c) != 0 && c < 0x80; }

// The first code point of `text` and the byte where it ends (0, 0 if empty).
std::pair<char32_t, size_t> FirstCodePoint(std::string_view text) {
  std::pair<char32_t, size_t> first{0, 0};
  ForEachCodePoint(text.substr(0, 4), [&first](char32_t c, size_t, size_t end) {
    if (first.second == 0) first = {c, end};
  });
  return first;
}

}  // namespace

namespace {

// A separator between the words of a phrase form: ASCII space and
// punctuation (physics-informed), the middle dot (サイン・ゴルドン).
bool IsPhraseSeparator(std::string_view norm, size_t at, size_t* next) {
  const unsigned char c = static_cast<unsigned char>(norm[at]);
  if (c < 0x80 && !IsAsciiAlnum(c)) {
    *next = at + 1;
    return true;
  }
  for (std::string_view dot : {"・", "　"}) {
    if (norm.compare(at, dot.size(), dot) == 0) {
      *next = at + dot.size();
      return true;
    }
  }
  return false;
}

size_t SkipSeparators(std::string_view norm, size_t at) {
  size_t next = at;
  while (at < norm.size() && IsPhraseSeparator(norm, at, &next)) at = next;
  return at;
}

}  // namespace

Highlighter::Highlighter(const std::set<std::string>& word_terms,
                         const std::set<std::vector<std::string>>& bigram_runs,
                         const std::set<std::string>& phrase_forms) {
  // Forms are glossary forms, met again search after search: each thread
  // remembers what it made of them (a few thousand at most).
  thread_local std::unordered_map<std::string, Phrase> made;
  if (made.size() > 20000) made.clear();
  for (const std::string& form : phrase_forms) {
    auto known = made.find(form);
    if (known != made.end()) {
      AddPhrase(known->second);
      continue;
    }
    const std::string norm = HiraganaAsKatakana(NormalizeForSearch(form).text());
    Phrase phrase;
    size_t at = SkipSeparators(norm, 0);
    while (at < norm.size()) {
      // A Latin word (an ASCII run), or a run of other characters up to a
      // separator or a Latin letter (Hopfield模型: hopfield, 模型).
      const bool latin = IsAsciiAlnum(static_cast<unsigned char>(norm[at]));
      size_t end = at, next = at;
      while (end < norm.size() && !IsPhraseSeparator(norm, end, &next) &&
             IsAsciiAlnum(static_cast<unsigned char>(norm[end])) == latin) {
        ++end;
      }
      const std::string word = norm.substr(at, end - at);
      phrase.words.push_back(latin ? stemmer_(word) : word);
      phrase.latin.push_back(latin);
      at = SkipSeparators(norm, end);
    }
    AddPhrase(made.emplace(form, std::move(phrase)).first->second);
  }
  // Needles and text are compared with hiragana as katakana (FindMarks):
  // a term of kana alone is katakana, one with a kanji keeps its hiragana
  // (KanaSearchTerm), and the text has both.
  auto add = [this](std::string text, bool latin) {
    if (!latin) text = HiraganaAsKatakana(text);
    const char32_t first = FirstCodePoint(text).first;
    may_start_.set(first % may_start_.size());
    needles_[first].push_back({std::move(text), latin});
  };
  for (const std::string& w : word_terms) {
    const bool latin = IsAsciiAlnum(static_cast<unsigned char>(w.front()));
    if (w.size() >= (latin ? 2u : 4u)) add(w, latin);
  }
  for (const std::vector<std::string>& run : bigram_runs) {
    if (run.empty()) continue;
    std::string joined = run.front();  // 拡散 散モ モデ デル -> 拡散モデル
    for (size_t i = 1; i < run.size(); ++i) joined += run[i].substr(FirstCodePoint(run[i]).second);
    add(std::move(joined), false);
  }
}

void Highlighter::FindPhrases(const std::string& norm, const NormalizedText& normalized,
                              std::vector<Span>& spans) const {
  // Where each word of the text starts: a Latin word at its first letter,
  // any other character where it is.
  for (size_t at = 0; at < norm.size();) {
    const unsigned char c = static_cast<unsigned char>(norm[at]);
    // The code point here, decoded inline: this runs at every character.
    char32_t first = c;
    size_t step = 1;
    if (c >= 0xF0 && at + 3 < norm.size()) {
      first = ((c & 0x07u) << 18) | ((norm[at + 1] & 0x3Fu) << 12) | ((norm[at + 2] & 0x3Fu) << 6) |
              (norm[at + 3] & 0x3Fu);
      step = 4;
    } else if (c >= 0xE0 && at + 2 < norm.size()) {
      first = ((c & 0x0Fu) << 12) | ((norm[at + 1] & 0x3Fu) << 6) | (norm[at + 2] & 0x3Fu);
      step = 3;
    } else if (c >= 0xC0 && at + 1 < norm.size()) {
      first = ((c & 0x1Fu) << 6) | (norm[at + 1] & 0x3Fu);
      step = 2;
    }
    if (IsAsciiAlnum(c)) {
      step = 0;
      while (at + step < norm.size() && IsAsciiAlnum(static_cast<unsigned char>(norm[at + step]))) {
        ++step;
      }
    }
    auto starting = phrase_may_start_.test(first % phrase_may_start_.size())
                        ? phrases_by_start_.find(first)  // a stem keeps its first letter
                        : phrases_by_start_.end();
    if (starting == phrases_by_start_.end()) {
      at += step;
      continue;
    }
    for (size_t index : starting->second) {
      const Phrase& phrase = phrases_[index];
      size_t pos = at;
      bool matches = true;
      for (size_t w = 0; w < phrase.words.size() && matches; ++w) {
        if (w > 0) pos = SkipSeparators(norm, pos);
        if (pos >= norm.size()) {
          matches = false;
        } else if (phrase.latin[w]) {
          size_t end = pos;
          while (end < norm.size() && IsAsciiAlnum(static_cast<unsigned char>(norm[end]))) ++end;
          // A whole word that stems to the form's word. A stem keeps its
          // word's first letters but the last few (theori: theory), so most
          // words are told apart without stemming them.
          const std::string& stem = phrase.words[w];
          const size_t same = std::min<size_t>(stem.size() > 1 ? stem.size() - 1 : 1, 3);
          matches = end > pos && (pos == 0 || !IsAsciiAlnum(static_cast<unsigned char>(norm[pos - 1]))) &&
                    norm.compare(pos, same, stem, 0, same) == 0 &&
                    stemmer_(norm.substr(pos, end - pos)) == stem;
          pos = end;
        } else {
          matches = norm.compare(pos, phrase.words[w].size(), phrase.words[w]) == 0;
          pos += phrase.words[w].size();
        }
      }
      if (matches) {
        const size_t begin = normalized.SourceOffset(at), end = normalized.SourceOffset(pos);
        if (end > begin) spans.push_back({begin, end});
      }
    }
    at += step;
  }
}

void Highlighter::AddPhrase(const Phrase& phrase) {
  if (phrase.words.empty()) return;
  const char32_t first = FirstCodePoint(phrase.words.front()).first;
  phrases_by_start_[first].push_back(phrases_.size());
  phrase_may_start_.set(first % phrase_may_start_.size());
  phrases_.push_back(phrase);
}

std::vector<Highlighter::Span> Highlighter::FindMarks(const NormalizedText& normalized) const {
  std::vector<Span> spans;
  if (needles_.empty() && phrases_.empty()) return spans;
  // Same offsets as normalized.text() (see the constructor).
  const std::string norm = HiraganaAsKatakana(normalized.text());
  if (!phrases_.empty()) FindPhrases(norm, normalized, spans);
  constexpr size_t kMaxMarks = 256;
  // One pass over the text: at each character, the needles that start with it.
  ForEachCodePoint(norm, [&](char32_t c, size_t at, size_t) {
    if (spans.size() >= kMaxMarks || !may_start_.test(c % may_start_.size())) return;
    auto it = needles_.find(c);
    if (it == needles_.end()) return;
    // A Latin needle marks only from a word's start. Tested before comparing:
    // most letters of English text are inside a word.
    const bool inside_word = at > 0 && IsAsciiAlnum(static_cast<unsigned char>(norm[at - 1]));
    size_t word_end = at;  // of the ASCII word starting here (found once needed)
    std::string word_stem;
    for (const Needle& needle : it->second) {
      if (needle.latin && inside_word) continue;
      const bool starts = norm.compare(at, needle.text.size(), needle.text) == 0;
      if (!starts && !needle.latin) continue;
      if (needle.latin && word_end == at) {
        while (word_end < norm.size() && IsAsciiAlnum(static_cast<unsigned char>(norm[word_end]))) {
          ++word_end;
        }
      }
      if (!starts) {
        if (word_stem.empty()) word_stem = stemmer_(norm.substr(at, word_end - at));
        if (word_stem != needle.text) continue;
      }
      const size_t end = needle.latin ? word_end : at + needle.text.size();
      const size_t begin = normalized.SourceOffset(at);
      const size_t source_end = normalized.SourceOffset(end);
      if (source_end > begin) spans.push_back({begin, source_end});
    }
  });
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
  return marks;
}

std::string MakeSnippet(const std::string& text, const std::set<std::string>& word_terms,
                        const std::set<std::vector<std::string>>& bigram_runs,
                        size_t max_chars) {
  return Highlighter(word_terms, bigram_runs).Snippet(text, max_chars);
}

std::string Highlighter::Snippet(const std::string& text, size_t max_chars) const {
  if (needles_.empty() && phrases_.empty()) return Snippet(text, NormalizedText(), max_chars);
  return Snippet(text, NormalizeForSearch(text), max_chars);
}

namespace {

// What kind of character starts at `at`, for where a word may start or end:
// ASCII letters and digits, katakana (with ー), hiragana, kanji, and the
// rest (spaces, punctuation, other scripts: a boundary on either side).
enum class CharClass { kLatin, kKatakana, kHiragana, kKanji, kOther };

CharClass ClassAt(const std::string& text, size_t at) {
  const unsigned char c = static_cast<unsigned char>(text[at]);
  if (c < 0x80) return IsAsciiAlnum(c) ? CharClass::kLatin : CharClass::kOther;
  const char32_t cp = FirstCodePoint(std::string_view(text).substr(at)).first;
  if ((cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC) return CharClass::kKatakana;
  if (cp >= 0x3041 && cp <= 0x3096) return CharClass::kHiragana;
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || cp == 0x3005) {
    return CharClass::kKanji;
  }
  return CharClass::kOther;
}

}  // namespace

std::string Highlighter::Snippet(const std::string& text, const NormalizedText& normalized,
                                 size_t max_chars) const {
  std::vector<Span> marks = FindMarks(normalized);
  // Marks apart by spaces only are one (a name's family and given names,
  // an English term's words).
  std::vector<Span> merged;
  for (const Span& m : marks) {
    if (!merged.empty()) {
      std::string_view between =
          std::string_view(text).substr(merged.back().end, m.begin - merged.back().end);
      bool spaces = !between.empty();
      for (size_t i = 0; i < between.size() && spaces;) {
        if (between[i] == ' ') {
          ++i;
        } else if (between.compare(i, 3, "　") == 0) {
          i += 3;
        } else {
          spaces = false;
        }
      }
      if (spaces) {
        merged.back().end = m.end;
        continue;
      }
    }
    merged.push_back(m);
  }
  marks.swap(merged);
  // The window: all of a text of at most max_chars bytes (titles, names:
  // no character offsets to find); otherwise max_chars characters.
  size_t begin_byte = 0, end_byte = text.size();
  bool cut_before = false, cut_after = false;
  const std::vector<size_t> cps =
      text.size() <= max_chars ? std::vector<size_t>() : CodePointStarts(text);
  const size_t total_chars = cps.empty() ? 0 : cps.size() - 1;
  if (total_chars > max_chars) {
    auto char_index = [&](size_t byte) {
      return static_cast<size_t>(std::lower_bound(cps.begin(), cps.end(), byte) - cps.begin());
    };
    // It starts at the mark with the most marks within the next max_chars,
    // with a little context before it. Marks are in order and do not
    // overlap, so the marks that fit after each one end where those after
    // the one before it end, or later.
    size_t start_char = 0;
    if (!marks.empty()) {
      std::vector<size_t> begins, ends;  // in characters
      for (const Span& m : marks) {
        begins.push_back(char_index(m.begin));
        ends.push_back(char_index(m.end));
      }
      size_t best = 0, best_count = 0;
      for (size_t i = 0, j = 0; i < marks.size(); ++i) {
        j = std::max(j, i);
        while (j < marks.size() && ends[j] <= begins[i] + max_chars) ++j;
        if (j - i > best_count) {
          best_count = j - i;
          best = i;
        }
      }
      const size_t context = max_chars / 6;
      const size_t first = begins[best];
      start_char = first > context ? first - context : 0;
      start_char = std::min(start_char, total_chars - max_chars);
    }
    size_t end_char = start_char + max_chars;
    // A cut is made between words, never inside a mark: within a few
    // characters, at a change of character class (a space, punctuation,
    // katakana to kanji…), else where the window is.
    auto inside_mark = [&](size_t c) -> const Span* {
      for (const Span& m : marks) {
        if (m.begin < cps[c] && cps[c] < m.end) return &m;
      }
      return nullptr;
    };
    auto boundary = [&](size_t c) {
      if (c == 0 || c >= total_chars) return true;
      const CharClass before = ClassAt(text, cps[c - 1]), after = ClassAt(text, cps[c]);
      return before != after || before == CharClass::kOther;
    };
    constexpr size_t kSlack = 12;
    if (const Span* m = inside_mark(start_char)) start_char = char_index(m->begin);
    // Moves `c` by `step` to the nearest boundary within kSlack characters,
    // if there is one.
    auto to_boundary = [&](size_t c, int step, size_t low, size_t high) {
      for (size_t k = 0, at = c; k <= kSlack && at >= low && at <= high; ++k, at += step) {
        if (boundary(at) && !inside_mark(at)) return at;
        if ((step < 0 && at == low) || (step > 0 && at == high)) break;
      }
      return c;
    };
    start_char = to_boundary(start_char, -1, 0, start_char);
    if (const Span* m = inside_mark(end_char)) end_char = char_index(m->end);
    if (!boundary(end_char)) {
      const size_t back = to_boundary(end_char, -1, start_char + 1, end_char);
      end_char = back != end_char ? back : to_boundary(end_char, 1, end_char, total_chars);
    }
    begin_byte = cps[start_char];
    end_byte = cps[end_char];
    cut_before = start_char > 0;
    cut_after = end_char < total_chars;
  }

  std::string out;
  out.reserve(end_byte - begin_byte + 64);
  if (cut_before) out += "…";
  size_t cursor = begin_byte;
  for (const Span& m : marks) {
    if (m.end <= begin_byte || m.begin >= end_byte) continue;
    const size_t b = std::max(m.begin, begin_byte);
    const size_t e = std::min(m.end, end_byte);
    AppendEscaped(std::string_view(text).substr(cursor, b - cursor), out);
    out += "<mark>";
    AppendEscaped(std::string_view(text).substr(b, e - b), out);
    out += "</mark>";
    cursor = e;
  }
  AppendEscaped(std::string_view(text).substr(cursor, end_byte - cursor), out);
  if (cut_after) out += "…";
  return out;
}

}  // namespace talksearch
