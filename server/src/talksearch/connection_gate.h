// The waiting room in front of the HTTP workers.
//
// cpp-httplib serves a connection on one thread from accept to close, so a
// client that connects and says nothing, or drips a header line a second,
// holds a thread; a few hundred of them stop the server. The gate holds every
// connection that has not yet sent a whole request head in one epoll thread,
// at the cost of a buffer each, and gives a worker thread only connections
// with a complete head to answer. Between keep-alive requests the connection
// comes back here. Deadlines are per request head (not per read), so a
// slowloris client is closed however steadily it drips.
//
// Thread-safety: Admit() and Return() may be called from any thread.
#ifndef TALKSEARCH_CONNECTION_GATE_H_
#define TALKSEARCH_CONNECTION_GATE_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace talksearch {

struct ConnectionLimits {
  size_t worker_threads = 64;  // requests answered at once
  // Open connections (waiting or being answered) in total and per client
  // address; a connection over either is answered 503 and closed.
  size_t max_connections = 8192;
  size_t max_connections_per_client = 512;
  // From a head's first byte to its blank line.
  std::chrono::milliseconds head_timeout{5000};
  // A new or kept-alive connection that sends nothing for this long is closed.
  std::chrono::milliseconds idle_timeout{5000};
  // Reading a request body and writing the response, once a worker has it.
  std::chrono::milliseconds exchange_timeout{10000};
  // A request head larger than this, or with more lines, is answered 431.
  size_t max_head_bytes = 16 * 1024;
  size_t max_head_lines = 100;
};

// A connection whose buffer starts with a complete request head.
struct ReadyConnection {
  int fd = -1;
  std::string buffered;     // bytes read from the socket, not yet consumed
  std::string remote_addr;  // numeric address of the peer
  size_t requests = 0;      // answered on this connection so far
};

// Where a request head ends in `buffer` (one past its blank line), or 0
// when the head is not complete yet.
size_t RequestHeadEnd(const std::string& buffer);

class ConnectionGate {
 public:
  // `serve` runs on a worker thread with this gate; it must end by calling
  // the gate's Return() with the connection or closing it through Close().
  using Serve = std::function<void(ConnectionGate&, ReadyConnection)>;
  ConnectionGate(const ConnectionLimits& limits, Serve serve);
  ~ConnectionGate();  // closes every connection it holds
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  // Takes ownership of an accepted socket.
  void Admit(int fd);
  // A served connection goes back to wait for its next request.
  void Return(ReadyConnection connection);
  // Closes a served connection and forgets it.
  void Close(ReadyConnection& connection);

  const ConnectionLimits& limits() const { return limits_; }
  size_t open_connections() const;

 private:
  class Loop;
  const ConnectionLimits limits_;
  std::unique_ptr<Loop> loop_;
};

}  // namespace talksearch

#endif  // TALKSEARCH_CONNECTION_GATE_H_
