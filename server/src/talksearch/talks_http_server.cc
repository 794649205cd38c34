#include "talksearch/talks_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

namespace talksearch {
namespace {

using Clock = std::chrono::steady_clock;

// Runs each task at once on the caller's thread: httplib's accept loop only
// hands the socket to the gate, which never blocks.
class InlineTaskQueue : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

// A request's socket as httplib reads and writes it: the bytes the gate
// already read come first, and every wait ends at one deadline for the
// whole exchange (body and response), not a timeout per read.
class GateStream : public httplib::Stream {
 public:
  GateStream(int fd, std::string& buffered, Clock::time_point deadline)
      : fd_(fd), buffered_(buffered), deadline_(deadline) {}

  // The bytes read from the socket and not consumed by this request: the
  // start of a pipelined next request.
  std::string Unread() const { return buffered_.substr(consumed_); }
  bool failed() const { return failed_; }

  bool is_readable() const override {
    return consumed_ < buffered_.size() || Wait(POLLIN);
  }
  bool is_writable() const override { return Wait(POLLOUT); }

  ssize_t read(char* ptr, size_t size) override {
    if (consumed_ < buffered_.size()) {
      const size_t n = std::min(size, buffered_.size() - consumed_);
      std::memcpy(ptr, buffered_.data() + consumed_, n);
      consumed_ += n;
      return static_cast<ssize_t>(n);
    }
    for (;;) {
      const ssize_t got = ::recv(fd_, ptr, size, 0);
      if (got >= 0) return got;
      if (errno == EINTR) continue;
      if ((errno != EAGAIN && errno != EWOULDBLOCK) || !Wait(POLLIN)) return Fail();
    }
  }

  ssize_t write(const char* ptr, size_t size) override {
    size_t sent = 0;
    while (sent < size) {
      const ssize_t n = ::send(fd_, ptr + sent, size - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && Wait(POLLOUT)) {
        continue;
      } else {
        return Fail();
      }
    }
    return static_cast<ssize_t>(sent);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    Address(::getpeername, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    Address(::getsockname, ip, port);
  }

  // httplib calls this only to refuse sockets numbered past FD_SETSIZE,
  // which its select() could not watch; this stream polls, so any number
  // is fine.
  socket_t socket() const override { return fd_ < FD_SETSIZE ? fd_ : 0; }

 private:
  bool Wait(short events) const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, events, 0};
    int ready;
    do {
      ready = ::poll(&p, 1, static_cast<int>(left.count()));
    } while (ready < 0 && errno == EINTR);
    return ready > 0 && (p.revents & (events | POLLHUP | POLLERR));
  }

  ssize_t Fail() {
    failed_ = true;
    return -1;
  }

  template <typename GetName>
  void Address(GetName get_name, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    ip.clear();
    port = 0;
    if (get_name(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return;
    char text[INET6_ADDRSTRLEN] = "";
    if (addr.ss_family == AF_INET) {
      const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
      ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
      port = ntohs(a->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
      ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
      port = ntohs(a->sin6_port);
    }
    ip = text;
  }

  const int fd_;
  std::string& buffered_;
  size_t consumed_ = 0;
  const Clock::time_point deadline_;
  bool failed_ = false;
};

// Adjusts a parsed request before routing.
void PrepareRequest(httplib::Request& req) {
  // Several ranges would be answered as a multipart body of them all: a few
  // bytes of header could ask for the same file thousands of times. The
  // server may ignore Range, and does when it names more than one.
  // (The static handler answers 206 whenever the header is present, so it
  // goes too.)
  if (req.ranges.size() > 1) {
    req.ranges.clear();
    req.headers.erase("Range");
  }
  // httplib reads a POST body without a length until the client closes;
  // a request that announces no body has none.
  if ((req.method == "POST" || req.method == "PUT" || req.method == "PATCH") &&
      !req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) {
    req.set_header("Content-Length", "0");
  }
}

}  // namespace

TalksHttpServer::TalksHttpServer(const ConnectionLimits& limits) : gate_(NewGate(limits)) {
  new_task_queue = [] { return new InlineTaskQueue(); };
  // httplib's default also sets SO_REUSEPORT, with which a second server
  // binds the same port without an error and the kernel shares the
  // connections between the two. SO_REUSEADDR alone lets a restart bind
  // while old connections linger in TIME_WAIT, and a second server fail.
  set_socket_options([](socket_t sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

std::unique_ptr<ConnectionGate> TalksHttpServer::NewGate(const ConnectionLimits& limits) {
  return std::make_unique<ConnectionGate>(
      limits, [this](ConnectionGate& gate, ReadyConnection connection) {
        Serve(gate, std::move(connection));
      });
}

TalksHttpServer::~TalksHttpServer() { gate_.reset(); }

int TalksHttpServer::Bind(const std::string& host, int port) {
  int bound = port == 0 ? bind_to_any_port(host) : (bind_to_port(host, port) ? port : -1);
  if (bound < 0) return -1;
  // Listening again on a listening socket only updates its backlog.
  if (::listen(svr_sock_, kListenBacklog) != 0) return -1;
  // httplib writes a response's headers and body in separate sends; with
  // Nagle's algorithm the body then waits for the client's delayed ACK
  // (~40 ms per keep-alive request, measured: 1,171 req/s for /api/health).
  // Accepted sockets inherit TCP_NODELAY from the listening one.
  const int one = 1;
  if (::setsockopt(svr_sock_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) return -1;
  return bound;
}

bool TalksHttpServer::listen_after_bind() {
  const bool ok = httplib::Server::listen_after_bind();
  // Stopped: close the connections still open, keep a gate for a restart.
  gate_ = NewGate(gate_->limits());
  return ok;
}

bool TalksHttpServer::process_and_close_socket(socket_t sock) {
  gate_->Admit(sock);
  return true;
}

void TalksHttpServer::Serve(ConnectionGate& gate, ReadyConnection connection) {
  for (;;) {
    GateStream stream(connection.fd, connection.buffered,
                      Clock::now() + gate.limits().exchange_timeout);
    const bool last = ++connection.requests >= keep_alive_max_count_;
    bool closed = false;
    const bool answered = process_request(stream, last, closed, PrepareRequest);
    connection.buffered = stream.Unread();
    if (!answered || closed || last || stream.failed() || !is_running()) {
      return gate.Close(connection);
    }
    // Pipelined requests are answered in order before the connection waits.
    if (RequestHeadEnd(connection.buffered) == 0) return gate.Return(std::move(connection));
  }
}

}  // namespace talksearch
