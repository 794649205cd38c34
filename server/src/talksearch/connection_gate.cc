#include "talksearch/connection_gate.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace talksearch {
namespace {

using Clock = std::chrono::steady_clock;

std::string PeerAddress(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "?";
  char text[INET6_ADDRSTRLEN] = "?";
  if (addr.ss_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&addr)->sin_addr, text, sizeof text);
  } else if (addr.ss_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&addr)->sin6_addr, text, sizeof text);
  }
  return text;
}

// Answers with a JSON error without waiting (the socket is non-blocking and
// the answer small enough for the send buffer) and stops reading; the caller
// closes the socket.
void SendRefusal(int fd, int status, const char* reason, const char* code,
                    const char* message) {
  const std::string body = std::string("{\"error\":{\"code\":\"") + code + "\",\"message\":\"" +
                           message + "\"}}";
  const std::string response = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                               "\r\nContent-Type: application/json; charset=utf-8"
                               "\r\nContent-Length: " + std::to_string(body.size()) +
                               "\r\nX-Content-Type-Options: nosniff"
                               "\r\nConnection: close\r\n\r\n" + body;
  (void)!::send(fd, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  // Closing with unread bytes would reset the connection and could discard
  // the answer before the client reads it: stop sending, drain a little.
  ::shutdown(fd, SHUT_WR);
  char sink[4096];
  for (int i = 0; i < 16 && ::recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0; ++i) {
  }
}

size_t CountLines(const std::string& text, size_t end) {
  return static_cast<size_t>(std::count(text.begin(), text.begin() + end, '\n'));
}

}  // namespace

size_t RequestHeadEnd(const std::string& buffer) {
  // httplib accepts bare LF line ends too, so a head may end either way.
  const size_t crlf = buffer.find("\r\n\r\n");
  const size_t lf = buffer.find("\n\n");
  size_t end = std::string::npos;
  if (crlf != std::string::npos) end = crlf + 4;
  if (lf != std::string::npos && lf + 2 < end) end = lf + 2;
  return end == std::string::npos ? 0 : end;
}

