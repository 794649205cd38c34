#include "talksearch/corpus.h"

#include "talksearch/text_lines.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace talksearch {
namespace {

// YYYY-MM-DD with a month 01-12 and a day 01-31.
bool IsIsoDate(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(date[i]))) return false;
  }
  const int month = std::stoi(date.substr(5, 2));
  const int day = std::stoi(date.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

std::string CorpusProblem::ToString() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  return out + ": " + message;
}

CorpusParseResult ParseJsonLines(std::string_view text,
                                 const std::string& file_name) {
  CorpusParseResult result;
  ForEachDataLine(text, [&](std::string_view line, int line_number) {
    auto problem = [&](const std::string& message) {
      result.problems.push_back({file_name, line_number, message});
    };
    try {
      nlohmann::json j = nlohmann::json::parse(line);
      if (!j.is_object()) {
        problem("expected a JSON object");
        return;
      }
      Talk talk = j.get<Talk>();
      if (talk.id.empty()) {
        problem("empty \"id\"");
        return;
      }
      if (talk.title.empty()) {
        problem("record " + talk.id + " has an empty \"title\"");
        return;
      }
      if (talk.language.empty()) {
        talk.language = DetectLanguage(talk.abstract.empty()
                                           ? talk.title
                                           : talk.title + "\n" + talk.abstract);
      }
      if (!talk.date.empty() && !IsIsoDate(talk.date)) {
        problem("record " + talk.id + " has an unparseable date \"" +
                talk.date + "\" (want YYYY-MM-DD)");
        talk.date.clear();
      }
      talk.source_file = file_name;
      talk.source_line = line_number;
      result.talks.push_back(std::move(talk));
    } catch (const nlohmann::json::exception& e) {
      problem(std::string("invalid record: ") + e.what());
    }
  });
  return result;
}

namespace {

bool ReadFile(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return true;
}

void Append(CorpusParseResult& into, CorpusParseResult&& from) {
  for (Talk& t : from.talks) into.talks.push_back(std::move(t));
  for (CorpusProblem& p : from.problems) into.problems.push_back(std::move(p));
}

}  // namespace

CorpusParseResult LoadCorpus(const std::filesystem::path& dir) {
  CorpusParseResult all;
  const std::filesystem::path page = dir / "seminar.md";
  std::string text;
  if (ReadFile(page, text)) {
    Append(all, ParseSeminarPage(text, page.string()));
  } else {
    all.problems.push_back({page.string(), 0, "cannot read the seminar page"});
  }

  std::vector<std::filesystem::path> jsonl;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".jsonl") {
      jsonl.push_back(entry.path());
    }
  }
  if (ec) all.problems.push_back({dir.string(), 0, "cannot list: " + ec.message()});
  std::sort(jsonl.begin(), jsonl.end());
  for (const auto& path : jsonl) {
    if (!ReadFile(path, text)) {
      all.problems.push_back({path.string(), 0, "cannot read"});
      continue;
    }
    Append(all, ParseJsonLines(text, path.string()));
  }

  // Ids are the documents' identity in the index: keep the first of a kind.
  std::map<std::string, std::string> first_seen;  // id -> "file:line"
  std::vector<Talk> unique;
  for (Talk& t : all.talks) {
    const std::string where = t.source_file + ":" + std::to_string(t.source_line);
    auto [it, inserted] = first_seen.emplace(t.id, where);
    if (!inserted) {
      all.problems.push_back({t.source_file, t.source_line,
                              "duplicate id " + t.id + " (first at " + it->second +
                                  "; this record skipped)"});
      continue;
    }
    unique.push_back(std::move(t));
  }
  all.talks = std::move(unique);
  return all;
}

}  // namespace talksearch
