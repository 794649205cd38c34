// Seminar page parser: lines and inline Markdown (see seminar_markdown.h).
#include "talksearch/seminar_markdown.h"

#include <unicode/utf8.h>

#include <cctype>
#include <cstdio>
#include <regex>
#include <string>

namespace talksearch::seminar_page {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string Trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && std::string_view(" \t\r\n").find(s.front()) != std::string_view::npos) {
      s.remove_prefix(1);
    } else if (StartsWith(s, kIdeographicSpace)) {
      s.remove_prefix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && std::string_view(" \t\r\n").find(s.back()) != std::string_view::npos) {
      s.remove_suffix(1);
    } else if (s.size() >= 3 && s.substr(s.size() - 3) == kIdeographicSpace) {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return std::string(s);
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

namespace {

// Abstracts on the page are cut at a fixed byte length, which can leave a
// partial UTF-8 sequence (shown as U+FFFD). Drop it, whichever form it has.
std::string DropBrokenTail(std::string s) {
  while (!s.empty()) {
    if (s.size() >= 3 && s.compare(s.size() - 3, 3, "\xEF\xBF\xBD") == 0) {
      s.resize(s.size() - 3);
      continue;
    }
    // Trailing bytes of an incomplete multi-byte sequence.
    size_t i = s.size();
    size_t continuation = 0;
    while (i > 0 && (static_cast<unsigned char>(s[i - 1]) & 0xC0) == 0x80) {
      --i;
      ++continuation;
    }
    if (i == 0) break;
    unsigned char lead = static_cast<unsigned char>(s[i - 1]);
    size_t need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    if (lead >= 0xC0 && continuation < need) {
      s.resize(i - 1);
      continue;
    }
    break;
  }
  return s;
}

// Markdown links [text](url) become their text.
std::string LinksToText(std::string_view markdown) {
  std::string out;
  size_t i = 0;
  while (i < markdown.size()) {
    if (markdown[i] == '[') {
      const size_t close = markdown.find(']', i + 1);
      if (close != std::string_view::npos && close + 1 < markdown.size() &&
          markdown[close + 1] == '(') {
        const size_t paren = markdown.find(')', close + 2);
        if (paren != std::string_view::npos) {
          out += markdown.substr(i + 1, close - i - 1);
          i = paren + 1;
          continue;
        }
      }
    }
    out += markdown[i++];
  }
  return out;
}

// HTML tags (<br>, <a href=…>, </sup>: '<', maybe '/', then a letter, up to
// the next '>') are removed; any other '<' is text (温度 T < T_c).
std::string RemoveTags(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '<') {
      const size_t name = i + 1 < text.size() && text[i + 1] == '/' ? i + 2 : i + 1;
      const size_t end = text.find_first_of("<>", name);
      if (name < text.size() && std::isalpha(static_cast<unsigned char>(text[name])) &&
          end != std::string_view::npos && text[end] == '>') {
        i = end + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace

// Markdown links become their text; HTML tags are removed; entities
// decoded. Scans, not std::regex: libstdc++'s regex recurses once per
// character, and a long line overflowed the stack.
std::string InlineToText(std::string_view markdown) {
  std::string s = RemoveTags(LinksToText(markdown));
  ReplaceAll(s, "&nbsp;", " ");
  ReplaceAll(s, "&lt;", "<");
  ReplaceAll(s, "&gt;", ">");
  ReplaceAll(s, "&quot;", "\"");
  ReplaceAll(s, "&amp;", "&");
  return Trim(DropBrokenTail(Trim(s)));
}

bool EndsWithBr(std::string_view line) {
  std::string t = Trim(line);
  return t.size() >= 4 && (t.compare(t.size() - 4, 4, "<br>") == 0 ||
                           (t.size() >= 5 && t.compare(t.size() - 5, 5, "<br/>") == 0));
}

// GitHub's heading anchor: lowercase, punctuation dropped, spaces to '-'.
std::string HeadingAnchor(std::string_view heading) {
  std::string out;
  size_t i = 0;
  while (i < heading.size()) {
    unsigned char c = static_cast<unsigned char>(heading[i]);
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    std::string_view ch = heading.substr(i, len);
    i += len;
    if (len == 1) {
      if (std::isalnum(c) || c == '-' || c == '_') {
        out += static_cast<char>(std::tolower(c));
      } else if (c == ' ') {
        out += '-';
      }
    } else if (ch == "＋" || ch == kIdeographicSpace || ch == "・" ||
               ch == "：" || ch == "、" || ch == "。" || ch == "（" ||
               ch == "）" || ch == "「" || ch == "」") {
      continue;
    } else {
      out += ch;
    }
  }
  return out;
}

namespace {

// Longer lines are cut here: the longest on the page is 2,308 bytes, and
// std::regex (used on lines below) recurses once per character.
constexpr size_t kMaxLineBytes = 8192;

bool IsOnlyLineBreakTail(std::string_view rest) {
  std::string t = Trim(rest);
  return t.empty() || t == "<br>" || t == "<br/>" || t == "<br />";
}

// `text` as valid UTF-8. A sequence cut short at the end of a line's text
// (before a final <br>) is how the page's cut lines end: dropped, as
// DropBrokenTail does. Any other invalid byte is replaced by U+FFFD and
// reported, so that a corrupted line is seen and the talk still indexed.
std::string ValidUtf8(const std::string& text, int line_number, const ProblemSink& problem) {
  std::string out;
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(text.size());
  bool reported = false;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, length, c);
    if (c >= 0) {
      out.append(text, start, i - start);
      continue;
    }
    if (IsOnlyLineBreakTail(std::string_view(text).substr(i))) {
      out.append(text, i, std::string::npos);
      break;
    }
    if (!reported) {
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[start]));
      problem(line_number, std::string("invalid UTF-8 (byte ") + byte + " at byte " +
                               std::to_string(start + 1) + " of the line), replaced by U+FFFD");
      reported = true;
    }
    out += "\xEF\xBF\xBD";
  }
  return out;
}

// `text` cut to kMaxLineBytes at a character boundary, reported.
void CapLength(std::string& text, int line_number, const ProblemSink& problem) {
  if (text.size() <= kMaxLineBytes) return;
  size_t cut = kMaxLineBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  problem(line_number, "line of " + std::to_string(text.size()) + " bytes: only its first " +
                           std::to_string(cut) + " are read (break it into shorter lines)");
  text.resize(cut);
}

}  // namespace

