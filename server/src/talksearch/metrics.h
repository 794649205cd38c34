// Request metrics in the Prometheus text format (GET /metrics).
//
// Thread-safe: Record() is called by every worker after each request.
#ifndef TALKSEARCH_METRICS_H_
#define TALKSEARCH_METRICS_H_

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include <xapian.h>

namespace talksearch {

class Metrics {
 public:
  // `route` is a path pattern ("/api/talks/{id}"), never the raw path, so
  // the number of series stays bounded whatever clients send.
  void Record(const std::string& route, int status, double seconds);

  std::string Render(Xapian::rev revision, Xapian::doccount documents) const;

  // The route pattern a request path belongs to.
  static std::string RouteOf(const std::string& path);

  static constexpr std::array<double, 12> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};  // cumulative on output
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;  // (route, status)
  std::map<std::string, Histogram> latency_;                   // per route
};

}  // namespace talksearch

#endif  // TALKSEARCH_METRICS_H_
