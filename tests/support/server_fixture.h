// ServerTest: talks-server's HTTP API on the bundled corpus's index, started
// in-process once per test binary on an ephemeral loopback port, with
// helpers to speak to it over real HTTP (httplib) or a raw TCP socket.
// For server_test.cc and server_connection_test.cc.
#ifndef TALKSEARCH_TESTS_SERVER_FIXTURE_H_
#define TALKSEARCH_TESTS_SERVER_FIXTURE_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "talksearch/http_api.h"
#include "test_index.h"

namespace talksearch {

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

  static nlohmann::json ExpectError(const httplib::Result& res, int status, const std::string& code) {
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, status) << res->body;
    EXPECT_THAT(res->get_header_value("Content-Type"), ::testing::HasSubstr("application/json"));
    nlohmann::json body = nlohmann::json::parse(res->body, nullptr, false);
    EXPECT_TRUE(body.contains("error")) << res->body;
    if (!body.contains("error")) return body;
    EXPECT_EQ(body["error"]["code"], code);
    EXPECT_TRUE(body["error"]["message"].is_string());
    return body;
  }

  static inline SearcherPool* pool_ = nullptr;
  static inline TalksHttpServer* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
  static inline int port_ = 0;
};

}  // namespace talksearch

#endif  // TALKSEARCH_TESTS_SERVER_FIXTURE_H_
