#include "talksearch/index_writer.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "talksearch/index_layout.h"
#include "talksearch/normalizer.h"
#include "talksearch/schema.h"
#include "talksearch/stable_hash.h"
#include "talksearch/term_mapper.h"

namespace talksearch {
namespace {

// Position gap between separate values of one field (two speakers), so a
// phrase never runs from one name into the next.
constexpr Xapian::termpos kValueGap = 100;

// A word token as typed, normalized: normalized again from the source text,
// not its term, which is an English stem or a folded kana key (フアイル for
// ファイル: "did you mean" shows the spelling the talk uses). Plain ASCII by
// lowercasing it; ICU only for anything else (full-width letters, Japanese).
bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x80; });
}

std::string UnstemmedWord(const std::string& text, const Token& t) {
  const std::string_view source = std::string_view(text).substr(t.begin, t.end - t.begin);
  if (!IsAscii(source)) return NormalizeString(source);
  std::string word(source);
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return word;
}

// Words for "did you mean": English words and katakana words as typed
// (normalized, unstemmed), counted, from `text` and its tokens.
void AddSpellingWords(const std::string& text, const std::vector<Token>& tokens,
                      SpellingWordCounts& words) {
  for (const Token& t : tokens) {
    // Subwords too: シュウィンガー of the compound シュウィンガー模型 is a
    // word a query may misspell alone.
    if (t.kind != TermKind::kWord && t.kind != TermKind::kSubword) continue;
    const std::string word = UnstemmedWord(text, t);
    if (word.size() < 4 || word.find(' ') != std::string::npos) continue;
    // A word mixing katakana and hiragana (カッコいい) is not a loanword to
    // correct to.
    if (IsSpellingScriptNormalized(word)) ++words[word];
  }
}

bool HasHan(std::string_view text) {
  bool han = false;
  ForEachCodePoint(text, [&han](char32_t c, size_t, size_t) {
    han = han || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || c == 0x3005;
  });
  return han;
}

// The Japanese words of `tokens` by their reading (see ReadingWords).
void AddReadingWords(const std::vector<Token>& tokens, Analyzer& analyzer, ReadingWords& words) {
  for (const Token& t : tokens) {
    if (t.kind != TermKind::kWord && t.kind != TermKind::kSubword) continue;
    if (t.term.size() < 6 || !HasHan(t.term)) continue;  // two characters or more
    const std::string& reading = analyzer.WordReading(t.term);
    if (CodePointCount(reading) < Analyzer::kMinDistinctiveReading) continue;
    words.emplace(std::string(kReadingSynonymPrefix) + reading, t.term);
  }
}

// Concept -> places, over the values of one field.
using ConceptCounts = std::map<size_t, Xapian::termcount>;

void IndexText(Xapian::Document& doc, const TextField& field,
               const std::string& text, Analyzer& analyzer,
               Xapian::termpos& base, SpellingWordCounts* spelling = nullptr,
               const ConceptMatcher* concepts = nullptr, ConceptCounts* found = nullptr,
               ReadingWords* reading_words = nullptr) {
  if (text.empty()) return;
  Xapian::termpos last = 0;
  std::vector<Token> tokens = analyzer.Analyze(text, FieldAnalyzeOptions(field));
  if (spelling) AddSpellingWords(text, tokens, *spelling);
  if (reading_words) AddReadingWords(tokens, analyzer, *reading_words);
  if (concepts && found && !field.concept_prefix.empty()) {
    for (const auto& o : concepts->Find(tokens)) (*found)[o.concept] += o.count;
  }
  if (field.is_person_name) {
    // "Koji Hashimoto" also by its katakana reading, as a romaji query is.
    for (Token& t : NameReadings(text, analyzer)) tokens.push_back(std::move(t));
  }
  for (const Token& token : tokens) {
    if (!FieldHasTermsOf(field, token.kind)) continue;
    if (TokenKeepsPosition(token)) {
      doc.add_posting(FieldTerm(field, token), base + token.position);
    } else {
      doc.add_term(FieldTerm(field, token));
    }
    last = std::max<Xapian::termpos>(last, token.position);
  }
  base += last + kValueGap;
}

