// Seminar page parser: talk blocks of a session (see seminar_talk_block.h).
#include "talksearch/seminar_talk_block.h"

#include <algorithm>
#include <regex>

#include "talksearch/corpus.h"

namespace talksearch::seminar_page {

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

}  // namespace talksearch::seminar_page
