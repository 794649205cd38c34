// talks-server over an index that changes under it: the admin reload (its
// token, a new revision, an index rebuilt in place) and the metrics that
// count what it served.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <thread>

#include "talksearch/http_api.h"
#include "talksearch/index_build.h"
#include "talksearch/index_writer.h"
#include "server_thread.h"
#include "test_index.h"

namespace talksearch {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using json = nlohmann::json;

Talk SmallTalk(const std::string& id, const std::string& title) {
  Talk t;
  t.id = id;
  t.title = title;
  t.abstract = title + "についての講演。";
  t.date = "2026-02-01";
  t.language = "ja";
  t.series = {"dlap"};
  t.speakers = {{"山田 太郎", "どこか大学", ""}};
  return t;
}

// A server on its own small index, so the test can change the index under it.
class ReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::MakeTempDir("reload") + "/db";
    talks_ = {SmallTalk("t-1", "拡散モデル入門"), SmallTalk("t-2", "最適輸送入門")};
    IndexWriter(db_, testing::Model()).Update(talks_);
    // A long reopen interval: only the admin reload moves the server on.
    pool_ = std::make_unique<SearcherPool>(std::vector<std::string>{db_}, testing::Model(), nullptr, 2,
                                           std::chrono::milliseconds(3600 * 1000));
    ServerConfig config;
    config.access_log = false;
    config.admin_token = "s3cret-token";
    InstallApi(server_, *pool_, config);
    running_ = std::make_unique<testing::ServerThread>(server_);
    port_ = running_->port();
    ASSERT_GT(port_, 0);
  }
  void TearDown() override { running_.reset(); }
  httplib::Result Reload(const std::string& token, const std::string& query = "") {
    httplib::Client client("127.0.0.1", port_);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return client.Post("/api/admin/reload" + query, headers, "", "text/plain");
  }
  json Search(const std::string& q_encoded) {
    httplib::Client client("127.0.0.1", port_);
    return json::parse(client.Get("/api/search?q=" + q_encoded)->body);
  }

  std::string db_;
  std::vector<Talk> talks_;
  std::unique_ptr<SearcherPool> pool_;
  TalksHttpServer server_;
  std::unique_ptr<testing::ServerThread> running_;
  int port_ = 0;
};

TEST_F(ReloadTest, AdminReloadNeedsTheTokenInTheHeader) {
  EXPECT_EQ(Reload("")->status, 401);
  EXPECT_EQ(Reload("wrong-token")->status, 401);
  auto in_url = Reload("", "?token=s3cret-token");
  EXPECT_EQ(in_url->status, 400);
  EXPECT_THAT(in_url->body, HasSubstr("Authorization"));
  httplib::Client client("127.0.0.1", port_);
  EXPECT_EQ(client.Get("/api/admin/reload")->status, 405);
  EXPECT_EQ(Reload("s3cret-token")->status, 200);
}

TEST_F(ReloadTest, ANewRevisionIsServedAfterReloadWithoutRestart) {
  const std::string neutrino = "%E3%83%8B%E3%83%A5%E3%83%BC%E3%83%88%E3%83%AA%E3%83%8E";  // ニュートリノ
  EXPECT_EQ(Search(neutrino)["total"], 0);
  httplib::Client client("127.0.0.1", port_);
  const json before = json::parse(client.Get("/api/health")->body);

  talks_.push_back(SmallTalk("t-3", "ニュートリノ検出器と機械学習"));
  IndexWriter(db_, testing::Model()).Update(talks_);
  EXPECT_EQ(Search(neutrino)["total"], 0);  // still the old snapshot

  auto reload = Reload("s3cret-token");
  ASSERT_EQ(reload->status, 200) << reload->body;
  const json after = json::parse(reload->body);
  EXPECT_GT(after["revision"].get<int>(), before["revision"].get<int>());
  EXPECT_EQ(after["documents"], 3);
  for (int i = 0; i < 4; ++i) {
    const json found = Search(neutrino);
    ASSERT_EQ(found["total"], 1);
    EXPECT_EQ(found["hits"][0]["id"], "t-3");
  }
  EXPECT_EQ(json::parse(client.Get("/api/health")->body)["documents"], 3);
  // Every worker's searcher, not just the ones the requests happened to use:
  // both of the pool's, borrowed at once.
  {
    auto first = pool_->Borrow();
    auto second = pool_->Borrow();
    EXPECT_EQ(first->DocumentCount(), 3u);
    EXPECT_EQ(second->DocumentCount(), 3u);
  }
}

