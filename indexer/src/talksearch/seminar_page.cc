// Parser for the seminar page (corpus/seminar.md), the Markdown maintainers
// edit. The page lists sessions newest first, one "# 第N回…" section each;
// years appear only in "## YYYY年" headings under 過去の講演 and in a few
// dates, so the year of every other date is inferred from page order.
//
// The parser's layers: seminar_markdown.h (lines, inline Markdown),
// seminar_fields.h (labelled fields, speakers, dates), seminar_talk_block.h
// (the talks of one section); this file cuts the page into sections and
// turns them into Talks.
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "talksearch/corpus.h"
#include "talksearch/seminar_fields.h"
#include "talksearch/seminar_markdown.h"
#include "talksearch/seminar_talk_block.h"

namespace talksearch {

using namespace seminar_page;

namespace {

struct Section {
  int line = 0;             // line of the "# 第N回" heading
  std::string heading;      // without "# "
  int dlap_number = 0;
  int mlphys_number = 0;    // 0 when not a joint session
  int heading_year = 0;     // from the enclosing "## YYYY年", 0 if none
  std::vector<Line> body;
};

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

// How a session heading line is written. GitHub wants "# " (an ASCII
// space); "#第2回" and "#　第2回" (an IME's full-width space) show as text
// there, and "## 第2回" as a subheading. Read as anything but a session
// heading they would put the session's talk into the one above it, or drop
// it: they are read as headings and reported.
enum class HeadingForm { kProper, kNoSpace, kWrongLevel };

// The text of a level-1 heading line ("# 第2回" → "第2回"), or of a line
// meant as a session heading in another form; nothing for other lines.
std::optional<std::string> HeadingText(const std::string& line, HeadingForm& form) {
  form = HeadingForm::kProper;
  if (StartsWith(line, "# ") || StartsWith(line, "#\t") || line == "#") {
    return Trim(std::string_view(line).substr(1));
  }
  if (!StartsWith(line, "#")) return std::nullopt;
  if (StartsWith(line, "##")) {
    if (!LooksLikeSessionHeading(line)) return std::nullopt;
    form = HeadingForm::kWrongLevel;
    return Trim(std::string_view(line).substr(line.find_first_not_of('#')));
  }
  std::string rest = Trim(std::string_view(line).substr(1));
  if (!StartsWith(rest, "第")) return std::nullopt;
  form = HeadingForm::kNoSpace;
  return rest;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil), to compare and subtract dates.
long DayNumber(int year, int month, int day) {
  year -= month <= 2;
  const long era = (year >= 0 ? year : year - 399) / 400;
  const long year_of_era = year - era * 400;
  const long day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// Sessions are weeks apart; a year inferred by rolling over that leaves
// more than half a year since the session below is a month typed wrong.
constexpr long kMaxRollOverGapDays = 183;

// "第77回" or "第25回学習物理領域セミナー＋第77回DLAP" as written, for problems.
std::string SessionName(const Section& s) {
  return "第" + (s.mlphys_number ? std::to_string(s.mlphys_number) + "回学習物理領域セミナー＋第" : "") +
         std::to_string(s.dlap_number) + (s.mlphys_number ? "回DLAP" : "回");
}

// Session numbers count up the page (newest first) in each series, and
// since the first joint session every heading carries both numbers. A
// number seen twice is a copied heading: the section lower on the page is
// the talk that was there first, so it is kept and the copy skipped
// (reported at the copy's line).
void CheckSessionNumbers(std::vector<Section>& sections, const ProblemSink& problem) {
  std::map<int, const Section*> by_dlap, by_mlphys;
  std::vector<Section> kept;
  const Section* below = nullptr;          // the nearest kept section below
  const Section* joint_below = nullptr;    // the nearest joint one below
  std::vector<bool> skipped(sections.size(), false);
  for (size_t k = sections.size(); k-- > 0;) {
    const Section& s = sections[k];
    const Section* twin = nullptr;
    if (auto it = by_dlap.find(s.dlap_number); it != by_dlap.end()) twin = it->second;
    if (s.mlphys_number) {
      if (auto it = by_mlphys.find(s.mlphys_number); it != by_mlphys.end()) twin = it->second;
    }
    if (twin) {
      problem(s.line, "heading \"" + s.heading + "\" repeats the number of the session at line " +
                          std::to_string(twin->line) + " (" + SessionName(*twin) +
                          "): this section is skipped and that talk kept; give the new session "
                          "its own number");
      skipped[k] = true;
      continue;
    }
    if (joint_below && s.mlphys_number == 0) {
      problem(s.line, "heading \"" + s.heading + "\" has only a DLAP number, but the sessions "
                          "below it are joint (\"# " + SessionName(*joint_below) +
                          "\"): write both numbers");
    }
    if (below && (s.dlap_number < below->dlap_number ||
                  (s.mlphys_number && below->mlphys_number &&
                   s.mlphys_number < below->mlphys_number))) {
      problem(s.line, "session " + SessionName(s) + " is above " + SessionName(*below) +
                          " (line " + std::to_string(below->line) +
                          "): sessions are listed newest first, so their numbers count up the "
                          "page");
    }
    by_dlap[s.dlap_number] = &s;
    if (s.mlphys_number) by_mlphys[s.mlphys_number] = &s;
    below = &s;
    if (s.mlphys_number) joint_below = &s;
  }
  for (size_t k = 0; k < sections.size(); ++k) {
    if (!skipped[k]) kept.push_back(std::move(sections[k]));
  }
  sections = std::move(kept);
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
    HeadingForm form = HeadingForm::kProper;
    if (std::optional<std::string> heading = HeadingText(line.text, form)) {
      current = nullptr;
      Section section;
      section.line = line.number;
      section.heading = *heading;
      if (!StartsWith(section.heading, "第")) continue;  // not a session
      if (form == HeadingForm::kNoSpace) {
        problem(line.number, "heading \"" + line.text +
                                 "\" needs \"# \" (an ASCII space after #) to show as a "
                                 "heading on the page; read as one");
      } else if (form == HeadingForm::kWrongLevel) {
        problem(line.number, "session heading \"" + line.text +
                                 "\" has " + std::to_string(line.text.find_first_not_of('#')) +
                                 " #s: sessions are level-1 headings (\"# 第N回…\"); read as one");
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

  CheckSessionNumbers(sections, problem);

  // 2. Assign years walking from the oldest session (bottom of the page) up:
  //    an explicit year wins; the first session under a "## YYYY年" heading
  //    takes that year; otherwise the year rolls over when the month goes back.
  //    A date earlier than the session's below it, or a roll-over that
  //    leaves half a year between two sessions, is a typo in the month (or
  //    a year to write): reported at the date's line.
  std::vector<int> section_years(sections.size(), 0);
  {
    int year = 0, previous_month = 0, previous_heading = -1;
    const Section* below = nullptr;
    long below_day = 0;
    for (size_t k = sections.size(); k-- > 0;) {
      const Section& s = sections[k];
      std::optional<MonthDay> date;
      int date_line = s.line;
      for (const Line& l : s.body) {
        LabeledLine labeled = ClassifyLabel(l.text);
        if (labeled.label == Label::kDate) {
          date = ParseDate(labeled.value);
          date_line = l.number;
          break;
        }
      }
      if (!date) continue;
      bool rolled_over = false;
      if (date->year != 0) {
        year = date->year;
      } else if (s.heading_year != 0 && s.heading_year != previous_heading) {
        year = s.heading_year;
      } else if (year != 0 && date->month < previous_month) {
        ++year;
        rolled_over = true;
      }
      previous_heading = s.heading_year;
      previous_month = date->month;
      section_years[k] = year;
      if (year == 0) continue;
      const long day = DayNumber(year, date->month, date->day);
      if (below) {
        const std::string read_as = IsoDate(year, date->month, date->day);
        const std::string below_as = " (" + SessionName(*below) + ", line " +
                                     std::to_string(below->line) + ")";
        if (day < below_day) {
          problem(date_line, SessionName(s) + "'s date reads as " + read_as +
                                 ", before the session below it" + below_as +
                                 ": sessions are listed newest first");
        } else if (rolled_over && day - below_day > kMaxRollOverGapDays) {
          problem(date_line, SessionName(s) + "'s date reads as " + read_as + ", " +
                                 std::to_string(day - below_day) +
                                 " days after the session below it" + below_as +
                                 ", because its month is earlier: if the month is right, "
                                 "write the year (" + std::to_string(year) + "年" +
                                 std::to_string(date->month) + "月" +
                                 std::to_string(date->day) + "日)");
        }
      }
      below = &s;
      below_day = day;
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
        if (!IsIsoDate(talk.date)) {
          problem(draft.date_line, where + ": " + draft.date_text + " is no day of " +
                                       talk.date.substr(0, 7) + " (date left out)");
          talk.date.clear();
          talk.time.clear();
        }
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