// The spelling words of a talk's title and abstract (what BuildDocument
// collects), for taking back those of a stored talk.
SpellingWordCounts SpellingWords(const Talk& talk, Analyzer& analyzer) {
  SpellingWordCounts words;
  for (const std::string* text : {&talk.title, &talk.abstract}) {
    AddSpellingWords(*text, analyzer.Analyze(*text), words);
  }
  return words;
}

// Xapian (glass) refuses a longer term, at add_document, for the whole
// batch being written.
constexpr size_t kMaxXapianTermBytes = 245;

// A filter term; one too long for Xapian, or of an empty value, is no filter
// (the corpus loader refuses such labels; this keeps any other caller's talk
// indexable).
void AddBooleanTerm(Xapian::Document& doc, const FilterField& filter, const std::string& value) {
  const std::string term = FilterTerm(filter, value);
  if (term.size() > filter.prefix.size() && term.size() <= kMaxXapianTermBytes) {
    doc.add_boolean_term(term);
  }
}

// What a talk's document depends on besides the talk: the analysis and the
// glossary whose concepts it marks. A talk is rebuilt when either changes.
std::string GlossaryDigest(const ConceptMatcher* concepts) {
  return concepts ? concepts->glossary().digest() : "none";
}

std::string IndexFingerprint(Analyzer& analyzer, const ConceptMatcher* concepts) {
  return analyzer.Fingerprint() + "\nglossary " + GlossaryDigest(concepts);
}

}  // namespace

std::string ContentHash(const Talk& talk, const std::string& fingerprint) {
  // FNV-1a over the stored JSON and the analysis fingerprint: a change to
  // either means the document must be rebuilt.
  return StableHashHex(nlohmann::json(talk).dump() + '\n' + fingerprint + '\n' +
                       std::string(kSchemaVersion));
}

Xapian::Document BuildDocument(const Talk& talk, Analyzer& analyzer,
                               SpellingWordCounts* spelling_words,
                               const ConceptMatcher* concepts, const StoredTalkCodec* codec,
                               ReadingWords* reading_words) {
  Xapian::Document doc;
  for (const TextField& field : kTextFields) {
    Xapian::termpos base = 0;
    ConceptCounts found;
    switch (field.id) {
      case TextFieldId::kTitle:
        IndexText(doc, field, talk.title, analyzer, base, spelling_words, concepts, &found,
                  reading_words);
        break;
      case TextFieldId::kSpeaker:
        for (const Speaker& s : talk.speakers) {
          if (!s.is_panelist()) IndexText(doc, field, s.name, analyzer, base);
        }
        break;
      case TextFieldId::kPanelist:
        for (const Speaker& s : talk.speakers) {
          if (s.is_panelist()) IndexText(doc, field, s.name, analyzer, base);
        }
        break;
      case TextFieldId::kAffiliation:
        // Its institutions are glossary concepts too (東大 = 東京大学 =
        // University of Tokyo).
        for (const Speaker& s : talk.speakers) {
          IndexText(doc, field, s.affiliation, analyzer, base, nullptr, concepts, &found);
        }
        break;
      case TextFieldId::kAbstract:
        IndexText(doc, field, talk.abstract, analyzer, base, spelling_words, concepts, &found,
                  reading_words);
        break;
      case TextFieldId::kReferences:
        for (const std::string& r : talk.references) {
          IndexText(doc, field, r, analyzer, base, nullptr, concepts, &found);
        }
        break;
    }
    if (found.empty()) continue;
    // No positions: concepts are never part of a phrase.
    std::vector<ConceptMatcher::Occurrence> occurrences;
    for (const auto& [concept, count] : found) occurrences.push_back({concept, count});
    auto add = [&](ConceptLink link, const std::vector<ConceptMatcher::Occurrence>& list) {
      if (ConceptPrefix(field, link).empty()) return;
      for (const auto& o : list) {
        doc.add_term(ConceptTerm(field, link, concepts->glossary(), o.concept), o.count);
      }
    };
    add(ConceptLink::kSelf, occurrences);
    add(ConceptLink::kNarrower, concepts->BroaderOf(occurrences));
    add(ConceptLink::kRelated, concepts->RelatedOf(occurrences));
  }

  const std::string id_term = IdTerm(talk.id);
  if (talk.id.empty() || id_term.size() > kMaxXapianTermBytes) {
    throw std::invalid_argument("its id is empty or over " +
                                std::to_string(kMaxXapianTermBytes - kIdPrefix.size()) + " bytes");
  }
  doc.add_boolean_term(id_term);  // replace_document(id_term) needs it
  // Every name the speaker facet may show is a filter, up to Xapian's term
  // length (a name over the analyzer's 64-byte word limit was shown as a
  // facet value that then found nothing).
  for (const FilterField& filter : kFilterFields) {
    for (const std::string& value : TalkFacetValues(talk, filter.facet)) {
      AddBooleanTerm(doc, filter, value);
    }
  }
  doc.add_value(kFacetsSlot, FacetSlotValue(talk));
  doc.add_value(kDateSlot, talk.date);
  doc.add_value(kContentHashSlot, ContentHash(talk, IndexFingerprint(analyzer, concepts)));
  doc.set_data(codec ? codec->Encode(talk) : nlohmann::json(talk).dump());
  return doc;
}