// A rebuilt index renamed into the old one's place starts again at revision
// 1: Xapian's reopen() saw no change, and the server kept serving the old
// index until restarted, while the admin reload answered "reloaded".
// The glossary is loaded when the server starts: an index rebuilt with
// another one has concept terms the running server does not ask for.
TEST_F(ReloadTest, AnIndexBuiltWithAnotherGlossarySaysARestartIsNeeded) {
  auto first = Reload("s3cret-token");
  ASSERT_EQ(first->status, 200);
  EXPECT_FALSE(json::parse(first->body).contains("restart_needed")) << first->body;
  IndexWriter(db_, testing::Model(), 0, testing::GlossaryOfRepo()).Update(talks_);
  auto reload = Reload("s3cret-token");
  ASSERT_EQ(reload->status, 200);
  EXPECT_THAT(json::parse(reload->body).value("restart_needed", ""),
              AllOf(HasSubstr("another glossary"), HasSubstr("restart talks-server")));
  httplib::Client client("127.0.0.1", port_);
  const json health = json::parse(client.Get("/api/health")->body);
  EXPECT_EQ(health.value("status", ""), "ok");
  EXPECT_THAT(health.value("restart_needed", ""), HasSubstr("another glossary"));
}

TEST_F(ReloadTest, AnIndexRebuiltInPlaceIsServedAfterReload) {
  const std::string neutrino = "%E3%83%8B%E3%83%A5%E3%83%BC%E3%83%88%E3%83%AA%E3%83%8E";  // ニュートリノ
  EXPECT_EQ(Search(neutrino)["total"], 0);
  const std::string rebuilt = db_ + ".new";
  CreateCompactIndex(rebuilt, {SmallTalk("t-9", "ニュートリノ振動の解析")}, testing::BuildWith());
  ASSERT_EQ(Xapian::Database(rebuilt).get_revision(), Xapian::Database(db_).get_revision());
  std::filesystem::rename(db_, db_ + ".old");
  std::filesystem::rename(rebuilt, db_);

  auto reload = Reload("s3cret-token");
  ASSERT_EQ(reload->status, 200) << reload->body;
  EXPECT_EQ(json::parse(reload->body)["documents"], 1);
  for (int i = 0; i < 4; ++i) {
    const json found = Search(neutrino);
    ASSERT_EQ(found["total"], 1);
    EXPECT_EQ(found["hits"][0]["id"], "t-9");
  }
  {  // Both of the pool's searchers, borrowed at once, are on the new index.
    auto first = pool_->Borrow();
    auto second = pool_->Borrow();
    EXPECT_EQ(first->DocumentCount(), 1u);
    EXPECT_EQ(second->DocumentCount(), 1u);
  }
  // A search of a word only the old index had finds nothing now.
  EXPECT_EQ(Search("%E6%9C%80%E9%81%A9%E8%BC%B8%E9%80%81")["total"], 0);  // 最適輸送
}

// A request httplib refuses before routing (here a 414) is counted with no
// time at all, having never been routed, not timed from the start of
// whatever request its thread served before (or from the clock's epoch).
TEST_F(ReloadTest, ARequestRefusedBeforeRoutingIsNotTimedFromAnEarlierOne) {
  httplib::Client client("127.0.0.1", port_);
  for (int i = 0; i < 4; ++i) client.Get("/api/health");
  auto too_long = client.Get("/api/health?x=" + std::string(9000, 'x'));
  ASSERT_TRUE(too_long);
  EXPECT_EQ(too_long->status, 414);
  httplib::Result res = client.Get("/metrics");
  for (int i = 0; i < 100 && res && res->body.find("status=\"414\"") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    res = client.Get("/metrics");
  }
  ASSERT_TRUE(res);
  const std::smatch sum = [&] {
    std::smatch m;
    static const std::regex kSum(R"(talksearch_request_duration_seconds_sum\{route="static"\} ([0-9.e+-]+))");
    std::regex_search(res->body, m, kSum);
    return m;
  }();
  ASSERT_FALSE(sum.empty()) << res->body;
  EXPECT_EQ(std::stod(sum[1].str()), 0.0);  // the 414 is the only request of its route
}

TEST_F(ReloadTest, MetricsInPrometheusFormat) {
  Search("%E6%8B%A1%E6%95%A3");
  httplib::Client client("127.0.0.1", port_);
  client.Get("/api/search");  // a 400
  // A request is counted after its response is sent (httplib's logger), so
  // the client may ask for /metrics first: wait briefly for both.
  httplib::Result res = client.Get("/metrics");
  for (int i = 0; i < 100 && res &&
                  res->body.find("talksearch_request_duration_seconds_count{route=\"/api/search\"} 2") ==
                      std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    res = client.Get("/metrics");
  }
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->get_header_value("Content-Type"), HasSubstr("text/plain"));
  EXPECT_THAT(res->body, HasSubstr("talksearch_requests_total{route=\"/api/search\",status=\"200\"} 1"));
  EXPECT_THAT(res->body, HasSubstr("talksearch_requests_total{route=\"/api/search\",status=\"400\"} 1"));
  EXPECT_THAT(res->body, HasSubstr("talksearch_request_errors_total 1"));
  EXPECT_THAT(res->body, HasSubstr("talksearch_request_duration_seconds_bucket{route=\"/api/search\",le=\"+Inf\"} 2"));
  EXPECT_THAT(res->body, HasSubstr("talksearch_request_duration_seconds_count{route=\"/api/search\"} 2"));
  EXPECT_THAT(res->body, ::testing::ContainsRegex("talksearch_index_revision [0-9]+"));
  EXPECT_THAT(res->body, HasSubstr("talksearch_index_documents 2"));
}

}  // namespace
}  // namespace talksearch
