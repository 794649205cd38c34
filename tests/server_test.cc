// talks-server's HTTP API, started in-process on an ephemeral loopback port
// and spoken to over real HTTP.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <thread>

#include "talksearch/http_api.h"
#include "talksearch/index_build.h"
#include "talksearch/index_writer.h"
#include "talksearch/response_cache.h"
#include "test_index.h"

namespace talksearch {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pool_ = new SearcherPool({testing::CorpusIndexPath()}, testing::Model(),
                             testing::GlossaryOfRepo(), 2);
    server_ = new TalksHttpServer();
    server_->new_task_queue = [] { return new httplib::ThreadPool(2); };
    ServerConfig config;
    config.access_log = false;
    config.static_dir = testing::SourcePath("server/static");
    InstallApi(*server_, *pool_, config);
    port_ = server_->Bind("127.0.0.1", 0);
    ASSERT_GT(port_, 0);
    thread_ = new std::thread([] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  static void TearDownTestSuite() {
    server_->stop();
    thread_->join();
    delete thread_;
    delete server_;
    delete pool_;
  }

  static httplib::Result Get(const std::string& path, const httplib::Headers& headers = {}) {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(10, 0);
    return client.Get(path, headers);
  }

  // A plain TCP connection to the server, for what httplib's client hides
  // (keep-alive, half-sent requests); -1 on failure.
  static int ConnectRaw() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  static json ExpectError(const httplib::Result& res, int status, const std::string& code) {
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, status) << res->body;
    EXPECT_THAT(res->get_header_value("Content-Type"), HasSubstr("application/json"));
    json body = json::parse(res->body, nullptr, false);
    EXPECT_TRUE(body.contains("error")) << res->body;
    if (!body.contains("error")) return body;
    EXPECT_EQ(body["error"]["code"], code);
    EXPECT_TRUE(body["error"]["message"].is_string());
    return body;
  }

  static SearcherPool* pool_;
  static TalksHttpServer* server_;
  static std::thread* thread_;
  static int port_;
};
SearcherPool* ServerTest::pool_ = nullptr;
TalksHttpServer* ServerTest::server_ = nullptr;
std::thread* ServerTest::thread_ = nullptr;
int ServerTest::port_ = 0;

TEST_F(ServerTest, SearchReturnsTheDocumentedShape) {
  auto res = Get("/api/search?q=%E6%8B%A1%E6%95%A3%E3%83%A2%E3%83%87%E3%83%AB&limit=2");  // 拡散モデル
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  json body = json::parse(res->body);
  EXPECT_EQ(body["query"], "拡散モデル");
  EXPECT_GE(body["total"].get<int>(), 2);
  EXPECT_TRUE(body["took_ms"].is_number());
  ASSERT_EQ(body["hits"].size(), 2u);
  for (const json& hit : body["hits"]) {
    for (const char* key : {"id", "title", "speaker", "affiliation", "date", "url", "snippet"}) {
      EXPECT_TRUE(hit[key].is_string()) << key;
    }
    EXPECT_TRUE(hit["series"].is_array());
    EXPECT_TRUE(hit["score"].is_number());
  }
  std::set<std::string> ids = {body["hits"][0]["id"], body["hits"][1]["id"]};
  EXPECT_EQ(ids, (std::set<std::string>{"dlap-062", "dlap-067"}));
  EXPECT_THAT(body["hits"][0]["snippet"].get<std::string>(), HasSubstr("<mark>拡散モデル</mark>"));
}

TEST_F(ServerTest, ARepeatedSearchIsAnsweredFromTheCacheUnchanged) {
  const std::string path = "/api/search?q=%E3%83%9C%E3%83%AB%E3%83%84%E3%83%9E%E3%83%B3&limit=7";
  auto first = Get(path);
  auto second = Get(path);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->get_header_value("X-Cache"), "");
  EXPECT_EQ(second->get_header_value("X-Cache"), "hit");
  EXPECT_EQ(first->body, second->body);
  // Another page is another answer; errors are never kept.
  EXPECT_EQ(Get(path + "&offset=1")->get_header_value("X-Cache"), "");
  Get("/api/search?q=x&limit=0");
  auto error = Get("/api/search?q=x&limit=0");
  EXPECT_EQ(error->status, 400);
  EXPECT_EQ(error->get_header_value("X-Cache"), "");
}

