#include "talksearch/index_layout.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace talksearch {

std::string ShardDirectoryName(size_t shard) {
  char name[32];
  std::snprintf(name, sizeof name, "shard-%02zu", shard);
  return name;
}

size_t ShardOf(const std::string& talk_id, size_t shards) {
  // FNV-1a, fixed across builds and platforms; not StableHash, because its
  // start value is one digit short of FNV's and changing it would move
  // talks to other shards of existing indexes.
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : talk_id) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return shards == 0 ? 0 : static_cast<size_t>(h % shards);
}

std::vector<std::string> ShardDirectories(const std::string& dir) {
  std::vector<std::string> shards;
  std::ifstream stub(std::filesystem::path(dir) / kStubFileName);
  std::string line;
  while (std::getline(stub, line)) {
    std::istringstream fields(line);
    std::string backend, path;
    if (!(fields >> backend >> path) || backend[0] == '#') continue;
    const std::filesystem::path p(path);
    shards.push_back((p.is_absolute() ? p : std::filesystem::path(dir) / p).string());
  }
  return shards;
}

void WriteShardStub(const std::string& dir, size_t shards) {
  const std::filesystem::path final_path = std::filesystem::path(dir) / kStubFileName;
  const std::filesystem::path tmp = final_path.string() + ".tmp";
  {
    std::ofstream out(tmp);
    out << "# talksearch sharded index: Xapian opens these as one database\n";
    for (size_t i = 0; i < shards; ++i) out << "glass " << ShardDirectoryName(i) << "\n";
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, final_path);  // readers see the old or the new stub
}

}  // namespace talksearch
