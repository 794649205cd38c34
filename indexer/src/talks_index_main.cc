// talks-index: builds or updates the search index from the corpus folder.
//
//   talks-index --corpus corpus --db data/index [--shards N] [--mecab-dict DIR]
//               [--mecab-userdic FILE|none] [--glossary FILE|none] [--check]
//
// Problems in the corpus are printed as file:line and do not stop indexing;
// --check only validates and exits 1 when there is any problem.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>

#include "talksearch/command_line.h"
#include "talksearch/corpus.h"
#include "talksearch/glossary.h"
#include "talksearch/index_build.h"
#include "talksearch/index_layout.h"
#include "talksearch/index_writer.h"
#include "talksearch/static_bundle.h"
#include "talksearch/update_guard.h"

namespace {

void Usage(std::FILE* out) {
  std::fprintf(out,
               "usage: talks-index --corpus DIR --db DIR [--shards N] [--no-termlists] %s [--allow-removals] [--static-out DIR] [--check | --dump]\n"
               "  Builds the index from DIR/seminar.md and DIR/*.jsonl, updating\n"
               "  an existing index in place (added/changed/removed/unchanged).\n"
               "  --shards N  split the index over N databases (DIR/shard-NN, written in\n"
               "           parallel) that talks-server or xapian-tcpsrv serve as one; an\n"
               "           existing sharded index keeps its shard count without --shards\n"
               "  --no-termlists  build a new index without Xapian's termlists: a third\n"
               "           smaller, searched the same, but it cannot be updated in place\n"
               "           (index into a new directory instead) nor served by xapian-tcpsrv\n"
               "  --check  validate the corpus only (with --db, also list what an update\n"
               "           would add, remove and redate); exit 1 if it has problems or\n"
               "           the update would need --allow-removals\n"
               "  --allow-removals  let an update remove more than 2 talks or change more\n"
               "           than 2 talks' dates (refused without it: that is what a stray\n"
               "           <!-- or a wrong heading does to the page)\n"
               "  --static-out DIR  after indexing, also write the index as a static\n"
               "           search bundle (gzip chunks) the widget searches without a server\n"
               "  --dump   print the parsed talks as JSON Lines (no index written)\n"
               "  --verbose  also list the ids of unchanged talks\n"
               "  --config FILE  (first) settings as \"key = value\" lines, e.g. \"db = DIR\";\n"
               "           default $TALKSEARCH_CONFIG, else /etc/talksearch/talksearch.conf\n"
               "           if it exists; flags on the command line win\n",
               talksearch::kAnalysisFlagsUsage);
}

// Up to this many added or changed talks are listed one a line.
constexpr size_t kDescribedTalks = 10;

// The ids, space-separated; without `all`, the first 20 and a count of the
// rest (a first index of 100,000 talks is not a list to read).
std::string JoinIds(const std::vector<std::string>& ids, bool all) {
  constexpr size_t kShown = 20;
  std::string out;
  for (size_t i = 0; i < ids.size() && (all || i < kShown); ++i) out += (i ? " " : "") + ids[i];
  if (!all && ids.size() > kShown) {
    out += " … and " + std::to_string(ids.size() - kShown) + " more (--verbose lists all)";
  }
  return out;
}

// Prints what the update would do to the talks already indexed (`added`
// too when `list_added`; up to 20 lines of each kind unless `all`);
// returns whether it needs --allow-removals and does not have it.
bool ReportPreview(const talksearch::UpdatePreview& preview, bool removes_absent,
                   bool allowed, bool list_added, bool all) {
  using talksearch::Describe;
  constexpr size_t kShown = 20;
  auto more = [&](const char* what, size_t count) {
    if (!all && count > kShown) {
      std::printf("%s: … and %zu more (--verbose lists all)\n", what, count - kShown);
    }
  };
  if (list_added) {
    for (size_t i = 0; i < preview.added.size() && (all || i < kShown); ++i) {
      std::printf("add: %s\n", Describe(*preview.added[i]).c_str());
    }
    more("add", preview.added.size());
  }
  const char* absent = removes_absent ? "remove" : "keep";
  for (size_t i = 0; i < preview.removed.size() && (all || i < kShown); ++i) {
    std::printf("%s: %s (not in the corpus)\n", absent, Describe(preview.removed[i]).c_str());
  }
  more(absent, preview.removed.size());
  for (size_t i = 0; i < preview.redated.size() && (all || i < kShown); ++i) {
    const auto& talk = preview.redated[i];
    std::printf("redate: %s -> %s\n", Describe(talk.indexed).c_str(),
                talk.new_date.empty() ? "(no date)" : talk.new_date.c_str());
  }
  more("redate", preview.redated.size());
  if (!talksearch::NeedsConfirmation(preview, removes_absent)) return false;
  std::fprintf(stderr,
               "talks-index: the update would remove %zu and redate %zu indexed talks (listed "
               "above); more than %zu of either is what a stray <!-- or a wrong heading in the "
               "page does. %s\n",
               removes_absent ? preview.removed.size() : 0, preview.redated.size(),
               talksearch::kFewTalks,
               allowed ? "Going ahead (--allow-removals)."
                       : "Nothing was written: if that is meant, rerun with --allow-removals.");
  return !allowed;
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus_dir, db_dir, static_out;
  talksearch::AnalysisFlags analysis;
  bool check_only = false, dump = false, verbose = false, allow_removals = false;
  talksearch::Termlists termlists = talksearch::Termlists::kKeep;
  size_t shards = 0;  // 0: a single database (or the count an existing sharded index has)
  talksearch::CommandLine args("talks-index", argc, argv);
  while (args.Next()) {
    const std::string& arg = args.arg();
    if (analysis.Take(args)) continue;
    if (arg == "--corpus") corpus_dir = args.Value();
    else if (arg == "--db") db_dir = args.Value();
    else if (arg == "--static-out") static_out = args.Value();
    else if (arg == "--check") check_only = true;
    else if (arg == "--allow-removals") allow_removals = true;
    else if (arg == "--dump") dump = true;
    else if (arg == "--verbose" || arg == "-v") verbose = true;
    else if (arg == "--no-termlists") termlists = talksearch::Termlists::kDrop;
    else if (arg == "--shards") {
      const std::string n = args.Value();
      shards = std::strtoul(n.c_str(), nullptr, 10);
      if (shards < 1 || shards > 64) {
        std::fprintf(stderr, "talks-index: --shards takes 1 to 64, not '%s'\n", n.c_str());
        return 2;
      }
    }
    else if (args.IsHelp()) { Usage(stdout); return 0; }
    else if (args.FromConfig()) continue;  // another program's setting
    else {
      args.ReportUnknown();
      Usage(stderr);
      return 2;
    }
  }
  if (corpus_dir.empty() || (db_dir.empty() && !check_only && !dump)) {
    Usage(stderr);
    return 2;
  }

  if (termlists == talksearch::Termlists::kDrop && !check_only && !dump &&
      std::filesystem::exists(db_dir)) {
    // An existing index is updated in place, which needs its termlists.
    std::fprintf(stderr, "talks-index: --no-termlists builds a new index, and %s exists: "
                 "index into a new directory\n", db_dir.c_str());
    return 2;
  }
  if (!std::filesystem::is_directory(corpus_dir)) {
    // A mistyped --corpus is no empty corpus: it would empty the index.
    std::fprintf(stderr, "talks-index: corpus directory %s not found (nothing written)\n",
                 corpus_dir.c_str());
    return 2;
  }
  talksearch::CorpusParseResult corpus = talksearch::LoadCorpus(corpus_dir);
  for (const auto& p : corpus.problems) std::cerr << p.ToString() << "\n";
  if (dump) {
    for (const auto& t : corpus.talks) std::cout << nlohmann::json(t).dump() << "\n";
    return corpus.problems.empty() ? 0 : 1;
  }
  // A talk whose entry (or file) could not be read is absent from the
  // corpus, not gone from the seminar: while the corpus has problems,
  // nothing is removed.
  const bool removes_absent = corpus.problems.empty();
  const bool updates_index = !db_dir.empty() && std::filesystem::exists(db_dir);
  if (check_only) {
    std::printf("%zu talks, %zu problems\n", corpus.talks.size(), corpus.problems.size());
    bool refused = false;
    if (updates_index) {
      try {
        refused = ReportPreview(
            talksearch::PreviewUpdate(talksearch::ReadIndexedTalks(db_dir), corpus.talks),
            removes_absent, allow_removals, /*list_added=*/true, verbose);
      } catch (const Xapian::Error& e) {
        std::fprintf(stderr, "talks-index: %s\n", e.get_description().c_str());
        return 1;
      }
    }
    return corpus.problems.empty() && !refused ? 0 : 1;
  }
  try {
    if (updates_index &&
        ReportPreview(
            talksearch::PreviewUpdate(talksearch::ReadIndexedTalks(db_dir), corpus.talks),
            removes_absent, allow_removals, /*list_added=*/false, verbose)) {
      return 1;
    }
    auto model = analysis.OpenModel();
    // A sharded index is reindexed as one, with the shard count it has.
    if (shards == 0) shards = talksearch::ShardDirectories(db_dir).size();
    // A progress bar on a terminal; on a pipe or log, a plain line per tenth
    // (only for runs long enough to need it).
    const bool terminal = isatty(fileno(stderr));
    size_t last_tenth = 0;
    auto progress = [&](size_t done, size_t total) {
      if (total == 0) return;
      if (terminal) {
        const int width = 30;
        const int filled = static_cast<int>(width * done / total);
        std::fprintf(stderr, "\rindexing [%.*s%*s] %zu/%zu", filled,
                     "##############################", width - filled, "", done, total);
        if (done == total) std::fprintf(stderr, "\n");
      } else if (total >= 1000 && done * 10 / total > last_tenth) {
        last_tenth = done * 10 / total;
        std::fprintf(stderr, "indexing: %zu/%zu talks\n", done, total);
      }
    };
    // The talks mark the glossary's concepts, which queries widen to.
    const auto glossary = analysis.LoadGlossary(model);
    // A new single index is built aside and compacted; an existing one is
    // updated in place, in one transaction.
    talksearch::IndexingOptions indexing;
    indexing.model = model;
    indexing.glossary = glossary;
    indexing.progress = progress;
    indexing.termlists = termlists;
    const talksearch::AbsentTalks absent = removes_absent
                                               ? talksearch::AbsentTalks::kRemove
                                               : talksearch::AbsentTalks::kKeep;
    const talksearch::IndexUpdateReport r =
        talksearch::UpdateIndex(db_dir, corpus.talks, indexing, shards, absent);
    for (const auto& p : r.failed) std::cerr << p.ToString() << "\n";
    std::printf("indexed %zu talks into %s in %.2fs: %zu added, %zu changed, "
                "%zu removed, %zu unchanged (%u documents%s, revision %lu)\n",
                corpus.talks.size() - r.failed.size(), db_dir.c_str(), r.seconds, r.added.size(),
                r.changed.size(), r.removed.size(), r.unchanged.size(), r.documents,
                shards > 0 ? (" in " + std::to_string(shards) + " shards").c_str() : "",
                static_cast<unsigned long>(r.revision));
    // A few added or changed talks are listed with their date and title,
    // what a maintainer checks after adding a session; many, by id.
    std::map<std::string, const talksearch::Talk*> by_id;
    for (const talksearch::Talk& talk : corpus.talks) by_id.emplace(talk.id, &talk);
    auto list = [&](const char* what, const std::vector<std::string>& ids) {
      if (ids.empty()) return;
      if (ids.size() > kDescribedTalks && !verbose) {
        std::printf("%s: %s\n", what, JoinIds(ids, false).c_str());
        return;
      }
      for (const std::string& id : ids) {
        auto talk = by_id.find(id);
        std::printf("%s: %s\n", what,
                    talk == by_id.end() ? id.c_str() : talksearch::Describe(*talk->second).c_str());
      }
    };
    list("added", r.added);
    list("changed", r.changed);
    if (!r.removed.empty()) std::printf("removed: %s\n", JoinIds(r.removed, verbose).c_str());
    if (verbose && !r.unchanged.empty()) {
      std::printf("unchanged: %s\n", JoinIds(r.unchanged, true).c_str());
    }
    if (!r.kept.empty()) {
      std::printf("kept: %s (not in the corpus, but it has problems: fix them and reindex to "
                  "remove these)\n", JoinIds(r.kept, verbose).c_str());
    }
    if (!corpus.problems.empty() || !r.failed.empty()) {
      std::printf("%zu corpus problems reported above; the rest was indexed\n",
                  corpus.problems.size() + r.failed.size());
    }
    // Segmentation check: domain terms MeCab splits lose precision silently.
    if (glossary) {
      talksearch::Analyzer analyzer(model);
      const auto split = talksearch::TermsMecabSplits(
          talksearch::DomainTerms(*glossary, talksearch::DefaultUserDictionarySource()),
          analyzer);
      if (!split.empty()) {
        std::fprintf(stderr, "segmentation check: MeCab splits %zu glossary/dictionary terms; "
                             "add them to dict/userdic.tsv:\n", split.size());
        for (const std::string& term : split) std::fprintf(stderr, "  %s\n", term.c_str());
      }
    }
    if (!static_out.empty()) {
      talksearch::Analyzer analyzer(model);
      const talksearch::StaticBundleSummary bundle =
          talksearch::WriteStaticBundle(db_dir, static_out, glossary.get(), analyzer);
      std::printf("static bundle: %llu files, %llu bytes in %s\n",
                  static_cast<unsigned long long>(bundle.files),
                  static_cast<unsigned long long>(bundle.bytes), static_out.c_str());
    }
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "talks-index: %s\n", e.get_description().c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "talks-index: %s\n", e.what());
    return 1;
  }
  return 0;
}