// A typo is searched corrected and said so; autocorrect=false searches as
// typed and offers the correction; the two are separate cache entries.
TEST_F(ServerTest, AutocorrectSaysWhatItSearched) {
  json corrected = json::parse(Get("/api/search?q=difusion%20model&limit=3")->body);
  EXPECT_EQ(corrected["query"], "difusion model");
  EXPECT_EQ(corrected["corrected_query"], "diffusion model");
  ASSERT_EQ(corrected["corrections"].size(), 1u);
  EXPECT_EQ(corrected["corrections"][0]["from"], "difusion");
  EXPECT_EQ(corrected["corrections"][0]["to"], "diffusion");
  EXPECT_EQ(corrected["corrections"][0]["kind"], "spelling");
  EXPECT_TRUE(corrected["did_you_mean"].is_null());
  EXPECT_TRUE(corrected["relaxed_words"].is_array());
  ASSERT_FALSE(corrected["hits"].empty());
  json as_typed = json::parse(Get("/api/search?q=difusion%20model&limit=3&autocorrect=false")->body);
  EXPECT_TRUE(as_typed["corrected_query"].is_null());
  EXPECT_TRUE(as_typed["corrections"].empty());
  EXPECT_EQ(as_typed["did_you_mean"], "diffusion model");
  EXPECT_NE(as_typed["total"], corrected["total"]);
  ExpectError(Get("/api/search?q=PINN&autocorrect=maybe"), 400, "bad_parameter");
}

TEST_F(ServerTest, PagingParameters) {
  json first = json::parse(Get("/api/search?q=PINN&limit=1")->body);
  json second = json::parse(Get("/api/search?q=PINN&limit=1&offset=1")->body);
  ASSERT_EQ(first["hits"].size(), 1u);
  ASSERT_EQ(second["hits"].size(), 1u);
  EXPECT_NE(first["hits"][0]["id"], second["hits"][0]["id"]);
  EXPECT_EQ(first["total"], second["total"]);
}

