#include "talksearch/static_bundle.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "talksearch/glossary.h"
#include "talksearch/ranking_params.h"
#include "talksearch/schema.h"
#include "talksearch/stored_talk.h"
#include "talksearch/talk.h"

namespace talksearch {
namespace {

constexpr int kFormatVersion = 1;

std::string Gzip(const std::string& data) {
  z_stream stream{};
  // 15 + 16: a gzip header, which DecompressionStream('gzip') reads.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("static bundle: zlib deflateInit2 failed");
  std::string out(deflateBound(&stream, data.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("static bundle: zlib deflate failed");
  out.resize(stream.total_out);
  return out;
}

class BundleWriter {
 public:
  explicit BundleWriter(std::filesystem::path dir) : dir_(std::move(dir)) {}

  void Write(const std::string& name, const nlohmann::json& value, bool compress) {
    std::string text = value.dump();
    if (compress) text = Gzip(text);
    const std::filesystem::path path = dir_ / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) throw std::runtime_error("static bundle: cannot write " + path.string());
    ++summary_.files;
    summary_.bytes += text.size();
  }

  const StaticBundleSummary& summary() const { return summary_; }

 private:
  std::filesystem::path dir_;
  StaticBundleSummary summary_;
};

nlohmann::json PrefixTable() {
  const RankingParams ranking;
  nlohmann::json fields = nlohmann::json::array();
  for (const TextField& field : kTextFields) {
    fields.push_back({{"name", field.name},
                      {"weight", ranking.FieldWeight(field.id)},
                      {"word", field.word_prefix},
                      {"bigram", field.bigram_prefix},
                      {"reading", field.reading_prefix},
                      {"person_name", field.is_person_name},
                      {"has_readings", field.has_readings},
                      {"concept", field.concept_prefix},
                      {"narrower", field.narrower_prefix},
                      {"related", field.related_prefix}});
  }
  nlohmann::json filters = nlohmann::json::array();
  for (const FilterField& filter : kFilterFields)
    filters.push_back({{"name", filter.name}, {"facet", filter.facet_name}, {"prefix", filter.prefix}});
  return {{"text_fields", fields}, {"filters", filters}};
}

// The default ranking (ranking_params.h) as the browser's search reads it.
nlohmann::json RankingJson() {
  const RankingParams ranking;
  return {{"bigram_weight", ranking.bigram_weight},
          {"glossary_weight", ranking.glossary_weight},
          {"narrower_weight", ranking.narrower_weight},
          {"related_weight", ranking.related_weight},
          {"reading_weight", ranking.reading_weight},
          {"optional_word_weight", ranking.optional_word_weight},
          {"all_words_weight", ranking.all_words_weight},
          {"bm25_k1", ranking.bm25_k1},
          {"bm25_b", ranking.bm25_b}};
}

// Whether `term` is a boolean filter term: the bundle filters by the
// facet values stored with each document instead.
bool IsFilterTerm(const std::string& term) {
  if (term.compare(0, kIdPrefix.size(), kIdPrefix) == 0) return true;
  for (const FilterField& filter : kFilterFields)
    if (term.compare(0, filter.prefix.size(), filter.prefix) == 0) return true;
  return false;
}

// A word term of the abstract: no prefix (prefixes are upper case).
bool IsUnprefixedWord(const std::string& term) {
  return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z');
}

}  // namespace

uint32_t TermChunkOf(std::string_view term, uint32_t chunks) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : term) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash % chunks;
}

