// talks-generate: a deterministic synthetic corpus for benchmarks and fault
// tests — N talks whose titles, speakers and abstracts are recombined from
// the real corpus's sentences (Japanese and English), so term statistics
// stay realistic.
//
//   talks-generate --corpus corpus --count 100000 [--seed 1] > bench.jsonl
//
// The same corpus, count and seed always give the same file.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "talksearch/corpus.h"

namespace {

// Splits an abstract into sentences at 。．. and line ends.
std::vector<std::string> Sentences(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    const std::string ch = text.substr(i, len);
    i += len;
    if (ch == "\n") {
      if (!current.empty()) out.push_back(current);
      current.clear();
      continue;
    }
    current += ch;
    if (ch == "。" || ch == "．" || (ch == "." && (i >= text.size() || text[i] == ' '))) {
      out.push_back(current);
      current.clear();
    }
  }
  if (current.size() > 3) out.push_back(current);
  return out;
}

// At most `max_bytes` of `s`, cut on a character boundary.
std::string Utf8Prefix(const std::string& s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus_dir = "corpus";
  size_t count = 10000;
  uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    if (arg == "--corpus") corpus_dir = argv[i + 1];
    else if (arg == "--count") count = std::stoul(argv[i + 1]);
    else if (arg == "--seed") seed = std::stoull(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: talks-generate --corpus DIR --count N [--seed S]\n");
      return 2;
    }
  }
  const talksearch::CorpusParseResult corpus = talksearch::LoadCorpus(corpus_dir);
  std::vector<std::string> sentences, titles;
  std::vector<talksearch::Speaker> speakers;
  for (const talksearch::Talk& t : corpus.talks) {
    for (std::string& s : Sentences(t.abstract)) sentences.push_back(std::move(s));
    titles.push_back(t.title);
    for (const talksearch::Speaker& s : t.speakers) speakers.push_back(s);
  }
  if (sentences.empty() || titles.empty() || speakers.empty()) {
    std::fprintf(stderr, "talks-generate: no material in %s\n", corpus_dir.c_str());
    return 1;
  }
  // mt19937_64's sequence is fixed by the standard; modulo (not a
  // distribution) keeps the output identical across library versions.
  std::mt19937_64 rng(seed);
  auto pick = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };
  for (size_t n = 0; n < count; ++n) {
    talksearch::Talk t;
    char id[32];
    std::snprintf(id, sizeof id, "gen-%07zu", n + 1);
    t.id = id;
    t.series = {"generated"};
    const std::string& a = titles[pick(titles.size())];
    const std::string& b = titles[pick(titles.size())];
    t.title = Utf8Prefix(a, 45) + " / " + Utf8Prefix(b, 30);
    t.speakers = {speakers[pick(speakers.size())]};
    t.speakers[0].role.clear();
    const size_t length = 3 + pick(6);
    for (size_t s = 0; s < length; ++s) t.abstract += sentences[pick(sentences.size())];
    char date[16];
    std::snprintf(date, sizeof date, "%04zu-%02zu-%02zu", 2020 + pick(7), 1 + pick(12), 1 + pick(28));
    t.date = date;
    t.language = talksearch::DetectLanguage(t.abstract);
    std::cout << nlohmann::json(t).dump() << "\n";
  }
  return 0;
}
