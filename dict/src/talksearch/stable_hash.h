// A hash that stays the same across builds, platforms and runs, for what is
// stored and compared later: content hashes of talks, the glossary's digest,
// the user dictionary's identity. Not for security.
#ifndef TALKSEARCH_STABLE_HASH_H_
#define TALKSEARCH_STABLE_HASH_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace talksearch {

// 64-bit FNV-1a, fed in pieces.
class StableHash {
 public:
  StableHash& Add(std::string_view bytes) {
    for (unsigned char c : bytes) {
      hash_ ^= c;
      hash_ *= 1099511628211ull;
    }
    return *this;
  }
  // 16 lower-case hex digits.
  std::string Hex() const {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash_));
    return hex;
  }

 private:
  uint64_t hash_ = 14695981039346656037ull;
};

inline std::string StableHashHex(std::string_view bytes) { return StableHash().Add(bytes).Hex(); }

}  // namespace talksearch

#endif  // TALKSEARCH_STABLE_HASH_H_
