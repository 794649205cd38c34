#include "talksearch/corpus.h"

#include "talksearch/text_lines.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

namespace talksearch {
namespace {

// Ids name documents (the Xapian term Q<id>) and talks in the API
// (/api/talks/{id}, which takes [a-z0-9][a-z0-9_-]*): lowercase ASCII
// letters and digits, then also '-' and '_', at most 100.
constexpr size_t kMaxIdBytes = 100;
bool IsValidId(const std::string& id) {
  auto letter_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  return !id.empty() && id.size() <= kMaxIdBytes && letter_or_digit(id.front()) &&
         std::all_of(id.begin(), id.end(), [&](char c) {
           return letter_or_digit(c) || c == '-' || c == '_';
         });
}

// Series, language and collection are filter terms, which Xapian limits
// in length; no real one is near this.
constexpr size_t kMaxLabelBytes = 100;

// A record past this is no talk (an abstract is a few KB); the index reads
// stored talks of up to 16 MiB back.
constexpr size_t kMaxRecordBytes = 1 << 20;

}  // namespace

bool IsWebLink(std::string_view url) {
  // "//host/x" is relative to the scheme only: a link to another host.
  // Browsers drop leading spaces and control characters and read '\\' as
  // '/', so " /\\host" goes there too.
  size_t start = 0;
  while (start < url.size() && static_cast<unsigned char>(url[start]) <= 0x20) ++start;
  auto is_slash = [](char c) { return c == '/' || c == '\\'; };
  if (url.size() - start >= 2 && is_slash(url[start]) &&
      is_slash(url[start + 1])) {
    return false;
  }
  // A scheme is letters, digits, '+', '-', '.' before the first ':', ahead
  // of any '/', '?' or '#' (RFC 3986); without one the link is relative.
  const size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon > url.find_first_of("/?#")) return true;
  std::string scheme;
  for (char c : url.substr(0, colon)) {
    scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  // Not lenient: " javascript:" or "java\tscript:" (which browsers clean
  // up and run) are no http(s) scheme either.
  return scheme == "http" || scheme == "https";
}

bool IsIsoDate(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(date[i]))) return false;
  }
  const int year = std::stoi(date.substr(0, 4));
  const int month = std::stoi(date.substr(5, 2));
  const int day = std::stoi(date.substr(8, 2));
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

std::string CorpusProblem::ToString() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  return out + ": " + message;
}

CorpusParseResult ParseJsonLines(std::string_view text,
                                 const std::string& file_name) {
  CorpusParseResult result;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a BOM
  ForEachDataLine(text, [&](std::string_view line, int line_number) {
    auto problem = [&](const std::string& message) {
      result.problems.push_back({file_name, line_number, message});
    };
    if (line.size() > kMaxRecordBytes) {
      problem("record of " + std::to_string(line.size()) + " bytes, over the " +
              std::to_string(kMaxRecordBytes) + " a talk may have");
      return;
    }
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
      if (!IsValidId(talk.id)) {
        problem("id \"" + talk.id.substr(0, kMaxIdBytes) + (talk.id.size() > kMaxIdBytes ? "…" : "") +
                "\" is not 1 to " + std::to_string(kMaxIdBytes) +
                " lowercase ASCII letters, digits, '-' or '_', starting with a letter or digit");
        return;
      }
      std::string too_long;
      for (const std::string* label : {&talk.language, &talk.collection}) {
        if (label->size() > kMaxLabelBytes) too_long = *label;
      }
      for (const std::string& series : talk.series) {
        if (series.size() > kMaxLabelBytes) too_long = series;
      }
      if (!too_long.empty()) {
        problem("record " + talk.id + " has a series, language or collection over " +
                std::to_string(kMaxLabelBytes) + " bytes (\"" + too_long.substr(0, 40) + "…\")");
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
      for (std::string* link : {&talk.url, &talk.slides_url}) {
        if (IsWebLink(*link)) continue;
        problem("record " + talk.id + " has a link that is not http(s) or relative (dropped): \"" +
                link->substr(0, 60) + "\"");
        link->clear();
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
