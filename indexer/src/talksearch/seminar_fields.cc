// Seminar page parser: labelled fields, speakers and dates (see
// seminar_fields.h).
#include "talksearch/seminar_fields.h"

#include <algorithm>
#include <cstdio>
#include <regex>
#include <utility>

#include "talksearch/seminar_markdown.h"

namespace talksearch::seminar_page {

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

std::optional<LinkLine> ParseLinkLine(std::string_view raw) {
  static const std::regex link(R"(^\s*\[([^\]]*)\]\(([^)]*)\)\s*(<br\s*/?>)?\s*$)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(raw.begin(), raw.end(), m, link)) return std::nullopt;
  return LinkLine{m[1].str(), m[2].str()};
}

namespace {

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

}  // namespace

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

}  // namespace talksearch::seminar_page
