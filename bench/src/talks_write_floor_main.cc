// The floor of indexing under talksearch's design: the time Xapian alone
// takes to write an index's documents as talks-index writes them (one
// writer per part on its own thread, a commit every 1,000 talks, the parts
// merged by compaction), with the documents already analysed. Reads every
// document of an existing index into memory first (not timed), then writes
// them again.
//
//   talks-write-floor --db INDEX [--parts N] [--no-termlists]
//
// Prints the seconds of the writing and of the compaction, and talks/s.
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

Xapian::Document Copy(const Xapian::Document& source) {
  Xapian::Document doc;
  doc.set_data(source.get_data());
  for (auto v = source.values_begin(); v != source.values_end(); ++v) {
    doc.add_value(v.get_valueno(), *v);
  }
  for (auto t = source.termlist_begin(); t != source.termlist_end(); ++t) {
    if (t.positionlist_count() == 0) {
      doc.add_term(*t, t.get_wdf());
      continue;
    }
    Xapian::termcount positioned = 0;
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p, ++positioned) {
      doc.add_posting(*t, *p, 0);
    }
    if (t.get_wdf() > positioned) doc.add_term(*t, t.get_wdf() - positioned);
  }
  return doc;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string source;
  size_t parts = 2;
  int flags = Xapian::DB_CREATE_OR_OVERWRITE;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--no-termlists") flags |= Xapian::DB_NO_TERMLIST;  // as talks-index --no-termlists
    else if (flag == "--db" && i + 1 < argc) source = argv[++i];
    else if (flag == "--parts" && i + 1 < argc) parts = std::stoul(argv[++i]);
  }
  if (source.empty() || parts == 0) {
    std::cerr << "usage: talks-write-floor --db INDEX [--parts N] [--no-termlists]\n";
    return 2;
  }
  Xapian::Database in(source);
  std::vector<Xapian::Document> docs;
  docs.reserve(in.get_doccount());
  for (auto d = in.postlist_begin(""); d != in.postlist_end(""); ++d) {
    docs.push_back(Copy(in.get_document(*d)));
  }
  const std::filesystem::path work =
      std::filesystem::temp_directory_path() / ("talks-write-floor-" + std::to_string(getpid()));
  std::filesystem::create_directories(work);

  auto part_dir = [&work](size_t part) {
    return (work / ("part" + std::to_string(part))).string();
  };

  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> writers;
  for (size_t part = 0; part < parts; ++part) {
    writers.emplace_back([&, part] {
      Xapian::WritableDatabase db(part_dir(part), flags);
      const size_t begin = docs.size() * part / parts, end = docs.size() * (part + 1) / parts;
      for (size_t i = begin; i < end; ++i) {
        db.add_document(docs[i]);
        if ((i - begin + 1) % 1000 == 0) db.commit();
      }
      db.commit();
    });
  }
  for (std::thread& t : writers) t.join();
  const double writing = Seconds(start);

  const auto compact_start = std::chrono::steady_clock::now();
  Xapian::Database all;
  for (size_t part = 0; part < parts; ++part) {
    all.add_database(Xapian::Database(part_dir(part)));
  }
  all.compact((work / "compacted").string());
  const double compaction = Seconds(compact_start);
  std::filesystem::remove_all(work);

  std::printf("write floor: %zu talks, %zu parts: writing %.1f s, compaction %.1f s, "
              "total %.1f s (%.0f talks/s)\n",
              docs.size(), parts, writing, compaction, writing + compaction,
              docs.size() / (writing + compaction));
  return 0;
}
