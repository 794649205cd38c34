// talks-server without a proxy in front: slow and idle clients, oversized
// heads, many ranges, pipelining, cache keys, a damaged index, control
// characters in paths, secrets in the log. Every server here is in-process
// on an ephemeral loopback port; waits are bounded by socket timeouts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "talksearch/http_api.h"
#include "talksearch/index_writer.h"
#include "server_thread.h"
#include "test_index.h"

namespace talksearch {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

// A talks-server on 127.0.0.1 with `limits`, serving `db`.
class RunningServer {
 public:
  RunningServer(const std::string& db, const ConnectionLimits& limits, bool access_log = false)
      : pool_({db}, testing::Model(), testing::GlossaryOfRepo(), 2), server_(limits) {
    ServerConfig config;
    config.access_log = access_log;
    config.static_dir = testing::SourcePath("server/static");
    config.admin_token = "the-admin-token";
    InstallApi(server_, pool_, config);
    running_ = std::make_unique<testing::ServerThread>(server_);
  }
  int port() const { return running_->port(); }
  TalksHttpServer& server() { return server_; }

  httplib::Result Get(const std::string& path, const httplib::Headers& headers = {}) {
    httplib::Client client("127.0.0.1", port());
    client.set_read_timeout(3, 0);
    return client.Get(path, headers);
  }

