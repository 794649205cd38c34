// The Talk record: what the corpus parsers produce, the indexer stores as
// document data, and the query library returns in results.
#ifndef TALKSEARCH_TALK_H_
#define TALKSEARCH_TALK_H_

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "talksearch/schema.h"

namespace talksearch {

struct Speaker {
  std::string name;
  std::string affiliation;
  // Empty for the speaker of a talk; "panelist" for the participants of a
  // panel discussion, who are searched with less weight than a speaker.
  std::string role;

  bool is_panelist() const { return role == "panelist"; }
};

struct Talk {
  std::string id;                   // stable: dlap-077, dlap-003b, hub-2020-05-06
  std::string collection{kDefaultCollection};  // "talks" or "papers"
  std::vector<std::string> series;  // dlap, mlphys, physics-ml-hub, ...
  std::optional<int> dlap_number;   // 第N回DLAP
  std::optional<int> mlphys_number;  // 第N回学習物理領域セミナー
  std::string date;                 // ISO 8601 (YYYY-MM-DD), empty if unknown
  std::string date_text;            // the date as the source writes it
  std::string time;                 // "10:30-11:30 JST" when given
  std::vector<Speaker> speakers;
  std::string title;
  std::string abstract;
  std::vector<std::string> references;
  std::string slides_url;
  std::string url;
  std::string venue;
  std::string language;  // "ja" or "en"
  std::optional<int> authors_count;
  std::string source_file;  // provenance for error messages
  int source_line = 0;

  // "三角 樹弘, 橋本幸士": speaker names joined for display.
  std::string SpeakerNames() const;
  std::string Affiliations() const;
  // The year of `date`, or 0 when the date is unknown.
  int Year() const;
};

void to_json(nlohmann::json& j, const Speaker& s);
void from_json(const nlohmann::json& j, Speaker& s);
void to_json(nlohmann::json& j, const Talk& t);
// Throws nlohmann::json::exception on a wrongly typed field.
void from_json(const nlohmann::json& j, Talk& t);

// The addresses of `talks`, in order, for the calls that take talks held
// elsewhere (a part or shard of one corpus) without copying them. Valid
// while `talks` is neither changed nor destroyed.
std::vector<const Talk*> TalkPointers(const std::vector<Talk>& talks);

// "ja" when the text is mostly Japanese script, else "en".
std::string DetectLanguage(const std::string& text);

}  // namespace talksearch

#endif  // TALKSEARCH_TALK_H_