TEST_F(ServerTest, ClientMistakesGet4xxJson) {
  ExpectError(Get("/api/search"), 400, "missing_parameter");
  ExpectError(Get("/api/search?q="), 400, "empty_query");
  ExpectError(Get("/api/search?q=PINN&limit=abc"), 400, "bad_parameter");
  ExpectError(Get("/api/search?q=PINN&limit=-1"), 400, "bad_parameter");
  ExpectError(Get("/api/search?q=PINN&limit=1000"), 400, "bad_parameter");
  ExpectError(Get("/api/search?q=PINN&offset=99999999999"), 400, "bad_parameter");
  ExpectError(Get("/api/search?q=PINN&sort=random"), 400, "bad_parameter");
  ExpectError(Get("/api/search?q=%FF%FE"), 400, "bad_parameter");
  ExpectError(Get("/api/search?q=%22unclosed"), 400, "bad_query");
  ExpectError(Get("/api/search?q=a&q=b"), 400, "bad_parameter");
  ExpectError(Get("/api/talks/NOT%20AN%20ID"), 400, "bad_parameter");
  ExpectError(Get("/api/talks/dlap-999"), 404, "not_found");
  ExpectError(Get("/api/nowhere"), 404, "not_found");
  httplib::Client client("127.0.0.1", port_);
  ExpectError(client.Post("/api/search?q=PINN", "", "text/plain"), 405, "method_not_allowed");
  // …and it keeps serving.
  auto ok = Get("/api/search?q=PINN");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(ServerTest, FiltersFacetsSuggestRelatedAndOpenApi) {
  auto filtered = Get("/api/search?q=&year=2021&year=2022&lang=ja");
  ASSERT_TRUE(filtered);
  ASSERT_EQ(filtered->status, 200) << filtered->body;
  json body = json::parse(filtered->body);
  ASSERT_GT(body["total"].get<int>(), 0);
  for (const json& hit : body["hits"]) {
    const std::string year = hit["date"].get<std::string>().substr(0, 4);
    EXPECT_TRUE(year == "2021" || year == "2022") << hit["id"];
    EXPECT_EQ(hit["language"], "ja");
  }
  for (const char* facet : {"year", "series", "language", "collection", "speaker"}) {
    EXPECT_TRUE(body["facets"][facet].is_array()) << facet;
  }
  ExpectError(Get("/api/search?q=PINN&year=abcd"), 400, "bad_parameter");

  auto suggest = Get("/api/suggest?q=%E3%81%8B%E3%81%8F%E3%81%95");  // かくさ
  ASSERT_TRUE(suggest);
  ASSERT_EQ(suggest->status, 200);
  json s = json::parse(suggest->body);
  ASSERT_FALSE(s["suggestions"].empty());
  EXPECT_EQ(s["suggestions"][0]["text"], "拡散モデル");
  EXPECT_TRUE(s["suggestions"][0]["kind"].is_string());
  ExpectError(Get("/api/suggest"), 400, "missing_parameter");
  ExpectError(Get("/api/suggest?q=a&limit=0"), 400, "bad_parameter");

  auto related = Get("/api/talks/dlap-062/related?limit=3");
  ASSERT_TRUE(related);
  ASSERT_EQ(related->status, 200);
  json r = json::parse(related->body);
  EXPECT_EQ(r["id"], "dlap-062");
  ASSERT_FALSE(r["hits"].empty());
  EXPECT_LE(r["hits"].size(), 3u);
  EXPECT_TRUE(r["hits"][0]["title"].is_string());
  ExpectError(Get("/api/talks/dlap-999/related"), 404, "not_found");

  auto openapi = Get("/api/openapi.yaml");
  ASSERT_TRUE(openapi);
  EXPECT_EQ(openapi->status, 200);
  EXPECT_THAT(openapi->get_header_value("Content-Type"), HasSubstr("yaml"));
  for (const char* path : {"/api/search:", "/api/suggest:", "/api/talks/{id}/related:", "/api/health:"}) {
    EXPECT_THAT(openapi->body, HasSubstr(path));
  }
}

TEST_F(ServerTest, SortAndEveryFilterOverHttp) {
  json newest = json::parse(Get("/api/search?q=%E6%B7%B1%E5%B1%A4%E5%AD%A6%E7%BF%92&sort=newest&limit=20")->body);
  json oldest = json::parse(Get("/api/search?q=%E6%B7%B1%E5%B1%A4%E5%AD%A6%E7%BF%92&sort=oldest&limit=20")->body);
  ASSERT_GT(newest["hits"].size(), 2u);
  for (size_t i = 1; i < newest["hits"].size(); ++i) {
    EXPECT_GE(newest["hits"][i - 1]["date"].get<std::string>(), newest["hits"][i]["date"].get<std::string>());
    EXPECT_LE(oldest["hits"][i - 1]["date"].get<std::string>(), oldest["hits"][i]["date"].get<std::string>());
  }
  // speaker (space-insensitive), series, collection
  json by_speaker = json::parse(Get("/api/search?q=&speaker=%E6%A9%8B%E6%9C%AC%20%E5%B9%B8%E5%A3%AB")->body);  // 橋本 幸士
  ASSERT_GE(by_speaker["total"].get<int>(), 3);
  for (const json& hit : by_speaker["hits"]) {
    EXPECT_THAT(hit["speaker"].get<std::string>(), HasSubstr("橋本"));
  }
  json mlphys = json::parse(Get("/api/search?q=&series=mlphys&limit=100")->body);
  EXPECT_EQ(mlphys["total"], 25);
  json papers = json::parse(Get("/api/search?q=Koopman&collection=papers")->body);
  ASSERT_FALSE(papers["hits"].empty());
  for (const json& hit : papers["hits"]) EXPECT_EQ(hit["collection"], "papers");
  // In papers and in seminar talks: by default, the talks only.
  ASSERT_FALSE(json::parse(Get("/api/search?q=diffusion&collection=papers")->body)["hits"].empty());
  json talks = json::parse(Get("/api/search?q=diffusion")->body);
  ASSERT_FALSE(talks["hits"].empty());
  for (const json& hit : talks["hits"]) EXPECT_EQ(hit["collection"], "talks");
}

TEST_F(ServerTest, StaticFilesCannotEscapeTheirFolder) {
  for (const char* path : {"/../CMakeLists.txt", "/%2e%2e/CMakeLists.txt", "/..%2fCMakeLists.txt",
                           "/static/../../README.md"}) {
    auto res = Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_NE(res->status, 200) << path;
    EXPECT_THAT(res->body, ::testing::Not(HasSubstr("talksearch")));
  }
  auto js = Get("/talksearch-widget.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_THAT(js->get_header_value("Content-Type"), HasSubstr("javascript"));
}

TEST_F(ServerTest, TalkAndHealth) {
  auto talk = Get("/api/talks/dlap-077");
  ASSERT_TRUE(talk);
  ASSERT_EQ(talk->status, 200);
  json t = json::parse(talk->body);
  EXPECT_EQ(t["id"], "dlap-077");
  EXPECT_EQ(t["date"], "2026-01-29");
  EXPECT_EQ(t["speakers"][0]["name"], "三角 樹弘");

  auto health = Get("/api/health");
  ASSERT_TRUE(health);
  json h = json::parse(health->body);
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["documents"].get<size_t>(), testing::Corpus().talks.size());
  EXPECT_TRUE(h["revision"].is_number());
}

TEST_F(ServerTest, CorsForTheSeminarSiteOnly) {
  auto allowed = Get("/api/health", {{"Origin", "https://dlap-seminar.github.io"}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Origin"),
            "https://dlap-seminar.github.io");
  auto other = Get("/api/health", {{"Origin", "https://evil.example"}});
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));

  httplib::Client client("127.0.0.1", port_);
  httplib::Request preflight;
  preflight.method = "OPTIONS";
  preflight.path = "/api/search";
  preflight.headers = {{"Origin", "https://dlap-seminar.github.io"},
                       {"Access-Control-Request-Method", "GET"}};
  auto res = client.send(preflight);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204);
  EXPECT_THAT(res->get_header_value("Access-Control-Allow-Methods"), HasSubstr("GET"));
}

