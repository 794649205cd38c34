#include "talksearch/admin_api.h"

#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <system_error>

#include "talksearch/corpus.h"
#include "talksearch/index_build.h"
#include "talksearch/json_response.h"
#include "talksearch/update_guard.h"

namespace talksearch {
namespace {

namespace fs = std::filesystem;

// Compares without an early exit, so timing does not reveal the token.
bool SameSecret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// Whether the request carries the admin token; otherwise answers it.
bool Authorized(const std::string& token, const httplib::Request& req, httplib::Response& res) {
  if (token.empty()) {
    SendError(res, 404, "not_found", "the admin API is not enabled");
    return false;
  }
  if (req.has_param("token") || req.has_param("access_token")) {
    SendError(res, 400, "bad_parameter",
              "send the token in the Authorization header, never in the URL");
    return false;
  }
  const std::string auth = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (auth.compare(0, prefix.size(), prefix) != 0 ||
      !SameSecret(auth.substr(prefix.size()), token)) {
    res.set_header("WWW-Authenticate", "Bearer");
    SendError(res, 401, "unauthorized", "a valid admin token is required");
    return false;
  }
  return true;
}

bool TrueParam(const httplib::Request& req, const char* name) {
  const std::string value = req.get_param_value(name);
  return value == "true" || value == "1";
}

nlohmann::json Revision(SearcherPool& pool) {
  auto searcher = pool.Borrow();
  nlohmann::json answer = {{"revision", searcher->Revision()},
                           {"documents", searcher->DocumentCount()}};
  if (const std::string why = pool.restart_needed(); !why.empty()) answer["restart_needed"] = why;
  return answer;
}

void HandleReload(SearcherPool& pool, ResponseCache& cache, const httplib::Request&,
                  httplib::Response& res) {
  pool.RequestReopen();
  cache.Clear();
  nlohmann::json answer = Revision(pool);
  answer["status"] = "reloaded";
  res.set_content(DumpJson(answer), kJson);
}

nlohmann::json TalkJson(const std::string& id, const std::string& date, const std::string& title) {
  return {{"id", id}, {"date", date}, {"title", title}};
}

// The corpus with the new page in place of seminar.md, in a staging
// directory beside the corpus (same file system: the page is then renamed
// into place). Problems name the corpus's files, not the staging ones.
struct StagedCorpus {
  fs::path dir;
  CorpusParseResult parsed;
  ~StagedCorpus() {
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }
};

void Stage(const fs::path& corpus_dir, const std::string& page, StagedCorpus& staged) {
  staged.dir = corpus_dir / ".incoming";
  fs::remove_all(staged.dir);
  fs::create_directories(staged.dir);
  std::ofstream(staged.dir / "seminar.md", std::ios::binary) << page;
  for (const auto& entry : fs::directory_iterator(corpus_dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".jsonl") {
      fs::copy_file(entry.path(), staged.dir / entry.path().filename());
    }
  }
  staged.parsed = LoadCorpus(staged.dir);
  for (CorpusProblem& problem : staged.parsed.problems) {
    problem.file = fs::path(problem.file).filename().string();
  }
}

// GitHub Actions reads "::error file=F,line=N::message"; its message ends
// at a newline and '%' starts an escape.
std::string WorkflowText(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string WorkflowCommands(const nlohmann::json& report) {
  std::string out;
  for (const auto& p : report["problems"]) {
    out += "::error file=" + p.value("file", "") + ",line=" + std::to_string(p.value("line", 0)) +
           "::" + WorkflowText(p.value("message", "")) + "\n";
  }
  auto talks = [&](const char* key, const char* level, const std::string& what) {
    for (const auto& t : report[key]) {
      out += std::string("::") + level + "::" + what + " " + t.value("id", "") + " " +
             t.value("date", "") + (t.contains("new_date") ? " -> " + t.value("new_date", "") : "") +
             " " + WorkflowText(t.value("title", "")) + "\n";
    }
  };
  talks("added", "notice", "added");
  talks("changed", "notice", "changed");
  talks("removed", "warning", "removed");
  talks("kept", "warning", "kept (not in the corpus, which has problems)");
  talks("redated", "warning", "redated");
  if (report.contains("error")) {
    out += "::error::" + WorkflowText(report["error"].value("message", "")) + "\n";
  }
  out += "talksearch: " + report.value("status", "") + ", " +
         std::to_string(report["problems"].size()) + " problems";
  if (report.contains("revision")) {
    out += ", revision " + std::to_string(report["revision"].get<unsigned long>()) + ", " +
           std::to_string(report["documents"].get<unsigned long>()) + " talks";
  }
  return out + "\n";
}

void HandleCorpus(SearcherPool& pool, ResponseCache& cache, const AdminConfig& config,
                  std::mutex& one_at_a_time, const httplib::Request& req,
                  httplib::Response& res) {
  if (config.corpus_dir.empty()) {
    return SendError(res, 404, "not_found",
                     "corpus updates are off: start talks-server with --corpus DIR (corpus = "
                     "DIR in the configuration)");
  }
  const std::vector<std::string>& dbs = pool.db_specs();
  if (dbs.size() != 1 || dbs[0].rfind("tcp://", 0) == 0) {
    return SendError(res, 409, "unsupported",
                     "corpus updates need one local index (run talks-index for the others)");
  }
  if (req.body.empty()) return SendError(res, 400, "empty_body", "send the seminar page as the body");
  std::unique_lock<std::mutex> lock(one_at_a_time, std::try_to_lock);
  if (!lock.owns_lock()) {
    return SendError(res, 409, "update_in_progress", "another corpus update is running; retry");
  }
  const bool check_only = TrueParam(req, "check");
  const bool allow_removals = TrueParam(req, "allow_removals");
  const std::string& db = dbs[0];

  StagedCorpus staged;
  Stage(config.corpus_dir, req.body, staged);
  const CorpusParseResult& corpus = staged.parsed;
  const bool removes_absent = corpus.problems.empty();
  UpdatePreview preview;
  if (fs::exists(db)) preview = PreviewUpdate(ReadIndexedTalks(db), corpus.talks);

  nlohmann::json report = {{"problems", nlohmann::json::array()},
                           {"added", nlohmann::json::array()},
                           {"changed", nlohmann::json::array()},
                           {"removed", nlohmann::json::array()},
                           {"kept", nlohmann::json::array()},
                           {"redated", nlohmann::json::array()}};
  for (const CorpusProblem& p : corpus.problems) {
    report["problems"].push_back({{"file", p.file}, {"line", p.line}, {"message", p.message}});
  }
  for (const RedatedTalk& t : preview.redated) {
    nlohmann::json talk = TalkJson(t.indexed.id, t.indexed.date, t.indexed.title);
    talk["new_date"] = t.new_date;
    report["redated"].push_back(talk);
  }
  for (const IndexedTalk& t : preview.removed) {
    report[removes_absent ? "removed" : "kept"].push_back(TalkJson(t.id, t.date, t.title));
  }
  for (const Talk* t : preview.added) report["added"].push_back(TalkJson(t->id, t->date, t->title));

  if (NeedsConfirmation(preview, removes_absent) && !allow_removals) {
    res.status = 409;
    report["status"] = "refused";
    report["error"] = {{"code", "needs_allow_removals"},
                       {"message", "the update would remove " +
                                       std::to_string(removes_absent ? preview.removed.size() : 0) +
                                       " and redate " + std::to_string(preview.redated.size()) +
                                       " indexed talks (more than " + std::to_string(kFewTalks) +
                                       " of either is what a stray <!-- or a wrong heading "
                                       "does); nothing was written: if that is meant, send it "
                                       "again with ?allow_removals=true"}};
  } else if (check_only) {
    report["status"] = "checked";
  } else {
    // The page first, then the index: a crash between leaves the page the
    // next reindex reads. The previous page is kept beside it.
    const fs::path page = fs::path(config.corpus_dir) / "seminar.md";
    std::error_code ec;
    fs::copy_file(page, page.string() + ".previous", fs::copy_options::overwrite_existing, ec);
    fs::rename(staged.dir / "seminar.md", page);
    IndexingOptions indexing;
    indexing.model = pool.model();
    indexing.glossary = pool.glossary();
    const IndexUpdateReport r = UpdateIndex(
        db, corpus.talks, indexing, 0, removes_absent ? AbsentTalks::kRemove : AbsentTalks::kKeep);
    for (const CorpusProblem& p : r.failed) {
      report["problems"].push_back(
          {{"file", fs::path(p.file).filename().string()}, {"line", p.line}, {"message", p.message}});
    }
    std::map<std::string, const Talk*> by_id;
    for (const Talk& t : corpus.talks) by_id.emplace(t.id, &t);
    report["changed"] = nlohmann::json::array();
    for (const std::string& id : r.changed) {
      const Talk* t = by_id.count(id) ? by_id[id] : nullptr;
      report["changed"].push_back(TalkJson(id, t ? t->date : "", t ? t->title : ""));
    }
    pool.RequestReopen();
    cache.Clear();
    report.update(Revision(pool));
    report["status"] = "reindexed";
  }
  if (req.get_param_value("format") == "github") {
    res.set_content(WorkflowCommands(report), "text/plain; charset=utf-8");
  } else {
    res.set_content(DumpJson(report), kJson);
  }
}

}  // namespace

bool IsAdminPath(const std::string& path) {
  return path == "/api/admin/reload" || path == "/api/admin/corpus";
}

void InstallAdminApi(httplib::Server& server, SearcherPool& pool,
                     std::shared_ptr<ResponseCache> cache, const AdminConfig& config) {
  server.Post("/api/admin/reload",
              [&pool, cache, config](const httplib::Request& req, httplib::Response& res) {
                if (Authorized(config.token, req, res)) HandleReload(pool, *cache, req, res);
              });
  auto one_at_a_time = std::make_shared<std::mutex>();
  server.Post("/api/admin/corpus", [&pool, cache, config, one_at_a_time](
                                       const httplib::Request& req, httplib::Response& res) {
    if (Authorized(config.token, req, res)) {
      HandleCorpus(pool, *cache, config, *one_at_a_time, req, res);
    }
  });
}

}  // namespace talksearch
