#include "talksearch/index_health.h"

#include <filesystem>
#include <sstream>
#include <thread>

namespace talksearch {
namespace {

namespace fs = std::filesystem;

// The glass databases a spec names: the directory itself, or the shards of
// a sharded index beneath it. Remote shards are their server's to check.
std::vector<fs::path> LocalDatabases(const std::string& spec) {
  std::vector<fs::path> found;
  if (spec.rfind("tcp://", 0) == 0) return found;
  std::error_code ec;
  if (fs::exists(fs::path(spec) / "iamglass", ec)) return {fs::path(spec)};
  if (!fs::is_directory(spec, ec)) return found;
  for (const fs::directory_entry& entry : fs::directory_iterator(spec, ec)) {
    if (entry.is_directory(ec) && fs::exists(entry.path() / "iamglass", ec)) {
      found.push_back(entry.path());
    }
  }
  return found;
}

}  // namespace

std::string IndexHealth::problem() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return problem_;
}

void IndexHealth::Set(std::string problem) {
  std::lock_guard<std::mutex> lock(mutex_);
  problem_ = std::move(problem);
}

void IndexHealth::Report(const Xapian::Error& error) {
  const std::string type = error.get_type();
  // DatabaseModifiedError is a reader behind a writer (reopen fixes it);
  // network errors are a remote shard's, not this index's.
  if (type == "DatabaseCorruptError" || type == "DatabaseError") {
    Set(error.get_description());
  }
}

std::string IndexHealth::Check(const std::vector<std::string>& db_specs) {
  for (const std::string& spec : db_specs) {
    for (const fs::path& db : LocalDatabases(spec)) {
      try {
        Xapian::Database::check(db.string(), 0, nullptr);
      } catch (const Xapian::Error& e) {
        return db.string() + ": " + e.get_description();
      }
    }
  }
  return "";
}

void IndexHealth::CheckInBackground(const std::vector<std::string>& db_specs) {
  std::thread([self = shared_from_this(), db_specs] { self->Set(Check(db_specs)); }).detach();
}

}  // namespace talksearch