namespace {

// Xapian names the missing table ("Couldn't open …/termlist.glass
// read/write"); say what it means and what to do.
Xapian::WritableDatabase OpenForUpdate(const std::string& db_path, Termlists termlists) {
  namespace fs = std::filesystem;
  const fs::path db(db_path);
  if (fs::exists(db / "iamglass") && !fs::exists(db / "termlist.glass")) {
    throw std::runtime_error(db_path + " was built without termlists (--no-termlists) and cannot "
                             "be updated in place: index into a new directory");
  }
  return Xapian::WritableDatabase(
      db_path,
      Xapian::DB_CREATE_OR_OPEN | (termlists == Termlists::kDrop ? Xapian::DB_NO_TERMLIST : 0));
}

size_t Cores() { return std::max(1u, std::thread::hardware_concurrency()); }

std::vector<const Talk*> PointersTo(const std::vector<Talk>& talks) {
  std::vector<const Talk*> pointers;
  pointers.reserve(talks.size());
  for (const Talk& t : talks) pointers.push_back(&t);
  return pointers;
}

}  // namespace

IndexWriter::IndexWriter(const std::string& db_path, std::shared_ptr<MecabModel> model,
                         size_t threads, std::shared_ptr<const Glossary> glossary,
                         Termlists termlists)
    : db_(OpenForUpdate(db_path, termlists)), analyzer_(model) {
  codec_ = std::make_unique<StoredTalkCodec>(
      db_.get_metadata(std::string(kStoredTalkDictionaryKey)));
  if (glossary) concepts_ = std::make_unique<ConceptMatcher>(std::move(glossary), analyzer_);
  if (threads == 0) threads = Cores();
  for (size_t i = 1; i < threads; ++i) extra_analyzers_.push_back(std::make_unique<Analyzer>(model));
}

SpellingWordCounts IndexWriter::SpellingOf(const Xapian::Document& old) {
  Talk talk;
  try {
    talk = codec_->Decode(old.get_data());
  } catch (const std::exception&) {
    return {};  // not one of ours: nothing we added
  }
  return SpellingWords(talk, analyzer_);
}

void IndexWriter::RemoveSpelling(const SpellingWordCounts& words) {
  for (const auto& [word, count] : words) db_.remove_spelling(word, count);
}

void IndexWriter::Commit() {
  if (!transaction_open_) return;
  transaction_open_ = false;
  db_.commit_transaction();
}

void IndexWriter::Cancel() {
  if (!transaction_open_) return;
  transaction_open_ = false;
  db_.cancel_transaction();
}

IndexUpdateReport IndexWriter::Update(const std::vector<Talk>& talks, const Progress& progress) {
  return Update(PointersTo(talks), progress);
}