bool LooksLikeSessionHeading(std::string_view line) {
  static const std::regex heading(R"(^\s*#+\s*第\s*[0-9０-９]+\s*回)");
  return std::regex_search(line.begin(), line.end(), heading);
}

std::vector<Line> SplitLines(std::string_view markdown, const ProblemSink& problem) {
  std::vector<Line> lines;
  int number = 0;
  bool in_comment = false;
  int comment_line = 0;
  // Session headings inside the open comment: a stray "<!--" closed by a
  // later comment's "-->" hides every session between them, and nothing
  // else would say so.
  std::vector<Line> hidden_headings;
  auto report_hidden_headings = [&](int close_line) {
    if (hidden_headings.empty()) return;
    std::string message = "this <!-- hides " + std::to_string(hidden_headings.size()) +
                          " session heading" + (hidden_headings.size() > 1 ? "s" : "") +
                          " until the --> on line " + std::to_string(close_line) + " (";
    for (size_t h = 0; h < hidden_headings.size() && h < 3; ++h) {
      message += (h ? ", " : "") + std::string("line ") +
                 std::to_string(hidden_headings[h].number) + " \"" +
                 Trim(hidden_headings[h].text).substr(0, 60) + "\"";
    }
    if (hidden_headings.size() > 3) message += ", …";
    message += "): they are neither on the page nor in the index; close the comment where it "
               "should end, or delete sessions that should go";
    problem(comment_line, message);
    hidden_headings.clear();
  };
  size_t pos = 0;
  while (pos < markdown.size()) {
    size_t eol = markdown.find('\n', pos);
    if (eol == std::string_view::npos) eol = markdown.size();
    std::string text(markdown.substr(pos, eol - pos));
    pos = eol + 1;
    ++number;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (number == 1 && StartsWith(text, "\xEF\xBB\xBF")) text.erase(0, 3);  // a BOM
    CapLength(text, number, problem);
    text = ValidUtf8(text, number, problem);
    if (in_comment && LooksLikeSessionHeading(text)) hidden_headings.push_back({number, text});
    // HTML comments hide lines from the rendered page: hide them here too.
    std::string visible;
    size_t i = 0;
    while (i < text.size()) {
      if (in_comment) {
        size_t end = text.find("-->", i);
        if (end == std::string::npos) { i = text.size(); break; }
        in_comment = false;
        report_hidden_headings(number);
        i = end + 3;
      } else {
        size_t start = text.find("<!--", i);
        if (start == std::string::npos) { visible += text.substr(i); break; }
        visible += text.substr(i, start - i);
        in_comment = true;
        comment_line = number;
        i = start + 4;
      }
    }
    lines.push_back({number, visible});
  }
  if (in_comment) {
    problem(comment_line, "<!-- is never closed: the " + std::to_string(number - comment_line) +
                              " lines after it are hidden (close it with -->)");
  }
  return lines;
}

}  // namespace talksearch::seminar_page