class ConnectionGate::Loop {
 public:
  Loop(ConnectionGate& gate, const ConnectionLimits& limits, Serve serve)
      : gate_(gate), limits_(limits), serve_(std::move(serve)) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = wake_;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
    thread_ = std::thread([this] { Run(); });
    for (size_t i = 0; i < std::max<size_t>(1, limits_.worker_threads); ++i) {
      workers_.emplace_back([this] { Work(); });
    }
  }

  ~Loop() {
    {
      std::lock_guard<std::mutex> lock(inbox_mutex_);
      stopping_ = true;
    }
    Wake();
    thread_.join();
    {
      std::lock_guard<std::mutex> lock(ready_mutex_);
      workers_stopping_ = true;
    }
    ready_cv_.notify_all();
    for (std::thread& t : workers_) t.join();
    for (auto& [fd, waiting] : waiting_) ::close(fd);
    for (ReadyConnection& c : ready_) ::close(c.fd);
    for (ReadyConnection& c : inbox_) ::close(c.fd);
    ::close(wake_);
    ::close(epoll_);
  }

  void Admit(int fd) {
    const std::string addr = PeerAddress(fd);
    {
      std::lock_guard<std::mutex> lock(count_mutex_);
      size_t& from_client = per_client_[addr];
      if (open_ >= limits_.max_connections || from_client >= limits_.max_connections_per_client) {
        const bool client_limit = from_client >= limits_.max_connections_per_client;
        if (from_client == 0) per_client_.erase(addr);
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        SendRefusal(fd, 503, "Service Unavailable", "too_many_connections",
                    client_limit ? "too many open connections from your address"
                                 : "the server has too many open connections");
        ::close(fd);
        return;
      }
      ++from_client;
      ++open_;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    ReadyConnection c;
    c.fd = fd;
    c.remote_addr = addr;
    Enter(std::move(c));
  }

  void Enter(ReadyConnection c) {
    {
      std::lock_guard<std::mutex> lock(inbox_mutex_);
      if (!stopping_) {
        inbox_.push_back(std::move(c));
        c.fd = -1;
      }
    }
    if (c.fd >= 0) return Forget(c);
    Wake();
  }

  void Forget(ReadyConnection& c) {
    if (c.fd < 0) return;
    ::close(c.fd);
    c.fd = -1;
    std::lock_guard<std::mutex> lock(count_mutex_);
    --open_;
    auto it = per_client_.find(c.remote_addr);
    if (it != per_client_.end() && --it->second == 0) per_client_.erase(it);
  }

  size_t open() const {
    std::lock_guard<std::mutex> lock(count_mutex_);
    return open_;
  }

 private:
  struct Waiting {
    ReadyConnection connection;
    Clock::time_point deadline;
  };

  void Wake() {
    const uint64_t one = 1;
    (void)!::write(wake_, &one, sizeof one);
  }

  void Run() {
    std::vector<epoll_event> events(256);
    Clock::time_point last_sweep = Clock::now();
    for (;;) {
      const int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 100);
      for (int i = 0; i < n; ++i) {
        if (events[i].data.fd == wake_) {
          uint64_t count;
          (void)!::read(wake_, &count, sizeof count);
          if (!TakeInbox()) return;
        } else {
          ReadFrom(events[i].data.fd);
        }
      }
      const Clock::time_point now = Clock::now();
      if (now - last_sweep >= std::chrono::milliseconds(100)) {
        last_sweep = now;
        CloseExpired(now);
      }
    }
  }

  // Moves admitted and returned connections into the waiting room; false
  // once the gate is stopping.
  bool TakeInbox() {
    std::deque<ReadyConnection> arrived;
    {
      std::lock_guard<std::mutex> lock(inbox_mutex_);
      if (stopping_) return false;
      arrived.swap(inbox_);
    }
    for (ReadyConnection& c : arrived) {
      const int fd = c.fd;
      const bool started = !c.buffered.empty();
      Waiting& w = waiting_[fd];
      w.connection = std::move(c);
      w.deadline = Clock::now() + (started ? limits_.head_timeout : limits_.idle_timeout);
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLRDHUP;
      ev.data.fd = fd;
      ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
      // A returned connection may already hold its next (pipelined) request.
      if (started) Examine(fd);
    }
    return true;
  }

  void ReadFrom(int fd) {
    auto it = waiting_.find(fd);
    if (it == waiting_.end()) return;
    ReadyConnection& c = it->second.connection;
    const bool was_empty = c.buffered.empty();
    char chunk[4096];
    for (;;) {
      const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
      if (got > 0) {
        c.buffered.append(chunk, static_cast<size_t>(got));
        if (c.buffered.size() > limits_.max_head_bytes) break;
        continue;
      }
      if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (got < 0 && errno == EINTR) continue;
      return Drop(fd);  // closed by the client, or an error
    }
    if (was_empty && !c.buffered.empty()) {
      it->second.deadline = Clock::now() + limits_.head_timeout;
    }
    Examine(fd);
  }

  // Hands the connection to a worker once its head is complete; refuses a
  // head over the limits.
  void Examine(int fd) {
    auto it = waiting_.find(fd);
    ReadyConnection& c = it->second.connection;
    const size_t end = RequestHeadEnd(c.buffered);
    const bool too_large = end == 0 ? c.buffered.size() > limits_.max_head_bytes
                                    : end > limits_.max_head_bytes;
    if (too_large || (end > 0 && CountLines(c.buffered, end) > limits_.max_head_lines + 1)) {
      ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
      ReadyConnection refused = std::move(c);
      waiting_.erase(it);
      SendRefusal(refused.fd, 431, "Request Header Fields Too Large", "request_too_large",
                  "the request head is over the server's limit of bytes or lines");
      Forget(refused);
      return;
    }
    if (end == 0) return;
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
    ReadyConnection ready = std::move(c);
    waiting_.erase(it);
    {
      std::lock_guard<std::mutex> lock(ready_mutex_);
      ready_.push_back(std::move(ready));
    }
    ready_cv_.notify_one();
  }

  void CloseExpired(Clock::time_point now) {
    std::vector<int> expired;
    for (const auto& [fd, w] : waiting_) {
      if (w.deadline <= now) expired.push_back(fd);
    }
    for (int fd : expired) Drop(fd);
  }

  void Drop(int fd) {
    auto it = waiting_.find(fd);
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
    ReadyConnection c = std::move(it->second.connection);
    waiting_.erase(it);
    Forget(c);
  }

  void Work() {
    for (;;) {
      ReadyConnection c;
      {
        std::unique_lock<std::mutex> lock(ready_mutex_);
        ready_cv_.wait(lock, [this] { return workers_stopping_ || !ready_.empty(); });
        if (ready_.empty()) return;
        c = std::move(ready_.front());
        ready_.pop_front();
      }
      try {
        serve_(gate_, std::move(c));
      } catch (...) {
        // serve_ owns the connection once called; it closes it on failure.
      }
    }
  }

  ConnectionGate& gate_;
  const ConnectionLimits limits_;
  const Serve serve_;
  int epoll_ = -1;
  int wake_ = -1;
  std::thread thread_;
  std::vector<std::thread> workers_;

  std::mutex inbox_mutex_;
  bool stopping_ = false;
  std::deque<ReadyConnection> inbox_;

  std::unordered_map<int, Waiting> waiting_;  // the loop thread's alone

  std::mutex ready_mutex_;
  std::condition_variable ready_cv_;
  bool workers_stopping_ = false;
  std::deque<ReadyConnection> ready_;

  mutable std::mutex count_mutex_;
  size_t open_ = 0;
  std::unordered_map<std::string, size_t> per_client_;
};

ConnectionGate::ConnectionGate(const ConnectionLimits& limits, Serve serve)
    : limits_(limits), loop_(std::make_unique<Loop>(*this, limits, std::move(serve))) {}

ConnectionGate::~ConnectionGate() = default;

void ConnectionGate::Admit(int fd) { loop_->Admit(fd); }

void ConnectionGate::Return(ReadyConnection connection) { loop_->Enter(std::move(connection)); }

void ConnectionGate::Close(ReadyConnection& connection) { loop_->Forget(connection); }

size_t ConnectionGate::open_connections() const { return loop_->open(); }

}  // namespace talksearch