StaticBundleSummary WriteStaticBundle(const std::string& db_dir, const std::string& out_dir,
                                      const Glossary* glossary,
                                      const StaticBundleOptions& options) {
  const Xapian::Database db(db_dir);
  BundleWriter writer(out_dir);
  const StoredTalkCodec codec(db.get_metadata(std::string(kStoredTalkDictionaryKey)));

  // Bundle documents are numbered 1..N in Xapian docid order, so that the
  // doc chunks are dense even when a sharded index interleaves docids.
  std::map<Xapian::docid, uint32_t> bundle_doc;
  std::vector<nlohmann::json> docs;
  nlohmann::json facets = nlohmann::json::object();
  for (Xapian::PostingIterator it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    const Xapian::Document document = db.get_document(*it);
    const Talk talk = codec.Decode(document.get_data());
    const uint32_t number = static_cast<uint32_t>(docs.size() + 1);
    bundle_doc[*it] = number;
    nlohmann::json speakers = nlohmann::json::array();
    for (const Speaker& speaker : talk.speakers) speakers.push_back(speaker.name);
    nlohmann::json facet_values = nlohmann::json::object();
    for (const FilterField& filter : kFilterFields) {
      std::vector<std::string> values = TalkFacetValues(talk, filter.facet);
      nlohmann::json& counts = facets[std::string(filter.facet_name)];
      for (const std::string& value : values)
        counts[value] = (counts.contains(value) ? counts[value].get<int>() : 0) + 1;
      facet_values[std::string(filter.facet_name)] = values;
    }
    docs.push_back({{"doc", number},
                    {"len", db.get_doclength(*it)},
                    {"id", talk.id},
                    {"title", talk.title},
                    {"speakers", speakers},
                    {"date", talk.date},
                    {"url", talk.url},
                    {"series", talk.series},
                    {"language", talk.language},
                    {"collection", talk.collection},
                    {"abstract", talk.abstract},
                    {"facets", facet_values}});
  }

  const uint32_t doc_chunks =
      static_cast<uint32_t>((docs.size() + options.docs_per_chunk - 1) / options.docs_per_chunk);
  for (uint32_t chunk = 0; chunk < doc_chunks; ++chunk) {
    nlohmann::json list = nlohmann::json::array();
    for (size_t i = size_t{chunk} * options.docs_per_chunk;
         i < docs.size() && i < size_t{chunk + 1} * options.docs_per_chunk; ++i)
      list.push_back(docs[i]);
    writer.Write("docs/" + std::to_string(chunk) + ".json.gz", list, true);
  }

  std::vector<nlohmann::json> term_chunks(options.term_chunks, nlohmann::json::object());
  nlohmann::json vocabulary = nlohmann::json::array();
  for (Xapian::TermIterator term = db.allterms_begin(); term != db.allterms_end(); ++term) {
    const std::string name = *term;
    if (IsFilterTerm(name)) continue;
    nlohmann::json postings = nlohmann::json::array();
    for (Xapian::PostingIterator it = db.postlist_begin(name); it != db.postlist_end(name); ++it)
      postings.push_back({bundle_doc[*it], it.get_wdf()});
    term_chunks[TermChunkOf(name, options.term_chunks)][name] = std::move(postings);
    if (IsUnprefixedWord(name)) vocabulary.push_back(name);
  }
  for (uint32_t chunk = 0; chunk < options.term_chunks; ++chunk)
    writer.Write("terms/" + std::to_string(chunk) + ".json.gz", term_chunks[chunk], true);
  writer.Write("vocab.json.gz", vocabulary, true);
  writer.Write("facets.json.gz", facets, true);
  if (glossary) {
    nlohmann::json concepts = nlohmann::json::array();
    for (size_t concept = 0; concept < glossary->concept_count(); ++concept)
      concepts.push_back({{"key", glossary->ConceptKey(concept)},
                          {"forms", glossary->concepts()[concept]},
                          {"readings", glossary->FormReadings(concept)}});
    writer.Write("glossary.json.gz", concepts, true);
  }

  writer.Write("meta.json",
               {{"format", kFormatVersion},
                {"doc_count", docs.size()},
                {"default_collection", kDefaultCollection},
                {"avg_length", db.get_avlength()},
                {"term_chunks", options.term_chunks},
                {"docs_per_chunk", options.docs_per_chunk},
                {"doc_chunks", doc_chunks},
                {"schema", PrefixTable()},
                {"ranking", RankingJson()}},
               false);
  return writer.summary();
}

}  // namespace talksearch
