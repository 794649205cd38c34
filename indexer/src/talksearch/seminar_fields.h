// Seminar page parser, layer 2: what one line of a session says. A labelled
// field ("発表題目：…", "日時：…"), a reference, a link, a 第N部 heading, the
// speakers of a 発表者 value and the date of a 日時 value. Internal to the
// indexer; pure functions, safe from any thread.
#ifndef TALKSEARCH_SEMINAR_FIELDS_H_
#define TALKSEARCH_SEMINAR_FIELDS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "talksearch/talk.h"

namespace talksearch::seminar_page {

// Labels ("発表題目：…") inside a section.
enum class Label {
  kNone, kDate, kSpeaker, kTitle, kAbstract, kVenue, kPanel, kPanelists,
  kContributors, kReferencesMarker
};

struct LabeledLine {
  Label label = Label::kNone;
  std::string value;  // text after the colon
};

// The label a raw line starts with and its value as text; kNone when the
// line is not a labelled field.
LabeledLine ClassifyLabel(std::string_view raw);

// "[3] Author, …" or a bare URL on its own line.
bool IsReferenceLine(std::string_view raw);

// A line that only names another speaker, continuing a 発表者 line:
// "Daniel Kunin　氏 (Stanford University)<br>".
bool IsSpeakerContinuation(const std::string& text);

// "第2部", "第 二 部": the start of one part of a multi-part lecture.
bool IsPartHeading(std::string_view raw);

struct LinkLine {
  std::string text;
  std::string url;
};

// A line that is only a Markdown link (maybe followed by <br>).
std::optional<LinkLine> ParseLinkLine(std::string_view raw);

// Speakers: 「三角 樹弘 氏 (近畿大学 …)」, several separated by 、 or &;
// honorifics dropped, the parenthesis read as the affiliation.
std::vector<Speaker> ParseSpeakers(const std::string& value);

struct MonthDay {
  int year = 0;  // 0 when the text gives none
  int month = 0;
  int day = 0;
  std::string time;
};

// "2024年1月29日 17:00-18:00 JST" or "1月29日"; nothing when no plausible
// month and day are found.
std::optional<MonthDay> ParseDate(const std::string& value);

// "YYYY-MM-DD".
std::string IsoDate(int year, int month, int day);

}  // namespace talksearch::seminar_page

#endif  // TALKSEARCH_SEMINAR_FIELDS_H_
