// libFuzzer target: whatever a visitor types must parse into a query or a
// QueryError, never crash, hang or throw anything else. Valid UTF-8 input
// also goes through the shared analysis and the query builder.
#include <cstdint>
#include <memory>
#include <string_view>

#include "talksearch/analyzer.h"
#include "talksearch/normalizer.h"
#include "talksearch/query_builder.h"
#include "talksearch/query_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto analyzer = std::make_unique<talksearch::Analyzer>(
      talksearch::MecabModel::Open(talksearch::DefaultMecabDictionary(), "none"));
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    talksearch::ParsedQuery parsed = talksearch::ParseQuery(input);
    if (talksearch::IsValidUtf8(input)) {
      talksearch::BuildQuery(parsed, *analyzer, talksearch::RankingParams{});
    }
  } catch (const talksearch::QueryError&) {
    // The expected answer to bad input.
  }
  return 0;
}
