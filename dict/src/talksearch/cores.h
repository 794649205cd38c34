// The machine's cores, as the indexer's writers and the searcher's
// two-thread ranking count them.
#ifndef TALKSEARCH_CORES_H_
#define TALKSEARCH_CORES_H_

#include <algorithm>
#include <thread>

namespace talksearch {

// std::thread::hardware_concurrency(), at least 1 (it may answer 0).
inline unsigned Cores() {
  static const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return cores;
}

}  // namespace talksearch

#endif  // TALKSEARCH_CORES_H_
