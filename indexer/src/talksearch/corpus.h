// Reading the corpus folder into Talk records.
//
// corpus/seminar.md is the seminar page exactly as maintainers edit it; every
// other corpus/*.jsonl file holds one Talk per line (see corpus/README.md).
// Parsing never stops at a bad entry: each problem is returned with its file
// and line, and every other entry is still loaded.
#ifndef TALKSEARCH_CORPUS_H_
#define TALKSEARCH_CORPUS_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "talksearch/talk.h"

namespace talksearch {

struct CorpusProblem {
  std::string file;
  int line = 0;
  std::string message;
  // "corpus/seminar.md:412: section 第30回 has no title (発表題目)"
  std::string ToString() const;
};

struct CorpusParseResult {
  std::vector<Talk> talks;
  std::vector<CorpusProblem> problems;
};

// Whether `url` may be a talk's link (its page, its slides) on the seminar
// site: http(s), or relative (no scheme, on the same host). Anything else —
// javascript:, data: — would run or show what the corpus holds on the
// site's origin, and "//host/x" would lead to another host.
bool IsWebLink(std::string_view url);

// Whether `date` is YYYY-MM-DD and a day of that month (2020-02-29, not
// 2021-02-29 or 2026-02-30).
bool IsIsoDate(const std::string& date);

// The seminar page (Markdown). `file_name` is used in problems and provenance.
CorpusParseResult ParseSeminarPage(std::string_view markdown,
                                   const std::string& file_name);

// One JSON object per line; blank lines and lines starting with '#' skipped.
CorpusParseResult ParseJsonLines(std::string_view text,
                                 const std::string& file_name);

// seminar.md plus every *.jsonl in `dir` (sorted by name). Ids must be unique
// across files: a repeated id is a problem and the later record is dropped.
CorpusParseResult LoadCorpus(const std::filesystem::path& dir);

}  // namespace talksearch

#endif  // TALKSEARCH_CORPUS_H_
