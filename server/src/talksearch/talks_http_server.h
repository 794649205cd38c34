// httplib::Server that holds on its own, without a proxy in front.
//
// Accepted connections wait in a ConnectionGate (one epoll thread) until a
// whole request head has arrived, so idle and slow clients cost a buffer,
// not a thread; workers answer complete requests, pipelined ones in order,
// with a deadline for the whole exchange. The listen backlog is raised from
// Debian cpp-httplib's 5, which drops connections under load.
//
// Use like httplib::Server: register routes (InstallApi), Bind(), then
// listen_after_bind() on a thread of its own; stop() ends it.
#ifndef TALKSEARCH_TALKS_HTTP_SERVER_H_
#define TALKSEARCH_TALKS_HTTP_SERVER_H_

#include <httplib.h>

#include <memory>
#include <string>

#include "talksearch/connection_gate.h"

namespace talksearch {

class TalksHttpServer : public httplib::Server {
 public:
  static constexpr int kListenBacklog = 511;

  explicit TalksHttpServer(const ConnectionLimits& limits = ConnectionLimits());
  ~TalksHttpServer() override;

  // Binds `host`:`port` (0 = any free port) and returns the port, or -1.
  int Bind(const std::string& host, int port);
  // Serves until stop(); then closes every open connection.
  bool listen_after_bind();

  // Connections open now (waiting for a request or being answered).
  size_t open_connections() const { return gate_->open_connections(); }

 private:
  // Called by httplib's accept loop for each accepted socket.
  bool process_and_close_socket(socket_t sock) override;
  // Answers the requests buffered on `connection` (a worker of `gate`).
  void Serve(ConnectionGate& gate, ReadyConnection connection);
  std::unique_ptr<ConnectionGate> NewGate(const ConnectionLimits& limits);

  std::unique_ptr<ConnectionGate> gate_;
};

}  // namespace talksearch

#endif  // TALKSEARCH_TALKS_HTTP_SERVER_H_
