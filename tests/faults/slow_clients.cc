// slow-clients: bad clients against a talks-server on loopback while a
// normal client keeps searching. The bad ones are idle sockets (connect,
// send nothing) and slowloris sockets (a request head sent one header line
// a second, never finished), from loopback addresses other than the normal
// client's 127.0.0.1; each one the server closes is opened again, so their
// numbers hold for the whole run. Prints the normal client's latencies and
// exits 1 when its p99 reaches the limit or any of its requests fails.
//
//   slow-clients --port N [--idle 1000] [--slowloris 200] [--seconds 20]
//                [--p99-limit-ms 100]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// Connects from `source` (an address on loopback) to 127.0.0.1:`port`; -1
// when it cannot.
int Connect(const std::string& source, int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
  timeval timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

struct BadClient {
  std::string source;
  bool slowloris = false;
  int fd = -1;
  bool started = false;  // the request line is sent
  Clock::time_point next_drip;
};

// Keeps every bad client connected (and dripping) until `stop`; counts the
// connections the server closed and that were opened again.
void RunBadClients(std::vector<BadClient>& clients, int port, const std::atomic<bool>& stop,
                   size_t& reopened, size_t& refused) {
  for (BadClient& c : clients) {
    c.fd = Connect(c.source, port);
    if (c.fd < 0) ++refused;
  }
  std::vector<pollfd> fds;
  std::vector<BadClient*> owners;  // of each pollfd
  char buffer[4096];
  while (!stop) {
    const auto now = Clock::now();
    fds.clear();
    owners.clear();
    for (BadClient& c : clients) {
      if (c.fd < 0) {
        c.fd = Connect(c.source, port);
        if (c.fd < 0) { ++refused; continue; }
        ++reopened;
      }
      if (c.slowloris && now >= c.next_drip) {
        // The first drip starts the request; every later one adds a header.
        const std::string line =
            c.started ? "X-Drip: " + std::to_string(now.time_since_epoch().count()) + "\r\n"
                      : "GET /api/search?q=PINN HTTP/1.1\r\n";
        c.started = true;
        if (::send(c.fd, line.data(), line.size(), MSG_NOSIGNAL) < 0) {
          ::close(c.fd);
          c.fd = -1;
          c.started = false;
          continue;
        }
        c.next_drip = now + std::chrono::seconds(1);
      }
      fds.push_back({c.fd, POLLIN, 0});
      owners.push_back(&c);
    }
    ::poll(fds.data(), fds.size(), 50);
    for (size_t i = 0; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      // An answer (503, 408) or a close: the server let go of this one.
      BadClient& c = *owners[i];
      ::recv(c.fd, buffer, sizeof buffer, MSG_DONTWAIT);
      ::close(c.fd);
      c.fd = -1;
      c.started = false;
      c.next_drip = {};
    }
  }
  for (BadClient& c : clients) {
    if (c.fd >= 0) ::close(c.fd);
  }
}

// One search as a browser makes it; the status, or 0 when it failed.
int Search(int port, const std::string& query) {
  const int fd = Connect("127.0.0.1", port);
  if (fd < 0) return 0;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const std::string request = "GET /api/search?q=" + query +
                              " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return 0;
  }
  std::string answer;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  if (answer.compare(0, 9, "HTTP/1.1 ") != 0 || answer.size() < 12) return 0;
  return std::atoi(answer.c_str() + 9);
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * values.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0, idle = 1000, slowloris = 200, seconds = 20;
  double p99_limit_ms = 100;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--port") port = std::atoi(value);
    else if (flag == "--idle") idle = std::atoi(value);
    else if (flag == "--slowloris") slowloris = std::atoi(value);
    else if (flag == "--seconds") seconds = std::atoi(value);
    else if (flag == "--p99-limit-ms") p99_limit_ms = std::atof(value);
    else {
      std::fprintf(stderr, "slow-clients: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (port <= 0) {
    std::fprintf(stderr, "usage: slow-clients --port N [--idle N] [--slowloris N] [--seconds N]\n");
    return 2;
  }
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &files);
  if (files.rlim_cur < static_cast<rlim_t>(idle + slowloris + 64)) {
    std::fprintf(stderr, "slow-clients: %d connections need more open files than %lu\n",
                 idle + slowloris, static_cast<unsigned long>(files.rlim_cur));
    return 2;
  }

  // 50 bad connections per address (the server's per-client cap is higher),
  // on 127.0.0.2 and up: loopback answers every 127.x address.
  std::vector<BadClient> bad;
  for (int i = 0; i < idle + slowloris; ++i) {
    BadClient c;
    c.source = "127.0." + std::to_string(1 + i / 50 / 250) + "." + std::to_string(2 + i / 50 % 250);
    c.slowloris = i >= idle;
    bad.push_back(c);
  }
  std::atomic<bool> stop{false};
  size_t reopened = 0, refused = 0;
  std::thread bad_thread(RunBadClients, std::ref(bad), port, std::cref(stop), std::ref(reopened),
                         std::ref(refused));
  std::this_thread::sleep_for(std::chrono::seconds(2));  // all of them connected

  const std::vector<std::string> queries = {
      "PINN", "%E6%8B%A1%E6%95%A3%E3%83%A2%E3%83%87%E3%83%AB", "diffusion+model",
      "%E3%83%9C%E3%83%AB%E3%83%84%E3%83%9E%E3%83%B3%E3%83%9E%E3%82%B7%E3%83%B3"};
  std::vector<double> latencies_ms;
  size_t errors = 0;
  const auto end = Clock::now() + std::chrono::seconds(seconds);
  for (size_t i = 0; Clock::now() < end; ++i) {
    const auto start = Clock::now();
    const int status = Search(port, queries[i % queries.size()]);
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (status != 200) ++errors;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop = true;
  bad_thread.join();

  const double p99 = Percentile(latencies_ms, 0.99);
  std::printf("slow clients: %d idle + %d slowloris connections for %d s (%zu reopened after the "
              "server closed them, %zu refused)\n",
              idle, slowloris, seconds, reopened, refused);
  std::printf("normal client: %zu searches, %zu errors, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              latencies_ms.size(), errors, Percentile(latencies_ms, 0.5), p99,
              Percentile(latencies_ms, 1.0));
  if (errors > 0 || latencies_ms.size() < 10 || p99 >= p99_limit_ms) {
    std::printf("FAIL: the normal client needs 0 errors and p99 under %.0f ms\n", p99_limit_ms);
    return 1;
  }
  std::printf("PASS\n");
  return 0;
}
