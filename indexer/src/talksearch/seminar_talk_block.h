// Seminar page parser, layer 3: the talks inside one session section. A
// section body is cut into talk blocks (lightning talks, multi-part
// lectures) and each block is read into a TalkDraft; dates, ids and the
// session's shared fields are settled by ParseSeminarPage. Internal to the
// indexer; pure functions, safe from any thread.
#ifndef TALKSEARCH_SEMINAR_TALK_BLOCK_H_
#define TALKSEARCH_SEMINAR_TALK_BLOCK_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "talksearch/seminar_fields.h"
#include "talksearch/seminar_markdown.h"
#include "talksearch/talk.h"

namespace talksearch::seminar_page {

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
TalkDraft ParseBlock(const std::vector<Line>& lines);

// Splits a session body into talk blocks: lightning talks start at each
// 講演者 line, multi-part lectures at each 第N部 line. Returns the preamble
// (lines before the first block) and the blocks.
std::pair<std::vector<Line>, std::vector<std::vector<Line>>> SplitTalks(
    const std::vector<Line>& body);

}  // namespace talksearch::seminar_page

#endif  // TALKSEARCH_SEMINAR_TALK_BLOCK_H_