TEST_F(ServerTest, ServesTheSearchPage) {
  auto res = Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->get_header_value("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(res->body, HasSubstr("data-talksearch"));
  EXPECT_THAT(res->body, HasSubstr("talksearch-widget.js"));
}

TEST_F(ServerTest, ConcurrentClientsAllSucceed) {
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&ok] {
      httplib::Client client("127.0.0.1", port_);
      for (int i = 0; i < 20; ++i) {
        auto res = client.Get("/api/search?q=%E6%B7%B1%E5%B1%A4%E5%AD%A6%E7%BF%92");
        if (res && res->status == 200) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 160);
}

// Debian's cpp-httplib listens with a backlog of 5; under load that drops
// connections. `ss` reports a listening socket's backlog as its Send-Q.
TEST_F(ServerTest, ListensWithALargeBacklog) {
  const std::string command = "ss -ltnH 'sport = :" + std::to_string(port_) + "'";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char line[512] = {0};
  const bool got = fgets(line, sizeof line, pipe) != nullptr;
  pclose(pipe);
  ASSERT_TRUE(got) << command << " printed nothing";
  char state[32];
  unsigned recv_q = 0, send_q = 0;
  ASSERT_EQ(std::sscanf(line, "%31s %u %u", state, &recv_q, &send_q), 3) << line;
  EXPECT_STREQ(state, "LISTEN");
  EXPECT_GE(send_q, 511u) << line;
}

// A client keeps one connection for many searches (the search page does):
// the server must not close it after a handful (httplib's default is 5).
TEST_F(ServerTest, OneKeepAliveConnectionServesManySearches) {
  const int fd = ConnectRaw();
  ASSERT_GE(fd, 0);
  timeval wait{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  constexpr int kSearches = 50;
  int answered = 0;
  std::string pending;  // bytes received beyond the last whole response
  for (int i = 0; i < kSearches; ++i) {
    const std::string request = "GET /api/search?q=PINN&offset=" + std::to_string(i % 3) +
                                " HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      break;
    }
    // Read one whole response: headers, then Content-Length bytes of body.
    size_t header_end, length = 0;
    bool whole = false;
    char buffer[16384];
    while (!whole) {
      header_end = pending.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        const size_t at = pending.find("Content-Length: ");
        ASSERT_LT(at, header_end) << pending.substr(0, header_end);
        length = std::stoul(pending.substr(at + 16));
        whole = pending.size() >= header_end + 4 + length;
        if (whole) break;
      }
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      pending.append(buffer, n);
    }
    if (!whole) break;
    const std::string headers = pending.substr(0, header_end);
    EXPECT_EQ(headers.rfind("HTTP/1.1 200", 0), 0u) << headers;
    EXPECT_FALSE(json::parse(pending.substr(header_end + 4, length))["hits"].empty());
    pending.erase(0, header_end + 4 + length);
    ++answered;
    if (headers.find("Connection: close") != std::string::npos) break;
  }
  ::close(fd);
  EXPECT_EQ(answered, kSearches) << "the server closed the connection after " << answered;
}

