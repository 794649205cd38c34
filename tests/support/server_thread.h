// Runs a TalksHttpServer, routes installed, on 127.0.0.1 on an ephemeral
// port in a thread of its own, until destroyed (which stops it): for tests
// that need a server of their own beside the shared ServerTest one.
#ifndef TALKSEARCH_TESTS_SERVER_THREAD_H_
#define TALKSEARCH_TESTS_SERVER_THREAD_H_

#include <chrono>
#include <thread>

#include "talksearch/talks_http_server.h"

namespace talksearch::testing {

class ServerThread {
 public:
  explicit ServerThread(TalksHttpServer& server) : server_(server) {
    port_ = server_.Bind("127.0.0.1", 0);
    if (port_ <= 0) return;
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~ServerThread() {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }
  ServerThread(const ServerThread&) = delete;
  ServerThread& operator=(const ServerThread&) = delete;

  // The port listened on; not above 0 when binding failed.
  int port() const { return port_; }

 private:
  TalksHttpServer& server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace talksearch::testing

#endif  // TALKSEARCH_TESTS_SERVER_THREAD_H_
