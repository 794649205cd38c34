#include "talksearch/database_set.h"

#include <algorithm>

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

// The local database directories `spec` names now: itself, or the shards
// its stub lists; none for a remote one.
std::vector<std::string> LocalDirectories(const std::string& spec) {
  if (spec.rfind(kTcpScheme, 0) == 0) return {};
  std::vector<std::string> dirs = ShardDirectories(spec);
  if (dirs.empty()) dirs.push_back(spec);
  return dirs;
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
    for (const std::string& dir : LocalDirectories(spec)) {
      shards_.emplace_back(dir);
      local_dirs_.push_back(dir);
      local_uuids_.push_back(shards_.back().get_uuid());
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

bool DatabaseSet::Replaced() const {
  std::vector<std::string> dirs;
  for (const std::string& spec : specs_) {
    for (const std::string& dir : LocalDirectories(spec)) dirs.push_back(dir);
  }
  if (dirs != local_dirs_) return true;
  try {
    for (size_t i = 0; i < dirs.size(); ++i) {
      if (Xapian::Database(dirs[i]).get_uuid() != local_uuids_[i]) return true;
    }
  } catch (const Xapian::Error&) {
    return false;  // not (yet) a database there: keep serving the one open
  }
  return false;
}

std::string DatabaseSet::Describe() const {
  std::string out;
  for (const std::string& s : specs_) out += (out.empty() ? "" : " + ") + s;
  return out;
}

ShardIds::ShardIds(const std::vector<std::string>& uuids, const Xapian::Database& shard) {
  if (uuids.size() < 2) return;
  n_ = uuids.size();
  k_ = std::find(uuids.begin(), uuids.end(), shard.get_uuid()) - uuids.begin();
}

Xapian::doccount CountMatchesUpTo(const Xapian::Database& db, const Xapian::Query& query,
                                  Xapian::doccount at_most) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  return std::min(enquire.get_mset(0, 0, at_most).get_matches_lower_bound(), at_most);
}

}  // namespace talksearch