  // A raw TCP connection from `source` (any 127.x.y.z address is loopback),
  // with a receive timeout of `timeout_ms`; -1 on failure.
  int Connect(const char* source = "127.0.0.1", int timeout_ms = 3000) const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &local.sin_addr);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval wait{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

 private:
  SearcherPool pool_;
  TalksHttpServer server_;
  std::unique_ptr<testing::ServerThread> running_;  // last: stops first
};

bool SendAll(int fd, const std::string& data) {
  return ::send(fd, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
}

// Everything the server sends until it closes or the receive timeout ends.
std::string ReceiveAll(int fd) {
  std::string got;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    got.append(buffer, static_cast<size_t>(n));
  }
  return got;
}

// Whether the server has closed `fd` (a read sees the end, or a reset).
bool ClosedByServer(int fd) {
  char byte;
  const ssize_t n = ::recv(fd, &byte, 1, 0);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

ConnectionLimits SmallLimits() {
  ConnectionLimits limits;
  limits.worker_threads = 2;
  limits.head_timeout = std::chrono::milliseconds(1000);
  limits.idle_timeout = std::chrono::milliseconds(1000);
  return limits;
}

TEST(ServerHardening, IdleAndSlowClientsDoNotStarveOthers) {
  RunningServer server(testing::CorpusIndexPath(), SmallLimits());
  std::vector<int> idle, slow;
  for (int i = 0; i < 100; ++i) idle.push_back(server.Connect("127.0.0.2"));
  for (int i = 0; i < 50; ++i) {
    slow.push_back(server.Connect("127.0.0.3"));
    ASSERT_TRUE(SendAll(slow.back(), "GET /api/health HTTP/1.1\r\n"));
  }
  // Two workers, 150 connections holding none of them: a search still gets
  // its answer, again and again, while the slow ones drip header lines.
  for (int round = 0; round < 10; ++round) {
    for (int fd : slow) SendAll(fd, "X-Drip: " + std::to_string(round) + "\r\n");
    auto res = server.Get("/api/search?q=PINN");
    ASSERT_TRUE(res) << "round " << round;
    EXPECT_EQ(res->status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  // Dripping does not keep a head alive past its deadline (1 s here), nor
  // does silence keep a connection.
  EXPECT_TRUE(ClosedByServer(slow.front()));
  EXPECT_TRUE(ClosedByServer(idle.front()));
  for (int fd : idle) ::close(fd);
  for (int fd : slow) ::close(fd);
}

TEST(ServerHardening, ConnectionsPerClientAreCapped) {
  ConnectionLimits limits = SmallLimits();
  limits.max_connections_per_client = 5;
  RunningServer server(testing::CorpusIndexPath(), limits);
  std::vector<int> held;
  for (int i = 0; i < 5; ++i) held.push_back(server.Connect("127.0.0.4"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const int over = server.Connect("127.0.0.4");
  const std::string refusal = ReceiveAll(over);
  EXPECT_EQ(refusal.rfind("HTTP/1.1 503", 0), 0u) << refusal;
  EXPECT_THAT(refusal, HasSubstr("too_many_connections"));
  ::close(over);
  // Another address is not affected.
  auto res = server.Get("/api/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  for (int fd : held) ::close(fd);
}

TEST(ServerHardening, OversizedHeadsAreRefusedWith431) {
  RunningServer server(testing::CorpusIndexPath(), SmallLimits());
  std::string many_lines = "GET /api/health HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 150; ++i) many_lines += "X-Line-" + std::to_string(i) + ": y\r\n";
  const std::string huge = "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " +
                           std::string(20000, 'a') + "\r\n\r\n";
  for (const std::string& request : {many_lines + "\r\n", huge}) {
    const int fd = server.Connect();
    ASSERT_TRUE(SendAll(fd, request));
    const std::string answer = ReceiveAll(fd);
    ::close(fd);
    EXPECT_EQ(answer.rfind("HTTP/1.1 431", 0), 0u) << answer.substr(0, 200);
    EXPECT_THAT(answer, HasSubstr("\"request_too_large\""));
  }
  auto res = server.Get("/api/health");  // and the server goes on
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST(ServerHardening, ManyRangesGetTheWholeFileOnce) {
  RunningServer server(testing::CorpusIndexPath(), SmallLimits());
  const std::string file = testing::ReadFileOrDie(testing::SourcePath("server/static/index.html"));
  std::string ranges = "bytes=0-0";
  for (int i = 1; i < 500; ++i) ranges += ",0-" + std::to_string(i);
  auto many = server.Get("/index.html", {{"Range", ranges}});
  ASSERT_TRUE(many);
  EXPECT_EQ(many->status, 200);
  EXPECT_EQ(many->body.size(), file.size());
  auto one = server.Get("/index.html", {{"Range", "bytes=0-9"}});  // one range is served
  ASSERT_TRUE(one);
  EXPECT_EQ(one->status, 206);
  EXPECT_EQ(one->body, file.substr(0, 10));
}

TEST(ServerHardening, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer server(testing::CorpusIndexPath(), SmallLimits());
  const int fd = server.Connect();
  ASSERT_TRUE(SendAll(fd,
                      "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /api/talks/no-such-talk HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /api/search?q=PINN&limit=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  const auto start = std::chrono::steady_clock::now();
  const std::string answers = ReceiveAll(fd);  // ends when the server closes
  const auto waited = std::chrono::steady_clock::now() - start;
  ::close(fd);
  const size_t first = answers.find("HTTP/1.1 200");
  const size_t second = answers.find("HTTP/1.1 404");
  const size_t third = answers.find("HTTP/1.1 200", second);
  ASSERT_NE(first, std::string::npos) << answers;
  ASSERT_NE(second, std::string::npos) << answers;
  ASSERT_NE(third, std::string::npos) << answers;
  EXPECT_LT(first, second);
  EXPECT_THAT(answers.substr(third), HasSubstr("\"hits\""));
  // Closed after the third answer, not after a keep-alive wait.
  EXPECT_LT(waited, std::chrono::milliseconds(2500));
}

TEST(ServerHardening, PostToAnUnknownPathIsRefusedAtOnce) {
  RunningServer server(testing::CorpusIndexPath(), SmallLimits());
  for (const std::string path : {"/api/nothing", "/api/search"}) {
    const int fd = server.Connect("127.0.0.1", 2000);  // httplib would wait 5 s for a body
    ASSERT_TRUE(SendAll(fd, "POST " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    const std::string answer = ReceiveAll(fd);
    ::close(fd);
    EXPECT_EQ(answer.rfind(path == "/api/nothing" ? "HTTP/1.1 404" : "HTTP/1.1 405", 0), 0u)
        << path << ": " << answer;
  }
}

TEST(ServerHardening, ControlCharactersInPathsAreRefusedAndNothingIsSniffed) {
  RunningServer server(testing::CorpusIndexPath(), SmallLimits());
  auto nul = server.Get("/talksearch-widget.js%00.html");
  ASSERT_TRUE(nul);
  EXPECT_EQ(nul->status, 400);
  EXPECT_THAT(nul->get_header_value("Content-Type"), HasSubstr("application/json"));
  for (const std::string path : {"/talksearch-widget.js", "/", "/api/search?q=PINN",
                                  "/api/nothing", "/talksearch-widget.js%00.html"}) {
    auto res = server.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
  }
  auto script = server.Get("/talksearch-widget.js");
  EXPECT_THAT(script->get_header_value("Content-Type"), HasSubstr("javascript"));
}

TEST(ServerHardening, TheCacheNeverAnswersOneRequestWithAnothers) {
  RunningServer server(testing::CorpusIndexPath(), SmallLimits());
  // Two speakers as two values, then one value holding both with the byte
  // that once separated values in the cache key.
  auto two = server.Get("/api/search?q=%E7%89%A9%E7%90%86&speaker=A&speaker=B");
  ASSERT_TRUE(two);
  ASSERT_EQ(two->status, 200);
  auto one = server.Get("/api/search?q=%E7%89%A9%E7%90%86&speaker=A%1FB");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->status, 400) << one->body;
  EXPECT_EQ(one->get_header_value("X-Cache"), "");
  // Repeating a request exactly is still a hit.
  auto again = server.Get("/api/search?q=%E7%89%A9%E7%90%86&speaker=A&speaker=B");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->get_header_value("X-Cache"), "hit");
  EXPECT_EQ(again->body, two->body);
}

TEST(ServerHardening, TokensInUrlsAreNotLogged) {
  ::testing::internal::CaptureStderr();
  {
    RunningServer server(testing::CorpusIndexPath(), SmallLimits(), /*access_log=*/true);
    httplib::Client client("127.0.0.1", server.port());
    auto res = client.Post("/api/admin/reload?token=s3cret-in-url&x=1", "", "text/plain");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    auto res2 = client.Get("/api/search?q=PINN&access_token=another-s3cret");
    ASSERT_TRUE(res2);
  }
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(log, HasSubstr("/api/admin/reload"));
  EXPECT_THAT(log, Not(HasSubstr("s3cret")));
}

TEST(ServerHardening, ADamagedIndexIsReportedUnhealthy) {
  namespace fs = std::filesystem;
  const std::string db = testing::MakeTempDir("damaged") + "/db";
  fs::copy(testing::CorpusIndexPath(), db, fs::copy_options::recursive);
  const std::string postlist = db + "/postlist.glass";
  fs::resize_file(postlist, fs::file_size(postlist) / 2);

  RunningServer server(db, SmallLimits());
  // The check runs in the background when the index is opened.
  int status = 0;
  std::string health_body;
  for (int i = 0; i < 100 && status != 503; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto health = server.Get("/api/health");
    ASSERT_TRUE(health);
    status = health->status;
    health_body = health->body;
  }
  EXPECT_EQ(status, 503) << health_body;
  const json body = json::parse(health_body, nullptr, false);
  EXPECT_EQ(body.value("status", ""), "unavailable");
  EXPECT_THAT(body.value("problem", ""), HasSubstr(db));
}

// A second server on a port in use must fail, not share the port: with
// SO_REUSEPORT both bound and the kernel spread requests over the two.
TEST(ServerHardening, ASecondServerCannotTakeAPortInUse) {
  RunningServer first(testing::CorpusIndexPath(), SmallLimits());
  TalksHttpServer second(SmallLimits());
  errno = 0;
  EXPECT_EQ(second.Bind("127.0.0.1", first.port()), -1);
  EXPECT_EQ(errno, EADDRINUSE);
  auto health = first.Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

}  // namespace
}  // namespace talksearch
