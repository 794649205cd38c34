// Parser for the seminar page (corpus/seminar.md), the Markdown maintainers
// edit. The page lists sessions newest first, one "# 第N回…" section each;
// years appear only in "## YYYY年" headings under 過去の講演 and in a few
// dates, so the year of every other date is inferred from page order.
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "talksearch/corpus.h"

namespace talksearch {
namespace {

// ---------------------------------------------------------------------------
// Small text helpers (UTF-8 aware where it matters).

constexpr std::string_view kIdeographicSpace = "\u3000";

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

// ---------------------------------------------------------------------------
// Labels ("発表題目：…") inside a section.

enum class Label {
  kNone, kDate, kSpeaker, kTitle, kAbstract, kVenue, kPanel, kPanelists,
  kContributors, kReferencesMarker
};

struct LabeledLine {
  Label label = Label::kNone;
  std::string value;  // text after the colon
};

LabeledLine ClassifyLabel(std::string_view raw) {
  static const std::vector<std::pair<std::string_view, Label>> kLabels = {
      {"日時", Label::kDate},          {"発表者", Label::kSpeaker},
      {"講演者", Label::kSpeaker},      {"発表題目", Label::kTitle},
      {"講演題目", Label::kTitle},      {"講演概要", Label::kAbstract},
      {"概要", Label::kAbstract},       {"場所", Label::kVenue},
      {"オンライン配信会場", Label::kVenue},
      {"パネルディスカッション", Label::kPanel},
      {"パネラー", Label::kPanelists},  {"情報提供", Label::kContributors},
      {"参考文献", Label::kReferencesMarker},
      {"関連論文", Label::kReferencesMarker},
      {"参考リンク", Label::kReferencesMarker},
      {"Further reading", Label::kReferencesMarker},
      {"References", Label::kReferencesMarker},
      {"Refs", Label::kReferencesMarker},
  };
  std::string line = Trim(raw);
  for (const auto& [name, label] : kLabels) {
    if (!StartsWith(line, name)) continue;
    std::string_view rest = std::string_view(line).substr(name.size());
    // A label is followed by a colon, possibly after a parenthesised note
    // (場所（ハイブリッド）：), or stands alone (参考文献<br>).
    size_t colon = std::string_view::npos;
    for (std::string_view c : {std::string_view("："), std::string_view(":")}) {
      size_t p = rest.find(c);
      if (p != std::string_view::npos && p <= 30 && p < colon) colon = p;
    }
    std::string after;
    if (colon != std::string_view::npos) {
      size_t colon_len = rest.substr(colon, 1) == ":" ? 1 : 3;
      std::string_view before = rest.substr(0, colon);
      // Only a parenthesised qualifier may sit between name and colon.
      std::string b = Trim(before);
      if (!b.empty() && !StartsWith(b, "（") && !StartsWith(b, "(")) continue;
      after = std::string(rest.substr(colon + colon_len));
    } else if (label == Label::kReferencesMarker) {
      after = std::string(rest);
    } else {
      continue;
    }
    return {label, InlineToText(after)};
  }
  return {};
}

bool IsReferenceLine(std::string_view raw) {
  static const std::regex numbered(R"(^\s*\[\d+(,\s*\d+)*\](\s|[A-Za-z]))");
  static const std::regex bare_url(R"(^\s*https?://\S+\s*(<br\s*/?>)?\s*$)");
  return std::regex_search(raw.begin(), raw.end(), numbered) ||
         std::regex_search(raw.begin(), raw.end(), bare_url);
}

// A line that only names another speaker, continuing a 発表者 line:
// "Daniel Kunin　氏 (Stanford University)<br>".
bool IsSpeakerContinuation(const std::string& text) {
  // Byte-wise std::regex cannot hold multi-byte characters in a bracket
  // expression, so sentence punctuation is checked with find().
  for (std::string_view mark : {"：", ":", "。", "、", "，"}) {
    if (text.find(mark) != std::string::npos) return false;
  }
  static const std::regex speaker(R"(^.{1,60}?\s*氏\s*(\(.*|（.*)?$)");
  return std::regex_match(text, speaker);
}

bool IsPartHeading(std::string_view raw) {
  static const std::regex part_heading(R"(^\s*第\s*[0-9０-９一二三四五]+\s*部)");
  return std::regex_search(raw.begin(), raw.end(), part_heading);
}

struct LinkLine {
  std::string text;
  std::string url;
};

std::optional<LinkLine> ParseLinkLine(std::string_view raw) {
  static const std::regex link(R"(^\s*\[([^\]]*)\]\(([^)]*)\)\s*(<br\s*/?>)?\s*$)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(raw.begin(), raw.end(), m, link)) return std::nullopt;
  return LinkLine{m[1].str(), m[2].str()};
}

// ---------------------------------------------------------------------------
// Speakers: 「三角 樹弘 氏 (近畿大学 …)」, several separated by 、 or &.

std::string CollapseSpaces(std::string s) {
  ReplaceAll(s, kIdeographicSpace, " ");
  std::string out;
  for (char c : s) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  return Trim(out);
}

std::vector<std::string> SplitTopLevel(const std::string& s) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  size_t i = 0;
  while (i < s.size()) {
    std::string_view rest(s.data() + i, s.size() - i);
    if (StartsWith(rest, "(") || StartsWith(rest, "（")) ++depth;
    if (StartsWith(rest, ")") || StartsWith(rest, "）")) depth = std::max(0, depth - 1);
    if (depth == 0 && (StartsWith(rest, "、") || StartsWith(rest, " & "))) {
      parts.push_back(current);
      current.clear();
      i += StartsWith(rest, "、") ? 3 : 3;
      continue;
    }
    current += s[i];
    ++i;
  }
  parts.push_back(current);
  return parts;
}

std::vector<Speaker> ParseSpeakers(const std::string& value) {
  std::vector<Speaker> speakers;
  for (const std::string& part : SplitTopLevel(value)) {
    std::string p = Trim(part);
    if (p.empty()) continue;
    Speaker s;
    size_t open_ascii = p.find('(');
    size_t open_wide = p.find("（");
    size_t open = std::min(open_ascii, open_wide);
    std::string name = p.substr(0, open);
    if (open != std::string::npos) {
      size_t content = open + (open == open_ascii ? 1 : 3);
      size_t close = std::min(p.rfind(')'), p.rfind("）"));
      if (p.rfind(')') != std::string::npos && p.rfind("）") != std::string::npos) {
        close = std::max(p.rfind(')'), p.rfind("）"));
      }
      if (close == std::string::npos || close < content) close = p.size();
      s.affiliation = CollapseSpaces(p.substr(content, close - content));
    }
    name = CollapseSpaces(name);
    for (std::string_view honorific : {"氏", "さん"}) {
      if (name.size() >= honorific.size() &&
          name.compare(name.size() - honorific.size(), honorific.size(), honorific) == 0) {
        name = CollapseSpaces(name.substr(0, name.size() - honorific.size()));
      }
    }
    s.name = name;
    if (!s.name.empty()) speakers.push_back(std::move(s));
  }
  return speakers;
}

// ---------------------------------------------------------------------------
// Dates.

struct MonthDay {
  int year = 0;  // 0 when the text gives none
  int month = 0;
  int day = 0;
  std::string time;
};

std::optional<MonthDay> ParseDate(const std::string& value) {
  static const std::regex date(R"((?:(\d{4})年)?\s*(\d{1,2})月\s*(\d{1,2})日)");
  static const std::regex time(
      R"((\d{1,2}:\d{2})(?:\s*(?:-|~|〜|～)\s*(\d{1,2}:\d{2}))?)");
  std::smatch m;
  if (!std::regex_search(value, m, date)) return std::nullopt;
  MonthDay md;
  if (m[1].matched) md.year = std::stoi(m[1].str());
  md.month = std::stoi(m[2].str());
  md.day = std::stoi(m[3].str());
  if (md.month < 1 || md.month > 12 || md.day < 1 || md.day > 31) return std::nullopt;
  std::smatch t;
  if (std::regex_search(value, t, time)) {
    md.time = t[1].str() + "-" + (t[2].matched ? t[2].str() : "");
    if (value.find("JST") != std::string::npos) md.time += " JST";
  }
  return md;
}

std::string IsoDate(int year, int month, int day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

// ---------------------------------------------------------------------------
// Sections and talk blocks.

struct Line {
  int number;
  std::string text;
};

struct Section {
  int line = 0;             // line of the "# 第N回" heading
  std::string heading;      // without "# "
  int dlap_number = 0;
  int mlphys_number = 0;    // 0 when not a joint session
  int heading_year = 0;     // from the enclosing "## YYYY年", 0 if none
  std::vector<Line> body;
};

// Everything one talk block yields before dates and ids are assigned.
struct TalkDraft {
  int line = 0;
  std::string title;
  std::vector<Speaker> speakers;
  std::string abstract;
  std::vector<std::string> references;
  std::string slides_url;
  std::string venue;
  std::optional<MonthDay> date;
  int date_line = 0;
  std::string date_text;
  int title_line = 0;
  // Problems in the block: (line, message).
  std::vector<std::pair<int, std::string>> problems;
};

// Parses the lines of one talk (or of a session preamble).
TalkDraft ParseBlock(const std::vector<Line>& lines) {
  TalkDraft draft;
  if (!lines.empty()) draft.line = lines.front().number;
  enum class Region { kFields, kAbstract, kAfterAbstract, kReferences } region =
      Region::kFields;
  std::vector<std::string> abstract_lines;
  std::vector<std::string> loose_prose;  // unlabelled prose outside 概要
  bool has_abstract_label = false;
  std::string reference;
  auto flush_reference = [&] {
    std::string r = InlineToText(reference);
    if (!r.empty()) draft.references.push_back(r);
    reference.clear();
  };

  for (const Line& line : lines) {
    const std::string trimmed = Trim(line.text);
    const std::string text = InlineToText(line.text);
    if (trimmed == "---") continue;
    if (text.empty()) {
      if (region == Region::kAbstract && !abstract_lines.empty()) {
        region = Region::kAfterAbstract;
      }
      if (region == Region::kReferences) flush_reference();
      continue;
    }
    LabeledLine labeled = ClassifyLabel(line.text);
    if (labeled.label == Label::kReferencesMarker) {
      if (region == Region::kReferences) flush_reference();
      region = Region::kReferences;
      if (!labeled.value.empty()) reference = labeled.value;
      continue;
    }
    if (labeled.label != Label::kNone && region == Region::kReferences) {
      flush_reference();
    }
    switch (labeled.label) {
      case Label::kDate:
        if (draft.date_line != 0) {
          draft.problems.emplace_back(line.number, "a second 日時 in one talk (the first, on line " +
                                                       std::to_string(draft.date_line) +
                                                       ", is kept)");
          continue;
        }
        draft.date = ParseDate(labeled.value);
        draft.date_line = line.number;
        draft.date_text = labeled.value;
        region = region == Region::kAbstract ? Region::kAfterAbstract : region;
        continue;
      case Label::kSpeaker:
      case Label::kPanelists:
      case Label::kContributors:
        for (Speaker& s : ParseSpeakers(labeled.value)) {
          if (labeled.label != Label::kSpeaker) s.role = "panelist";
          draft.speakers.push_back(s);
        }
        region = region == Region::kAbstract ? Region::kAfterAbstract : region;
        continue;
      case Label::kTitle:
        if (draft.title_line != 0) {
          draft.problems.emplace_back(line.number, "a second 発表題目 in one talk (the first, on "
                                                       "line " + std::to_string(draft.title_line) +
                                                       ", is kept)");
          continue;
        }
        draft.title = labeled.value;
        draft.title_line = line.number;
        region = region == Region::kAbstract ? Region::kAfterAbstract : region;
        continue;
      case Label::kPanel: {
        std::string theme = labeled.value;
        static const std::regex quoted("「(.*)」");
        std::smatch m;
        if (std::regex_search(theme, m, quoted)) theme = m[1].str();
        draft.title = "パネルディスカッション「" + theme + "」";
        continue;
      }
      case Label::kVenue:
        if (!draft.venue.empty()) draft.venue += " / ";
        draft.venue += labeled.value;
        continue;
      case Label::kAbstract:
        has_abstract_label = true;
        region = Region::kAbstract;
        if (!labeled.value.empty()) abstract_lines.push_back(labeled.value);
        continue;
      case Label::kReferencesMarker:
      case Label::kNone:
        break;
    }
    if (auto link = ParseLinkLine(line.text)) {
      const bool is_slides = link->text.find("スライド") != std::string::npos ||
                             link->text.find("Slide") != std::string::npos ||
                             link->text.find("slide") != std::string::npos;
      if (is_slides && !IsWebLink(link->url)) {
        draft.problems.emplace_back(line.number, "slides link that is not http(s) or relative "
                                                 "(dropped): \"" + link->url.substr(0, 60) + "\"");
      } else if (is_slides && draft.slides_url.empty()) {
        draft.slides_url = link->url;
      } else if (region == Region::kReferences) {
        reference += (reference.empty() ? "" : " ") + link->text;
      }
      if (region == Region::kAbstract) region = Region::kAfterAbstract;
      continue;
    }
    if (IsReferenceLine(line.text) && region != Region::kReferences) {
      region = Region::kReferences;
    } else if (IsReferenceLine(line.text)) {
      flush_reference();
    }
    switch (region) {
      case Region::kReferences:
        reference += (reference.empty() ? "" : " ") + text;
        if (EndsWithBr(line.text)) flush_reference();
        break;
      case Region::kAbstract:
        abstract_lines.push_back(text);
        break;
      case Region::kFields:
        if (!draft.speakers.empty() && IsSpeakerContinuation(text)) {
          for (Speaker& s : ParseSpeakers(text)) draft.speakers.push_back(s);
        } else if (!IsPartHeading(line.text)) {
          loose_prose.push_back(text);
        }
        break;
      case Region::kAfterAbstract:
        break;  // announcements after the abstract are not part of the talk
    }
  }
  flush_reference();

  // Sessions without a 概要 label write the abstract as plain prose after
  // the title; sessions with one may put an English title line before it.
  std::vector<std::string> parts = loose_prose;
  if (has_abstract_label) {
    parts.insert(parts.end(), abstract_lines.begin(), abstract_lines.end());
  }
  for (const std::string& p : parts) {
    if (!draft.abstract.empty()) draft.abstract += "\n";
    draft.abstract += p;
  }
  return draft;
}

// Splits a session body into talk blocks: lightning talks start at each
// 講演者 line, multi-part lectures at each 第N部 line. Returns the preamble
// (lines before the first block) and the blocks.
std::pair<std::vector<Line>, std::vector<std::vector<Line>>> SplitTalks(
    const std::vector<Line>& body) {
  auto starts_block = [&](const Line& l, bool lightning) {
    if (lightning) return ClassifyLabel(l.text).label == Label::kSpeaker &&
                          StartsWith(Trim(l.text), "講演者");
    return IsPartHeading(l.text);
  };
  for (bool lightning : {true, false}) {
    size_t count = std::count_if(body.begin(), body.end(),
                                 [&](const Line& l) { return starts_block(l, lightning); });
    if (count < 2) continue;
    std::vector<Line> preamble;
    std::vector<std::vector<Line>> blocks;
    for (const Line& l : body) {
      if (starts_block(l, lightning)) blocks.emplace_back();
      (blocks.empty() ? preamble : blocks.back()).push_back(l);
    }
    return {preamble, blocks};
  }
  return {{}, {body}};
}

// A session number as written ("77"); false for anything that is not a
// plausible one (a typo of many digits must not overflow: found by fuzzing).
bool SessionNumber(const std::string& digits, int& out) {
  if (digits.empty() || digits.size() > 4) return false;
  out = std::stoi(digits);
  return out > 0;
}

// "第25回学習物理領域セミナー＋第77回DLAP" or "第52回". A joint heading
// whose DLAP number cannot be read is not taken for a plain one: its first
// number is the 学習物理領域セミナー's, and would give another talk's id.
bool ParseSessionHeading(const std::string& heading, Section& section) {
  static const std::regex joint(R"(^第(\d+)回学習物理領域セミナー.*第(\d+)回\s*DLAP)",
                                std::regex::icase);
  static const std::regex plain(R"(^第(\d+)回)");
  std::smatch m;
  if (std::regex_search(heading, m, joint)) {
    return SessionNumber(m[1].str(), section.mlphys_number) &&
           SessionNumber(m[2].str(), section.dlap_number);
  }
  if (heading.find("学習物理領域セミナー") != std::string::npos) return false;
  if (std::regex_search(heading, m, plain)) return SessionNumber(m[1].str(), section.dlap_number);
  return false;
}

// The text of a level-1 heading line ("# 第2回" → "第2回"), or nothing.
// GitHub wants "# " (an ASCII space); "#第2回" and "#　第2回" (an IME's
// full-width space) show as text there, but read as text here they would
// put the session's talk into the one above it: they are read as headings
// and `sloppy` is set, for a problem.
std::optional<std::string> HeadingText(const std::string& line, bool& sloppy) {
  sloppy = false;
  if (StartsWith(line, "# ") || StartsWith(line, "#\t") || line == "#") {
    return Trim(std::string_view(line).substr(1));
  }
  if (!StartsWith(line, "#") || StartsWith(line, "##")) return std::nullopt;
  std::string rest = Trim(std::string_view(line).substr(1));
  if (!StartsWith(rest, "第")) return std::nullopt;
  sloppy = true;
  return rest;
}

// Where a line is reported (line number, message).
using ProblemSink = std::function<void(int line, const std::string& message)>;

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

std::vector<Line> SplitLines(std::string_view markdown, const ProblemSink& problem) {
  std::vector<Line> lines;
  int number = 0;
  bool in_comment = false;
  int comment_line = 0;
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
    // HTML comments hide lines from the rendered page: hide them here too.
    std::string visible;
    size_t i = 0;
    while (i < text.size()) {
      if (in_comment) {
        size_t end = text.find("-->", i);
        if (end == std::string::npos) { i = text.size(); break; }
        in_comment = false;
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

}  // namespace

CorpusParseResult ParseSeminarPage(std::string_view markdown,
                                   const std::string& file_name) {
  CorpusParseResult result;
  auto problem = [&](int line, const std::string& message) {
    result.problems.push_back({file_name, line, message});
  };

  // 1. Cut the page into sessions, remembering the year heading above each.
  static const std::regex year_heading(R"(^##\s*(\d{4})年)");
  // The tables of contents repeat each title in full: "* [第N回：　名前 氏
  // 「題目」](#anchor) 1/29". Section lines are sometimes cut short, so a cut
  // title is completed from here.
  static const std::regex toc_entry(R"(^\s*\*\s*\[.*「(.+)」\s*\]\(#([^)]+)\))");
  std::map<std::string, std::string> toc_titles;
  std::vector<Section> sections;
  Section* current = nullptr;
  int heading_year = 0;
  for (const Line& line : SplitLines(markdown, problem)) {
    std::smatch m;
    if (!current && std::regex_search(line.text, m, toc_entry)) {
      toc_titles[m[2].str()] = InlineToText(m[1].str());
      continue;
    }
    if (std::regex_search(line.text, m, year_heading)) {
      heading_year = std::stoi(m[1].str());
      current = nullptr;
      continue;
    }
    bool sloppy_heading = false;
    if (std::optional<std::string> heading = HeadingText(line.text, sloppy_heading)) {
      current = nullptr;
      Section section;
      section.line = line.number;
      section.heading = *heading;
      if (!StartsWith(section.heading, "第")) continue;  // not a session
      if (sloppy_heading) {
        problem(line.number, "heading \"" + line.text +
                                 "\" needs \"# \" (an ASCII space after #) to show as a "
                                 "heading on the page; read as one");
      }
      if (!ParseSessionHeading(section.heading, section)) {
        problem(line.number, "cannot read the session number in heading \"" +
                                 section.heading + "\" (section skipped)");
        continue;
      }
      section.heading_year = heading_year;
      sections.push_back(std::move(section));
      current = &sections.back();
      continue;
    }
    if (StartsWith(line.text, "## ")) {  // any other subheading ends a section
      current = nullptr;
      continue;
    }
    if (current) current->body.push_back(line);
  }

  // 2. Assign years walking from the oldest session (bottom of the page) up:
  //    an explicit year wins; the first session under a "## YYYY年" heading
  //    takes that year; otherwise the year rolls over when the month goes back.
  std::vector<int> section_years(sections.size(), 0);
  {
    int year = 0, previous_month = 0, previous_heading = -1;
    for (size_t k = sections.size(); k-- > 0;) {
      const Section& s = sections[k];
      std::optional<MonthDay> date;
      for (const Line& l : s.body) {
        LabeledLine labeled = ClassifyLabel(l.text);
        if (labeled.label == Label::kDate) {
          date = ParseDate(labeled.value);
          break;
        }
      }
      if (!date) continue;
      if (date->year != 0) {
        year = date->year;
      } else if (s.heading_year != 0 && s.heading_year != previous_heading) {
        year = s.heading_year;
      } else if (year != 0 && date->month < previous_month) {
        ++year;
      }
      previous_heading = s.heading_year;
      previous_month = date->month;
      section_years[k] = year;
    }
  }

  if (sections.empty()) {
    problem(0, "no sessions found (a session starts with a \"# 第N回…\" heading)");
  }

  // 3. Turn each section into talks.
  for (size_t k = 0; k < sections.size(); ++k) {
    const Section& s = sections[k];
    auto [preamble_lines, blocks] = SplitTalks(s.body);
    TalkDraft preamble = ParseBlock(preamble_lines);
    for (const auto& [line, message] : preamble.problems) problem(line, message);
    char number[8];
    std::snprintf(number, sizeof number, "%03d", s.dlap_number);
    // Talks of a session are told apart by a letter: a–z.
    constexpr size_t kMaxTalksPerSession = 26;
    if (blocks.size() > kMaxTalksPerSession) {
      problem(blocks[kMaxTalksPerSession].front().number,
              "section " + s.heading.substr(0, s.heading.find("回") + 3) + " has " +
                  std::to_string(blocks.size()) + " talks; only the first 26 are read");
      blocks.resize(kMaxTalksPerSession);
    }
    for (size_t b = 0; b < blocks.size(); ++b) {
      TalkDraft draft = ParseBlock(blocks[b]);
      for (const auto& [line, message] : draft.problems) problem(line, message);
      // A talk without its own 日時 has the session's; one whose own date
      // cannot be read is reported at that line.
      const bool own_date_unreadable = !draft.date && draft.date_line != 0;
      if (!draft.date && !own_date_unreadable) {
        draft.date = preamble.date;
        draft.date_line = preamble.date_line;
        draft.date_text = preamble.date_text;
      }
      if (draft.venue.empty()) draft.venue = preamble.venue;

      Talk talk;
      talk.id = std::string("dlap-") + number;
      if (blocks.size() > 1) talk.id += static_cast<char>('a' + b);
      talk.series = {"dlap"};
      talk.dlap_number = s.dlap_number;
      if (s.mlphys_number) {
        talk.series.push_back("mlphys");
        talk.mlphys_number = s.mlphys_number;
      }
      talk.source_file = file_name;
      talk.source_line = blocks.size() > 1 && !blocks[b].empty()
                             ? blocks[b].front().number
                             : s.line;
      const std::string where = "section " + s.heading.substr(0, s.heading.find("回") + 3) +
                                (blocks.size() > 1 ? " talk " + std::to_string(b + 1) : "");
      if (draft.title.empty()) {
        problem(talk.source_line, where + " has no title (発表題目) — talk skipped");
        continue;
      }
      if (draft.speakers.empty()) {
        problem(talk.source_line, where + " has no speaker (発表者)");
      }
      if (!draft.date) {
        problem(draft.date_line ? draft.date_line : talk.source_line,
                where + " has no readable date (日時: M月D日)");
      } else if (section_years[k] == 0) {
        problem(draft.date_line, where + ": cannot infer the year of its date");
      } else {
        talk.date = IsoDate(draft.date->year ? draft.date->year : section_years[k],
                            draft.date->month, draft.date->day);
        talk.time = draft.date->time;
      }
      talk.date_text = draft.date_text;
      talk.title = draft.title;
      auto toc = toc_titles.find(HeadingAnchor(s.heading));
      if (blocks.size() == 1 && toc != toc_titles.end() &&
          toc->second.size() > talk.title.size() &&
          StartsWith(toc->second, talk.title)) {
        talk.title = toc->second;
      }
      talk.speakers = draft.speakers;
      talk.abstract = draft.abstract;
      talk.references = draft.references;
      talk.slides_url = draft.slides_url;
      talk.venue = draft.venue;
      talk.url = "#" + HeadingAnchor(s.heading);
      talk.language = DetectLanguage(talk.abstract.empty() ? talk.title : talk.abstract);
      result.talks.push_back(std::move(talk));
    }
  }
  return result;
}

}  // namespace talksearch
