// libFuzzer target: the corpus parsers take any bytes — a broken page or a
// broken JSON line is reported as a problem, never a crash or an exception.
#include <cstdint>
#include <string_view>

#include "talksearch/corpus.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  talksearch::ParseSeminarPage(input, "fuzz.md");
  talksearch::ParseJsonLines(input, "fuzz.jsonl");
  return 0;
}