// The cache holds at most its bytes: its entry count alone let 4,096
// answers of 100 hits pin about 600 MB for as long as the server ran.
TEST(ResponseCache, HoldsAtMostItsBytesAndDropsTheLeastRecentlyUsed) {
  ResponseCache cache(100, std::chrono::seconds(60), 10 * 1024);
  const std::string kilobyte(1024 - 2, 'x');  // with a two-byte key
  for (int i = 0; i < 10; ++i) cache.Put("k" + std::to_string(i), kilobyte);
  EXPECT_EQ(cache.bytes(), 10u * 1024);
  ASSERT_TRUE(cache.Get("k0"));  // now the most recently used
  cache.Put("k;", kilobyte);
  EXPECT_EQ(cache.bytes(), 10u * 1024);
  EXPECT_TRUE(cache.Get("k0"));
  EXPECT_FALSE(cache.Get("k1"));  // the least recently used went
  EXPECT_TRUE(cache.Get("k;"));
  cache.Put("huge", std::string(20 * 1024, 'x'));  // larger than the whole cache: not kept
  EXPECT_FALSE(cache.Get("huge"));
  EXPECT_TRUE(cache.Get("k2"));
}

TEST(ResponseCache, ExpiredEntriesAreDroppedNotKept) {
  ResponseCache cache(100, std::chrono::milliseconds(50));
  for (int i = 0; i < 20; ++i) cache.Put("old" + std::to_string(i), std::string(1000, 'x'));
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  EXPECT_FALSE(cache.Get("old0"));
  cache.Put("new", "body");
  EXPECT_EQ(cache.bytes(), std::string("new").size() + std::string("body").size());
  EXPECT_EQ(*cache.Get("new"), "body");
}

TEST(Cors, OriginPatterns) {
  const std::vector<std::string> patterns = {"https://*.github.io", "http://localhost:*"};
  EXPECT_TRUE(OriginAllowed("https://akio.github.io", patterns));
  EXPECT_TRUE(OriginAllowed("http://localhost:4000", patterns));
  EXPECT_FALSE(OriginAllowed("http://akio.github.io", patterns));
  EXPECT_FALSE(OriginAllowed("https://github.io.evil.example", patterns));
  EXPECT_TRUE(OriginAllowed("https://anything", {"*"}));
}

}  // namespace
}  // namespace talksearch

