// A static search bundle: the index written out as files a browser (or
// Node) can search without talks-server, fetched a chunk at a time.
//
// WriteStaticBundle(db_dir, out_dir, glossary, analyzer, options) reads the
// built Xapian index at `db_dir` (a single database or a sharded stub),
// analyses the corpus's text and the exported words with `analyzer` (MeCab,
// stems), and writes, under `out_dir` (created; files overwritten):
//   meta.json          format (2), doc count, average document length, chunk
//                      counts and the schema's prefix table (schema.h), so
//                      the reader maps a query's words to terms by the same
//                      table the indexer used
//   terms/K.json.gz    {term: [[doc, wdf], ...]} for the terms whose
//                      TermChunkOf(term, term_chunks) is K: a query fetches
//                      only the chunks of its terms
//   docs/N.json.gz     [{doc, len, id, title, speakers, date, url, series,
//                      language, abstract}, ...] for docs N*docs_per_chunk+1
//                      .. (N+1)*docs_per_chunk ("doc" is the bundle's 1-based
//                      document number)
//   vocab.json.gz      the Japanese word terms of every text field (without
//                      prefix), for longest-match segmentation of a query
//   facets.json.gz     {series: {value: count}, year: ..., language: ...}
//   glossary.json.gz   [{key, forms, keys, readings}, ...]: each glossary
//                      concept's term suffix (schema.h concept prefixes +
//                      key), its forms, each English form's Glossary::Key
//                      and the forms' kana readings, so a query's form or
//                      reading reaches the concept terms (`glossary` given)
//   query.json.gz      what reading a query takes without MeCab or a
//                      stemmer, from the definitions the searcher uses:
//                      the scaffolding words (scaffolding_words.h), the
//                      corpus's particles, auxiliaries and request verbs
//                      (MeCab's, kana-folded), the spelling table's words
//                      and the glossary's English words with their terms
//                      (stems) and frequencies, every field's Latin word
//                      terms, the spelling-correction reach
//                      (spelling_edits.h), Normalize's folds past NFKC
//                      (normalizer.h), the
//                      kana folds (kana_fold.h, Analyzer::FoldReading)
//                      and romaji syllables as katakana (ICU's
//                      Latin-Katakana, Analyzer::RomajiReadings) as tables
// All .gz files are gzip (browsers read them with DecompressionStream).
//
// Throws Xapian::Error when the index cannot be read and std::runtime_error
// when a file cannot be written. Not thread-safe against a concurrent
// writer of `db_dir` (it reads one revision per database).
#ifndef TALKSEARCH_STATIC_BUNDLE_H_
#define TALKSEARCH_STATIC_BUNDLE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace talksearch {

class Analyzer;
class Glossary;

struct StaticBundleOptions {
  uint32_t term_chunks = 64;
  uint32_t docs_per_chunk = 100;
};

struct StaticBundleSummary {
  uint64_t files = 0;
  uint64_t bytes = 0;  // compressed, as served
};

// The chunk of `term`: 32-bit FNV-1a of its UTF-8 bytes after the field
// prefix (its leading upper-case letters) modulo `chunks`, so one word's
// terms in every field are one fetch (the reader computes the same with
// Math.imul).
uint32_t TermChunkOf(std::string_view term, uint32_t chunks);

StaticBundleSummary WriteStaticBundle(const std::string& db_dir, const std::string& out_dir,
                                      const Glossary* glossary, Analyzer& analyzer,
                                      const StaticBundleOptions& options = {});

}  // namespace talksearch

#endif  // TALKSEARCH_STATIC_BUNDLE_H_
