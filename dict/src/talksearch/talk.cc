#include "talksearch/talk.h"

#include <unicode/utf8.h>

#include <algorithm>

#include "talksearch/normalizer.h"

namespace talksearch {
namespace {

std::string JoinNonEmpty(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += ", ";
    out += p;
  }
  return out;
}

template <typename T>
void SetIfPresent(const nlohmann::json& j, const char* key, T& out) {
  auto it = j.find(key);
  if (it != j.end() && !it->is_null()) it->get_to(out);
}

}  // namespace

std::string Talk::SpeakerNames() const {
  std::vector<std::string> names;
  for (const Speaker& s : speakers) names.push_back(s.name);
  return JoinNonEmpty(names);
}

std::string Talk::Affiliations() const {
  std::vector<std::string> affs;
  for (const Speaker& s : speakers) {
    if (!s.affiliation.empty() &&
        std::find(affs.begin(), affs.end(), s.affiliation) == affs.end()) {
      affs.push_back(s.affiliation);
    }
  }
  return JoinNonEmpty(affs);
}

int Talk::Year() const {
  if (date.size() < 4) return 0;
  int year = 0;
  for (int i = 0; i < 4; ++i) {
    if (date[i] < '0' || date[i] > '9') return 0;
    year = year * 10 + (date[i] - '0');
  }
  return year;
}

void to_json(nlohmann::json& j, const Speaker& s) {
  j = {{"name", s.name}};
  if (!s.affiliation.empty()) j["affiliation"] = s.affiliation;
  if (!s.role.empty()) j["role"] = s.role;
}

void from_json(const nlohmann::json& j, Speaker& s) {
  j.at("name").get_to(s.name);
  SetIfPresent(j, "affiliation", s.affiliation);
  SetIfPresent(j, "role", s.role);
}

void to_json(nlohmann::json& j, const Talk& t) {
  j = nlohmann::json::object();
  j["id"] = t.id;
  j["collection"] = t.collection;
  j["series"] = t.series;
  if (t.dlap_number) j["dlap_number"] = *t.dlap_number;
  if (t.mlphys_number) j["mlphys_number"] = *t.mlphys_number;
  j["date"] = t.date;
  if (!t.date_text.empty()) j["date_text"] = t.date_text;
  if (!t.time.empty()) j["time"] = t.time;
  j["speakers"] = t.speakers;
  j["title"] = t.title;
  j["abstract"] = t.abstract;
  j["references"] = t.references;
  if (!t.slides_url.empty()) j["slides_url"] = t.slides_url;
  if (!t.url.empty()) j["url"] = t.url;
  if (!t.venue.empty()) j["venue"] = t.venue;
  j["language"] = t.language;
  if (t.authors_count) j["authors_count"] = *t.authors_count;
}

void from_json(const nlohmann::json& j, Talk& t) {
  t = Talk();
  j.at("id").get_to(t.id);
  SetIfPresent(j, "collection", t.collection);
  auto series = j.find("series");
  if (series != j.end() && series->is_string()) {
    t.series = {series->get<std::string>()};
  } else {
    SetIfPresent(j, "series", t.series);
  }
  if (j.contains("dlap_number")) t.dlap_number = j["dlap_number"].get<int>();
  if (j.contains("mlphys_number")) t.mlphys_number = j["mlphys_number"].get<int>();
  SetIfPresent(j, "date", t.date);
  SetIfPresent(j, "date_text", t.date_text);
  SetIfPresent(j, "time", t.time);
  SetIfPresent(j, "speakers", t.speakers);
  j.at("title").get_to(t.title);
  SetIfPresent(j, "abstract", t.abstract);
  SetIfPresent(j, "references", t.references);
  SetIfPresent(j, "slides_url", t.slides_url);
  SetIfPresent(j, "url", t.url);
  SetIfPresent(j, "venue", t.venue);
  SetIfPresent(j, "language", t.language);
  if (j.contains("authors_count")) t.authors_count = j["authors_count"].get<int>();
}

std::string DetectLanguage(const std::string& text) {
  size_t japanese = 0, latin = 0;
  ForEachCodePoint(text, [&](char32_t c, size_t, size_t) {
    if (IsCjkCodePoint(c)) {
      ++japanese;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      ++latin;
    }
  });
  // A Japanese character carries roughly as much text as a short English
  // word, so Japanese wins when it is a fifth of the letters or more.
  return japanese * 5 >= latin && japanese > 0 ? "ja" : "en";
}

std::vector<const Talk*> TalkPointers(const std::vector<Talk>& talks) {
  std::vector<const Talk*> pointers;
  pointers.reserve(talks.size());
  for (const Talk& t : talks) pointers.push_back(&t);
  return pointers;
}

}  // namespace talksearch