namespace talksearch {
namespace {

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
    port_ = server_.Bind("127.0.0.1", 0);
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
  }
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
  std::thread thread_;
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

// A request httplib refuses before routing (here a 414) was timed from the
// start of whatever request its thread served before (or from the clock's
// epoch): it is counted with no time at all, having never been routed.
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

namespace talksearch {
namespace {

// httplib reads no body for a GET: one left on a keep-alive connection was
// read as the next request, which behind a pooling proxy slips a request
// past the proxy and hands its answer to another client. Such a request is
// refused and its connection closed, whatever its body holds.
TEST_F(ServerTest, AGetWithABodyIsRefusedAndItsConnectionClosed) {
  const std::string smuggled = "GET /api/talks/dlap-077 HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string request = "GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                              std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled;
  const int fd = ConnectRaw();
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string received;
  char buffer[4096];
  ssize_t n;
  while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) received.append(buffer, n);
  const bool closed = n == 0;  // not a timeout
  ::close(fd);
  EXPECT_TRUE(closed) << received;
  EXPECT_EQ(received.rfind("HTTP/1.1 400", 0), 0u) << received;
  EXPECT_THAT(received, HasSubstr("body_not_allowed"));
  EXPECT_EQ(received.find("HTTP/1.1", 1), std::string::npos) << "a second response: " << received;
  EXPECT_EQ(received.find("dlap-077"), std::string::npos);
  auto health = Get("/api/health");  // and the server keeps serving
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

// Everything a hostile or broken client may send gets a 4xx JSON error (or
// a sane clamp) and the server keeps serving.
TEST_F(ServerTest, HostileInputGets4xxAndTheServerKeepsServing) {
  const std::string thousand_terms = [] {
    std::string q;
    for (int i = 0; i < 1000; ++i) q += "w" + std::to_string(i) + "+";
    return q;
  }();
  const std::string wildcard_flood = [] {
    std::string q;
    for (int i = 0; i < 30; ++i) q += "a*b*c*%3F+";
    return q;
  }();
  struct Case {
    std::string path;
    int min_status, max_status;
  };
  const std::vector<Case> cases = {
      {"/api/search?q=%00", 400, 400},                         // NUL byte
      {"/api/search?q=a%00b", 400, 400},
      {"/api/search?q=%C3%28", 400, 400},                      // invalid UTF-8
      {"/api/search?q=%ED%A0%80", 400, 400},                   // surrogate
      {"/api/search?q=" + std::string(3000, 'x'), 400, 400},   // over 1 KB
      {"/api/search?q=" + thousand_terms, 400, 414},           // 1,000 terms
      {"/api/search?q=%22a%22b%22", 400, 400},                 // unbalanced quotes
      {"/api/search?q=((PINN", 200, 200},                      // parentheses are text
      {"/api/search?q=foo:bar+baz:qux", 200, 200},             // unknown fields are text
      {"/api/search?q=" + wildcard_flood, 200, 400},           // no wildcard expansion
      {"/api/search?q=PINN&limit=-5", 400, 400},
      {"/api/search?q=PINN&limit=99999999999999999999", 400, 400},
      {"/api/search?q=PINN&offset=abc", 400, 400},
      {"/api/search?q=PINN&limit=1&limit=2", 400, 400},
      {"/api/suggest?q=%FF", 400, 400},
      {"/api/talks/..%2F..%2Fetc%2Fpasswd", 400, 404},
      {"/api/does/not/exist", 404, 404},
  };
  for (const Case& c : cases) {
    auto res = Get(c.path);
    ASSERT_TRUE(res) << c.path;
    EXPECT_GE(res->status, c.min_status) << c.path.substr(0, 80);
    EXPECT_LE(res->status, c.max_status) << c.path.substr(0, 80);
    if (res->status >= 400) {
      EXPECT_TRUE(json::parse(res->body, nullptr, false).contains("error")) << c.path.substr(0, 80);
    }
  }
  // A 100 KB query line.
  auto huge = Get("/api/search?q=" + std::string(100 * 1024, 'a'));
  ASSERT_TRUE(huge);
  EXPECT_GE(huge->status, 400);
  EXPECT_LT(huge->status, 500);
  // An oversized body.
  httplib::Client client("127.0.0.1", port_);
  auto big_body = client.Post("/api/search", std::string(200 * 1024, 'x'), "text/plain");
  ASSERT_TRUE(big_body);
  EXPECT_GE(big_body->status, 400);
  EXPECT_LT(big_body->status, 500);

  auto ok = Get("/api/search?q=PINN");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

// A client that sends half a request and stalls is cut off by the read
// timeout, and does not stop others from being served meanwhile.
TEST_F(ServerTest, SlowClientsAreTimedOut) {
  const int fd = ConnectRaw();
  ASSERT_GE(fd, 0);
  const std::string partial = "GET /api/search?q=PINN HTTP/1.1\r\nHost: x\r\n";  // no blank line
  ASSERT_EQ(::send(fd, partial.data(), partial.size(), 0), static_cast<ssize_t>(partial.size()));

  auto during = Get("/api/health");  // others are served meanwhile
  ASSERT_TRUE(during);
  EXPECT_EQ(during->status, 200);

  timeval wait{8, 0};  // the server's read timeout is 5 s
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  const auto start = std::chrono::steady_clock::now();
  // Within the read timeout the server gives up on the request: it closes
  // the socket or answers 4xx.
  char buffer[512];
  const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ::close(fd);
  ASSERT_GE(n, 0) << "no answer within 8 s";
  EXPECT_LT(waited, 7.5);
  if (n > 0) {
    EXPECT_EQ(std::string(buffer, n).rfind("HTTP/1.1 4", 0), 0u) << std::string(buffer, n);
  }
}

}  // namespace
}  // namespace talksearch
