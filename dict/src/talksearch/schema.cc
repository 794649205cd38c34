#include "talksearch/schema.h"

#include <algorithm>
#include <cctype>

#include "talksearch/normalizer.h"
#include "talksearch/talk.h"

namespace talksearch {

const FilterField* FilterNamedInQuery(std::string_view name) {
  for (const FilterField& f : kFilterFields) {
    if (f.name == name || f.facet_name == name) return &f;
  }
  return nullptr;
}

const FilterField* FilterNamedAsParameter(std::string_view name) {
  for (const FilterField& f : kFilterFields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool IsFilterValue(const FilterField& filter, std::string_view value, size_t max_label_bytes) {
  switch (filter.kind) {
    case FilterValueKind::kYear:
      return value.size() == 4 && std::all_of(value.begin(), value.end(), [](unsigned char c) {
               return std::isdigit(c);
             });
    case FilterValueKind::kLanguage:
      return value == "ja" || value == "en";
    case FilterValueKind::kLabel:
      return !value.empty() && value.size() <= max_label_bytes &&
             std::all_of(value.begin(), value.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '-' || c == '_';
             });
    case FilterValueKind::kPersonName:
      return true;
  }
  return false;
}

std::string FilterValueError(std::string_view message, std::string_view typed) {
  std::string out(message);
  if (const size_t at = out.find("{}"); at != std::string::npos) out.replace(at, 2, typed);
  return out;
}

std::string FilterTerm(const FilterField& filter, std::string_view value) {
  return std::string(filter.prefix) +
         (filter.kind == FilterValueKind::kPersonName ? SpeakerKey(value) : std::string(value));
}

std::vector<std::string> TalkFacetValues(const Talk& talk, FacetField facet) {
  switch (facet) {
    case FacetField::kYear:
      if (talk.Year() == 0) return {};
      return {std::to_string(talk.Year())};
    case FacetField::kLanguage: return {talk.language};
    case FacetField::kSeries: return talk.series;
    case FacetField::kSpeaker: {
      std::vector<std::string> names;
      for (const Speaker& s : talk.speakers) names.push_back(s.name);
      return names;
    }
    case FacetField::kCollection: return {talk.collection};
  }
  return {};
}

std::string FacetSlotValue(const Talk& talk) {
  std::string slot;
  for (size_t f = 0; f < kFacetFieldCount; ++f) {
    if (f > 0) slot += kFacetFieldSeparator;
    const std::vector<std::string> values = TalkFacetValues(talk, static_cast<FacetField>(f));
    for (size_t v = 0; v < values.size(); ++v) {
      if (v > 0) slot += kFacetSeparator;
      slot += values[v];
    }
  }
  return slot;
}

}  // namespace talksearch
