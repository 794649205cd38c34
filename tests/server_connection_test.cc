// talks-server's connections, on the API of server_test.cc: many clients at
// once, the listen backlog, keep-alive, and clients that send what httplib
// would mishandle (a GET with a body, hostile input, half a request).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "server_fixture.h"

namespace talksearch {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

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

// httplib reads no body for a GET: one left on a keep-alive connection would
// be read as the next request, which behind a pooling proxy slips a request
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