IndexUpdateReport IndexWriter::Update(const std::vector<const Talk*>& talks,
                                      const Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  IndexUpdateReport report;
  std::set<std::string> wanted;
  const std::string fingerprint = IndexFingerprint(analyzer_, concepts_.get());

  std::vector<Analyzer*> analyzers = {&analyzer_};
  for (auto& a : extra_analyzers_) analyzers.push_back(a.get());

  const bool one_transaction = commit_every_ == 0;
  if (one_transaction) db_.begin_transaction();
  try {
    // A database without a dictionary gets one now (it stays, so that the
    // talks stored with it read back); talks it stored before are JSON.
    if (codec_->dictionary().empty()) {
      std::string dictionary = offered_dictionary_.empty()
                                   ? StoredTalkCodec::TrainDictionary(talks)
                                   : offered_dictionary_;
      if (!dictionary.empty()) {
        codec_ = std::make_unique<StoredTalkCodec>(dictionary);
        db_.set_metadata(std::string(kStoredTalkDictionaryKey), dictionary);
      }
    }
    // Decide what changed (reads, this thread); take back the spelling words
    // of talks about to be replaced.
    struct Job {
      const Talk* talk;
      bool is_new;  // no document yet: added, not replaced
      SpellingWordCounts old_spelling;  // what the replaced document added
    };
    std::vector<Job> jobs;
    auto report_failed = [&](const Talk& talk, bool is_new, const std::string& why) {
      report.failed.push_back({talk.source_file, talk.source_line,
                               "talk " + talk.id + " not indexed" +
                                   (is_new ? "" : " (its old version stays)") + ": " + why});
    };
    for (const Talk* talk_pointer : talks) {
      const Talk& talk = *talk_pointer;
      if (!wanted.insert(talk.id).second) continue;  // a repeated id: the first one stands
      const std::string id_term = IdTerm(talk.id);
      Xapian::PostingIterator existing = db_.postlist_begin(id_term);
      if (existing == db_.postlist_end(id_term)) {
        jobs.push_back({&talk, true, {}});
        continue;
      }
      Xapian::Document old = db_.get_document(*existing);
      std::string hash;
      try {
        hash = ContentHash(talk, fingerprint);
      } catch (const std::exception& e) {  // a talk JSON cannot hold (invalid UTF-8)
        report_failed(talk, false, e.what());
        continue;
      }
      if (old.get_value(kContentHashSlot) == hash) {
        report.unchanged.push_back(talk.id);
        continue;
      }
      jobs.push_back({&talk, false, SpellingOf(old)});
    }
    // Analyse on every analyzer's thread while this thread writes, in corpus
    // order, what is ready: Xapian's single writer and MeCab overlap. The
    // analysers stay at most kWindow talks ahead of the writer.
    constexpr size_t kWindow = 1024;
    struct Built {
      Xapian::Document document;
      SpellingWordCounts spelling;
      ReadingWords reading_words;
      std::string error;  // why the talk could not be analysed
      bool ready = false;
    };
    std::vector<Built> built(jobs.size());
    std::mutex mutex;
    std::condition_variable changed;
    size_t written = 0;
    bool stop = false;
    std::exception_ptr failure;
    std::vector<std::thread> workers;
    for (size_t w = 0; w < analyzers.size() && w < jobs.size(); ++w) {
      workers.emplace_back([&, w] {
        for (size_t i = w; i < jobs.size(); i += analyzers.size()) {
          {
            std::unique_lock<std::mutex> lock(mutex);
            changed.wait(lock, [&] { return stop || i < written + kWindow; });
            if (stop) return;
          }
          Built b;
          try {
            b.document = BuildDocument(*jobs[i].talk, *analyzers[w], &b.spelling, concepts_.get(),
                                       codec_.get(), &b.reading_words);
          } catch (const std::exception& e) {
            // This talk is reported; the others are still written.
            b = Built();
            b.error = e.what();
          } catch (...) {
            std::lock_guard<std::mutex> lock(mutex);
            if (!failure) failure = std::current_exception();
            stop = true;
            changed.notify_all();
            return;
          }
          std::lock_guard<std::mutex> lock(mutex);
          b.ready = true;
          built[i] = std::move(b);
          changed.notify_all();
        }
      });
    }
    auto stop_workers = [&] {
      {
        std::lock_guard<std::mutex> lock(mutex);
        stop = true;
      }
      changed.notify_all();
      for (std::thread& t : workers) t.join();
    };
    try {
      for (size_t i = 0; i < jobs.size(); ++i) {
        Built b;
        {
          std::unique_lock<std::mutex> lock(mutex);
          changed.wait(lock, [&] { return built[i].ready || failure; });
          if (failure) std::rethrow_exception(failure);
          b = std::move(built[i]);
        }
        const Talk& talk = *jobs[i].talk;
        if (!b.error.empty()) {
          report_failed(talk, jobs[i].is_new, b.error);
        } else if (jobs[i].is_new) {
          db_.add_document(b.document);
          report.added.push_back(talk.id);
        } else {
          db_.replace_document(IdTerm(talk.id), b.document);
          RemoveSpelling(jobs[i].old_spelling);
          report.changed.push_back(talk.id);
        }
        for (const auto& [word, count] : b.spelling) db_.add_spelling(word, count);
        // Each reading and word once per run (a talk's old words stay: a
        // word no talk has any longer is never a correction, see
        // QueryCorrector).
        for (const auto& [key, word] : b.reading_words) {
          if (reading_words_added_.insert(key + '\x1f' + word).second) db_.add_synonym(key, word);
        }
        {
          std::lock_guard<std::mutex> lock(mutex);
          written = i + 1;
        }
        changed.notify_all();
        if (!one_transaction && written % commit_every_ == 0) db_.commit();
        if (progress && written % 256 == 0) progress(written, talks.size());
      }
    } catch (...) {
      stop_workers();
      throw;
    }
    stop_workers();
    // Talks no longer in the corpus.
    std::vector<std::string> gone;
    for (auto it = db_.allterms_begin(std::string(kIdPrefix));
         it != db_.allterms_end(std::string(kIdPrefix)); ++it) {
      std::string id = (*it).substr(kIdPrefix.size());
      if (!wanted.count(id)) gone.push_back(id);
    }
    for (const std::string& id : gone) {
      if (absent_ == AbsentTalks::kKeep) {
        report.kept.push_back(id);
        continue;
      }
      const std::string term = IdTerm(id);
      RemoveSpelling(SpellingOf(db_.get_document(*db_.postlist_begin(term))));
      db_.delete_document(term);
      report.removed.push_back(id);
    }
    if (progress) progress(talks.size(), talks.size());
    db_.set_metadata(std::string(kAnalysisMetadataKey), analyzer_.Fingerprint());
    db_.set_metadata(std::string(kGlossaryMetadataKey), GlossaryDigest(concepts_.get()));
    db_.set_metadata(std::string(kSchemaMetadataKey), std::string(kSchemaVersion));
    if (!one_transaction) {
      db_.commit();
    } else if (!defer_commit_) {
      db_.commit_transaction();
    } else {
      transaction_open_ = true;
    }
  } catch (...) {
    if (one_transaction) db_.cancel_transaction();
    throw;
  }
  report.documents = db_.get_doccount();
  report.revision = db_.get_revision();
  report.seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start).count();
  return report;
}

