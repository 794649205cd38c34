#include "talksearch/database_set.h"

#include <cstdint>
#include <stdexcept>

namespace talksearch {

namespace {

constexpr std::string_view kTcpScheme = "tcp://";

Xapian::Database OpenRemote(const std::string& spec) {
  const std::string rest = spec.substr(kTcpScheme.size());
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size()) {
    throw std::invalid_argument("'" + spec + "' is not tcp://HOST:PORT");
  }
  unsigned long port = 0;
  try {
    size_t used = 0;
    port = std::stoul(rest.substr(colon + 1), &used);
    if (used != rest.size() - colon - 1 || port == 0 || port > 65535) throw std::out_of_range("");
  } catch (const std::logic_error&) {
    throw std::invalid_argument("'" + spec + "' has no valid port");
  }
  // Timeouts (ms): a shard that stops answering fails the search instead of
  // hanging a worker.
  return Xapian::Remote::open(rest.substr(0, colon), static_cast<unsigned>(port), 10000, 5000);
}

}  // namespace

DatabaseSet::DatabaseSet(const std::vector<std::string>& specs) : specs_(specs) {
  if (specs.empty()) throw std::invalid_argument("no database given");
  for (const std::string& spec : specs) {
    if (spec.rfind(kTcpScheme, 0) == 0) {
      shards_.push_back(OpenRemote(spec));
      has_remote_ = true;
      continue;
    }
    const std::vector<std::string> dirs = ShardDirectories(spec);
    if (dirs.empty()) {
      shards_.emplace_back(spec);
    } else {
      for (const std::string& dir : dirs) shards_.emplace_back(dir);
    }
  }
  for (Xapian::Database& shard : shards_) combined_.add_database(shard);
}

Xapian::rev DatabaseSet::Revision() const {
  Xapian::rev sum = 0;
  for (const Xapian::Database& shard : shards_) {
    try {
      sum += shard.get_revision();
    } catch (const Xapian::UnimplementedError&) {
      // The remote backend has no revisions: a signature of the shard's
      // contents stands in (any commit that changes them changes it).
      const uint64_t parts[] = {shard.get_doccount(), shard.get_lastdocid(),
                                static_cast<uint64_t>(shard.get_total_length())};
      uint64_t h = 1469598103934665603ULL;
      for (uint64_t part : parts) h = (h ^ part) * 1099511628211ULL;
      sum += h;
    }
  }
  return sum;
}

bool DatabaseSet::Reopen() { return combined_.reopen(); }

std::string DatabaseSet::Describe() const {
  std::string out;
  for (const std::string& s : specs_) out += (out.empty() ? "" : " + ") + s;
  return out;
}

}  // namespace talksearch
