// POST /api/admin/corpus: the site's CI sends the seminar page; the server
// checks it, guards the index against what a typo removes or redates, and
// (unless asked only to check) writes, reindexes and reloads, answering
// with what changed. Each test has its own corpus, index and server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "talksearch/admin_api.h"
#include "talksearch/http_api.h"
#include "talksearch/index_writer.h"
#include "server_thread.h"
#include "test_index.h"

namespace talksearch {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using json = nlohmann::json;

constexpr char kToken[] = "corpus-admin-token";

// The bundled page with a new session at the top of the session list.
std::string PageWithNewSession(const std::string& page) {
  const size_t first = page.find("\n# 第");
  return page.substr(0, first + 1) +
         "# 第26回学習物理領域セミナー＋第78回DLAP\n"
         "日時: 2026年2月12日 10:30-11:30(JST)<br>\n"
         "発表者: 試験 花子 氏 (どこか大学)<br>\n"
         "発表題目: 送信で追加した講演<br>\n"
         "概要: サイトから送られたページの講演。<br>\n\n" +
         page.substr(first + 1);
}

class AdminCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string root = testing::MakeTempDir("admin-corpus");
    corpus_ = root + "/corpus";
    db_ = root + "/db";
    fs::create_directories(corpus_);
    for (const auto& entry : fs::directory_iterator(testing::SourcePath("corpus"))) {
      const std::string ext = entry.path().extension().string();
      if (ext == ".md" || ext == ".jsonl") fs::copy_file(entry.path(), corpus_ + "/" + entry.path().filename().string());
    }
    page_ = testing::ReadFileOrDie(corpus_ + "/seminar.md");
    IndexWriter(db_, testing::Model(), 0, testing::GlossaryOfRepo())
        .Update(LoadCorpus(corpus_).talks);
    pool_ = std::make_unique<SearcherPool>(std::vector<std::string>{db_}, testing::Model(),
                                           testing::GlossaryOfRepo(), 2);
    ServerConfig config;
    config.access_log = false;
    config.admin_token = kToken;
    config.corpus_dir = corpus_;
    InstallApi(server_, *pool_, config);
    running_ = std::make_unique<testing::ServerThread>(server_);
    port_ = running_->port();
    ASSERT_GT(port_, 0);
  }
  void TearDown() override { running_.reset(); }

  httplib::Result Send(const std::string& page, const std::string& query = "",
                       const std::string& token = kToken) {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(60, 0);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", std::string("Bearer ") + token);
    return client.Post("/api/admin/corpus" + query, headers, page, "text/markdown");
  }
  json Search(const std::string& q_encoded) {
    httplib::Client client("127.0.0.1", port_);
    return json::parse(client.Get("/api/search?q=" + q_encoded)->body);
  }
  std::string PageOnDisk() const { return testing::ReadFileOrDie(corpus_ + "/seminar.md"); }
  Xapian::rev IndexRevision() const { return Xapian::Database(db_).get_revision(); }

  std::string corpus_, db_, page_;
  std::unique_ptr<SearcherPool> pool_;
  TalksHttpServer server_;
  std::unique_ptr<testing::ServerThread> running_;
  int port_ = 0;
};

const std::string kAddedTitle = "%E9%80%81%E4%BF%A1%E3%81%A7%E8%BF%BD%E5%8A%A0";  // 送信で追加

TEST_F(AdminCorpusTest, NeedsTheToken) {
  EXPECT_EQ(Send(page_, "", "")->status, 401);
  EXPECT_EQ(Send(page_, "", "wrong")->status, 401);
  EXPECT_EQ(PageOnDisk(), page_);
}