namespace {

// Talks per commit while building a new index (see CommitEvery).
constexpr size_t kBuildCommitEvery = 1000;
// Below this many talks per part, another part is not worth its writer.
constexpr size_t kMinTalksPerPart = 1000;

// Runs write(i, progress_i) for i in [0, n), at most one at a time per core,
// adding up their progress into `progress` (of `total` talks); rethrows the
// first failure once all have stopped.
void WriteInParallel(size_t n, size_t total, const IndexWriter::Progress& progress,
                     const std::function<void(size_t, const IndexWriter::Progress&)>& write) {
  std::mutex progress_mutex;
  std::vector<size_t> done(n, 0);
  std::vector<std::exception_ptr> errors(n);
  auto run = [&](size_t i) {
    try {
      write(i, [&, i](size_t part_done, size_t) {
        if (!progress) return;
        std::lock_guard<std::mutex> lock(progress_mutex);
        done[i] = part_done;
        size_t all = 0;
        for (size_t d : done) all += d;
        progress(all, total);
      });
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  const size_t cores = Cores();
  for (size_t first = 0; first < n; first += cores) {
    std::vector<std::thread> running;
    for (size_t i = first; i < std::min(n, first + cores); ++i) running.emplace_back(run, i);
    for (std::thread& t : running) t.join();
  }
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// The reports of parts, as one: their lists in order, documents added up.
IndexUpdateReport CombinedReport(const std::vector<IndexUpdateReport>& reports) {
  IndexUpdateReport report;
  for (const IndexUpdateReport& r : reports) {
    for (auto list : {&IndexUpdateReport::added, &IndexUpdateReport::changed,
                      &IndexUpdateReport::removed, &IndexUpdateReport::unchanged,
                      &IndexUpdateReport::kept}) {
      (report.*list).insert((report.*list).end(), (r.*list).begin(), (r.*list).end());
    }
    report.failed.insert(report.failed.end(), r.failed.begin(), r.failed.end());
    report.documents += r.documents;
    report.revision += r.revision;  // as DatabaseSet::Revision
  }
  return report;
}

// CreateCompactIndex of talks held elsewhere (a shard's share of the
// corpus), without copying them.
IndexUpdateReport CreateCompactIndexOf(const std::string& db_path,
                                       const std::vector<const Talk*>& talks,
                                       std::shared_ptr<MecabModel> model,
                                       const IndexWriter::Progress& progress,
                                       std::shared_ptr<const Glossary> glossary,
                                       const BuildOptions& options) {
  namespace fs = std::filesystem;
  const auto start = std::chrono::steady_clock::now();
  if (fs::exists(db_path)) throw std::runtime_error(db_path + " exists: update it in place");
  const std::string building = db_path + ".building", compacting = db_path + ".compacting";
  fs::remove_all(building);  // what a crashed run left
  fs::remove_all(compacting);

  // The first of each id, in corpus order: parts cannot see each other's ids.
  std::vector<const Talk*> unique;
  std::set<std::string> seen;
  for (const Talk* t : talks) {
    if (seen.insert(t->id).second) unique.push_back(t);
  }
  const size_t threads = options.threads ? options.threads : Cores();
  size_t parts = options.parts;
  if (parts == 0) parts = std::clamp<size_t>(unique.size() / kMinTalksPerPart, 1, threads);
  std::vector<std::vector<const Talk*>> slices(parts);
  for (size_t i = 0; i < unique.size(); ++i) slices[i * parts / unique.size()].push_back(unique[i]);
  auto part_dir = [&](size_t i) {
    return (fs::path(building) / ("part-" + std::to_string(i))).string();
  };
  fs::create_directories(building);
  // One dictionary for the parts, which compaction merges into one index.
  const std::string dictionary =
      options.dictionary.empty() ? StoredTalkCodec::TrainDictionary(unique) : options.dictionary;
  std::vector<IndexUpdateReport> reports(parts);
  WriteInParallel(parts, seen.size(), progress,
                  [&](size_t i, const IndexWriter::Progress& part_progress) {
                    // Without termlists from the start, if the index is to have none:
                    // 7% less time at 100,000 talks than dropping them after.
                    IndexWriter writer(part_dir(i), model, std::max<size_t>(1, threads / parts),
                                       glossary, options.termlists);
                    writer.CommitEvery(kBuildCommitEvery);
                    writer.OfferDictionary(dictionary);
                    reports[i] = writer.Update(slices[i], part_progress);
                  });
  // Compaction merges the parts in order (their document ids follow one
  // another), adding up their spelling tables.
  Xapian::Database all;
  for (size_t i = 0; i < parts; ++i) all.add_database(Xapian::Database(part_dir(i)));
  all.compact(compacting);  // without termlists if the parts have none
  fs::rename(compacting, db_path);
  fs::remove_all(building);
  IndexUpdateReport report = CombinedReport(reports);
  const Xapian::Database compacted(db_path);
  report.documents = compacted.get_doccount();
  report.revision = compacted.get_revision();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace

IndexUpdateReport CreateCompactIndex(const std::string& db_path, const std::vector<Talk>& talks,
                                     std::shared_ptr<MecabModel> model,
                                     const IndexWriter::Progress& progress,
                                     std::shared_ptr<const Glossary> glossary,
                                     const BuildOptions& options) {
  return CreateCompactIndexOf(db_path, PointersTo(talks), std::move(model), progress,
                              std::move(glossary), options);
}

IndexUpdateReport UpdateShardedIndex(const std::string& dir, size_t shards,
                                     const std::vector<Talk>& talks,
                                     std::shared_ptr<MecabModel> model,
                                     const IndexWriter::Progress& progress,
                                     std::shared_ptr<const Glossary> glossary,
                                     Termlists termlists, AbsentTalks absent) {
  const auto start = std::chrono::steady_clock::now();
  if (shards == 0) throw std::runtime_error("a sharded index needs at least one shard");
  const std::vector<std::string> existing = ShardDirectories(dir);
  if (!existing.empty() && existing.size() != shards) {
    throw std::runtime_error(dir + " is an index of " + std::to_string(existing.size()) +
                             " shards, not " + std::to_string(shards) +
                             ": index into a new directory to change the shard count");
  }
  if (existing.empty() && std::filesystem::exists(std::filesystem::path(dir) / "iamglass")) {
    throw std::runtime_error(dir + " is a single database: index the shards into a new directory");
  }
  std::filesystem::create_directories(dir);

  std::vector<std::vector<const Talk*>> parts(shards);
  for (const Talk& t : talks) parts[ShardOf(t.id, shards)].push_back(&t);
  // The shards share one stored-talk dictionary, since a searcher reads it
  // from the first: an existing shard's, or one trained on the whole corpus.
  std::string dictionary;
  for (const std::string& shard : existing) {
    if (!std::filesystem::exists(shard)) continue;
    dictionary = Xapian::Database(shard).get_metadata(std::string(kStoredTalkDictionaryKey));
    if (!dictionary.empty()) break;
  }
  if (dictionary.empty()) dictionary = StoredTalkCodec::TrainDictionary(PointersTo(talks));

  const size_t threads_per_shard = std::max<size_t>(1, Cores() / shards);
  std::vector<IndexUpdateReport> reports(shards);
  // The existing shards' writers, their transactions open until all are
  // written (a new shard is built aside and appears only when whole).
  std::vector<std::unique_ptr<IndexWriter>> writers(shards);
  // Each shard's writer also analyses on its share of the cores.
  try {
    WriteInParallel(shards, talks.size(), progress,
                    [&](size_t i, const IndexWriter::Progress& shard_progress) {
                      const std::string shard_dir =
                          (std::filesystem::path(dir) / ShardDirectoryName(i)).string();
                      BuildOptions build;
                      build.threads = threads_per_shard;
                      build.termlists = termlists;
                      build.parts = 1;  // the shards are the parallel writers
                      build.dictionary = dictionary;
                      if (!std::filesystem::exists(shard_dir)) {
                        reports[i] = CreateCompactIndexOf(shard_dir, parts[i], model,
                                                          shard_progress, glossary, build);
                        return;
                      }
                      writers[i] = std::make_unique<IndexWriter>(shard_dir, model,
                                                                 threads_per_shard, glossary);
                      writers[i]->OfferDictionary(dictionary);
                      writers[i]->SetAbsentTalks(absent);
                      writers[i]->DeferCommit();
                      reports[i] = writers[i]->Update(parts[i], shard_progress);
                    });
  } catch (...) {
    for (auto& writer : writers) {
      if (writer) writer->Cancel();
    }
    throw;
  }
  for (size_t i = 0; i < shards; ++i) {
    if (!writers[i]) continue;
    writers[i]->Commit();
    reports[i].revision = writers[i]->Revision();
  }
  WriteShardStub(dir, shards);

  IndexUpdateReport report = CombinedReport(reports);
  report.seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace talksearch
