#include "talksearch/index_writer.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "talksearch/cores.h"
#include "talksearch/document_builder.h"
#include "talksearch/schema.h"

namespace talksearch {
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
}  // namespace

size_t DefaultIndexThreads() { return Cores(); }

IndexWriter::IndexWriter(const std::string& db_path, std::shared_ptr<MecabModel> model,
                         size_t threads, std::shared_ptr<const Glossary> glossary,
                         Termlists termlists)
    : db_(OpenForUpdate(db_path, termlists)), analyzer_(model) {
  codec_ = std::make_unique<StoredTalkCodec>(
      db_.get_metadata(std::string(kStoredTalkDictionaryKey)));
  if (glossary) concepts_ = std::make_unique<ConceptMatcher>(std::move(glossary), analyzer_);
  if (threads == 0) threads = DefaultIndexThreads();
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
  return Update(TalkPointers(talks), progress);
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

}  // namespace talksearch
