#include "talksearch/metrics.h"

#include <cstdio>
#include <sstream>

namespace talksearch {

std::string Metrics::RouteOf(const std::string& path) {
  if (path == "/api/search" || path == "/api/suggest" || path == "/api/health" ||
      path == "/api/openapi.yaml" || path == "/api/admin/reload" || path == "/api/admin/corpus" ||
      path == "/metrics") {
    return path;
  }
  if (path.rfind("/api/talks/", 0) == 0) {
    const bool related = path.size() > 8 && path.compare(path.size() - 8, 8, "/related") == 0;
    return related ? "/api/talks/{id}/related" : "/api/talks/{id}";
  }
  if (path.rfind("/api/", 0) == 0) return "/api/other";
  return "static";
}

void Metrics::Record(const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, status}];
  Histogram& h = latency_[route];
  ++h.count;
  h.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  }
}

std::string Metrics::Render(Xapian::rev revision, Xapian::doccount documents) const {
  std::ostringstream out;
  std::lock_guard<std::mutex> lock(mutex_);
  out << "# HELP talksearch_requests_total HTTP requests by route and status.\n"
         "# TYPE talksearch_requests_total counter\n";
  uint64_t errors = 0;
  for (const auto& [key, count] : requests_) {
    out << "talksearch_requests_total{route=\"" << key.first << "\",status=\"" << key.second
        << "\"} " << count << "\n";
    if (key.second >= 400) errors += count;
  }
  out << "# HELP talksearch_request_errors_total HTTP responses with status 400 or more.\n"
         "# TYPE talksearch_request_errors_total counter\n"
         "talksearch_request_errors_total "
      << errors << "\n";
  out << "# HELP talksearch_request_duration_seconds Time to answer a request.\n"
         "# TYPE talksearch_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      char le[32];
      std::snprintf(le, sizeof le, "%g", kBuckets[i]);
      out << "talksearch_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << le
          << "\"} " << cumulative << "\n";
    }
    out << "talksearch_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
        << h.count << "\n";
    out << "talksearch_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n";
    out << "talksearch_request_duration_seconds_count{route=\"" << route << "\"} " << h.count
        << "\n";
  }
  out << "# HELP talksearch_index_revision Revision of the index being served.\n"
         "# TYPE talksearch_index_revision gauge\n"
         "talksearch_index_revision "
      << revision << "\n";
  out << "# HELP talksearch_index_documents Documents in the index being served.\n"
         "# TYPE talksearch_index_documents gauge\n"
         "talksearch_index_documents "
      << documents << "\n";
  return out.str();
}

}  // namespace talksearch