TEST_F(AdminCorpusTest, APublishedPageIsWrittenIndexedAndServedAtOnce) {
  const std::string page = PageWithNewSession(page_);
  auto res = Send(page);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json report = json::parse(res->body);
  EXPECT_EQ(report["status"], "reindexed");
  ASSERT_EQ(report["added"].size(), 1u) << res->body;
  EXPECT_EQ(report["added"][0]["id"], "dlap-078");
  EXPECT_EQ(report["added"][0]["date"], "2026-02-12");
  EXPECT_EQ(report["added"][0]["title"], "送信で追加した講演");
  EXPECT_TRUE(report["problems"].empty());
  EXPECT_TRUE(report["removed"].empty());
  EXPECT_EQ(PageOnDisk(), page);
  EXPECT_EQ(testing::ReadFileOrDie(corpus_ + "/seminar.md.previous"), page_);
  EXPECT_EQ(Search(kAddedTitle)["hits"][0]["id"], "dlap-078");
  EXPECT_EQ(report["revision"], IndexRevision());
}

TEST_F(AdminCorpusTest, ACheckReportsProblemsAtTheirLineAndWritesNothing) {
  std::string page = PageWithNewSession(page_);
  const size_t date = page.find("日時: 2026年2月12日");
  page.replace(date, std::string("日時: 2026年2月12日").size(), "日時: 2月30日");
  const Xapian::rev before = IndexRevision();
  auto res = Send(page, "?check=true");
  ASSERT_EQ(res->status, 200) << res->body;
  const json report = json::parse(res->body);
  EXPECT_EQ(report["status"], "checked");
  ASSERT_EQ(report["problems"].size(), 1u) << res->body;
  EXPECT_EQ(report["problems"][0]["file"], "seminar.md");
  const int line = 1 + static_cast<int>(std::count(page.begin(), page.begin() + static_cast<long>(date), '\n'));
  EXPECT_EQ(report["problems"][0]["line"], line);
  EXPECT_EQ(report["added"][0]["id"], "dlap-078");
  EXPECT_EQ(PageOnDisk(), page_);
  EXPECT_EQ(IndexRevision(), before);
  httplib::Client client("127.0.0.1", port_);
  EXPECT_EQ(client.Get("/api/talks/dlap-078")->status, 404);

  auto github = Send(page, "?check=true&format=github");
  EXPECT_THAT(github->body,
              HasSubstr("::error file=seminar.md,line=" + std::to_string(line) + "::"));
  EXPECT_THAT(github->body, HasSubstr("::notice::added dlap-078"));
}

// The guard of talks-index: a stray "<!--" hides sessions and moves the
// dates of those above; the server refuses it unless told it is meant.
TEST_F(AdminCorpusTest, APageThatWouldRedateTalksIsRefusedWithoutAllowRemovals) {
  std::string page = page_;
  page.insert(page.find("# 第15回学習物理領域セミナー"), "<!--\n");
  const Xapian::rev before = IndexRevision();
  auto refused = Send(page);
  ASSERT_EQ(refused->status, 409) << refused->body;
  const json report = json::parse(refused->body);
  EXPECT_EQ(report["status"], "refused");
  EXPECT_EQ(report["error"]["code"], "needs_allow_removals");
  EXPECT_GT(report["redated"].size(), 2u);
  EXPECT_FALSE(report["problems"].empty());  // the comment, at its line
  EXPECT_EQ(PageOnDisk(), page_);
  EXPECT_EQ(IndexRevision(), before);

  auto allowed = Send(page, "?allow_removals=true");
  ASSERT_EQ(allowed->status, 200) << allowed->body;
  EXPECT_EQ(json::parse(allowed->body)["status"], "reindexed");
  EXPECT_EQ(PageOnDisk(), page);
}

TEST_F(AdminCorpusTest, BodiesAreBounded) {
  EXPECT_EQ(Send("")->status, 400);
  EXPECT_EQ(Send(std::string(kMaxCorpusPageBytes + 1, 'x'))->status, 413);
  httplib::Client client("127.0.0.1", port_);
  auto reload = client.Post("/api/admin/reload", {{"Authorization", std::string("Bearer ") + kToken}},
                            std::string(100 * 1024, 'x'), "text/plain");
  ASSERT_TRUE(reload);
  EXPECT_EQ(reload->status, 413);
  EXPECT_EQ(PageOnDisk(), page_);
}

}  // namespace
}  // namespace talksearch
