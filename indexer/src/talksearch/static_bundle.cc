#include "talksearch/static_bundle.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "talksearch/analyzer.h"
#include "talksearch/code_points.h"
#include "talksearch/glossary.h"
#include "talksearch/kana_fold.h"
#include "talksearch/normalizer.h"
#include "talksearch/ranking_params.h"
#include "talksearch/scaffolding_words.h"
#include "talksearch/schema.h"
#include "talksearch/spelling_edits.h"
#include "talksearch/stored_talk.h"
#include "talksearch/talk.h"

namespace talksearch {
namespace {

constexpr int kFormatVersion = 2;

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

// The word of a text field's word term (the term without its prefix), or
// "" for any other term. Japanese words only: English words reach their
// terms through the spelling table, not by segmentation.
std::string FieldWordOf(const std::string& term) {
  for (const TextField& field : kTextFields) {
    const std::string_view prefix = field.word_prefix;
    if (term.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string word = term.substr(prefix.size());
    // Prefixes are upper case: a longer prefix sharing this one's start is
    // another field's (S and SR).
    if (word.empty() || (word[0] >= 'A' && word[0] <= 'Z')) continue;
    if (ContainsCjk(word)) return word;
  }
  return {};
}


std::string Utf8Of(char32_t c) {
  std::string out;
  AppendUtf8(c, out);
  return out;
}

size_t CodePoints(const std::string& text) {
  size_t n = 0;
  ForEachCodePoint(text, [&n](char32_t, size_t, size_t) { ++n; });
  return n;
}

// The folds of kana_fold.h as tables, made by asking FoldKanaKey itself,
// so the browser folds a query as the index's terms were folded: each
// katakana's own fold (ァ → ア, ヂ → ジ, ヴ → ブ), a kana with a small
// vowel (ヴァ → バ, グァ → ガ) and the o-row kana an オ after which is ウ.
// Hiragana folds as its katakana; the voicing of ヽ ヾ is Unicode's
// (canonical decomposition), which the browser has too.
nlohmann::json KanaFoldTables() {
  nlohmann::json single = nlohmann::json::object(), pairs = nlohmann::json::object();
  nlohmann::json o_row = nlohmann::json::array();
  std::vector<char32_t> katakana;
  for (char32_t c = 0x30A1; c <= 0x30FA; ++c) katakana.push_back(c);
  for (char32_t c = 0x31F0; c <= 0x31FF; ++c) katakana.push_back(c);
  for (char32_t c : katakana) {
    const std::string k = Utf8Of(c);
    const std::string folded = FoldKanaKey(k);
    if (folded != k) single[k] = folded;
    for (const char* vowel : {"ァ", "ィ", "ェ", "ォ"}) {
      const std::string pair = FoldKanaKey(k + vowel);
      if (CodePoints(pair) == 1) pairs[k + vowel] = pair;
    }
    if (FoldKanaKey(k + "オ") == folded + "ウ") o_row.push_back(k);
  }
  return {{"single", single}, {"pairs", pairs}, {"o_row", o_row}};
}

// Analyzer::FoldReading as tables, made by asking it: the kana a
// lengthening ウ after which is dropped (コウジ = コジ) and ヴ with a small
// vowel (ヴァ → バ), ヴ alone.
nlohmann::json ReadingFoldTables() {
  nlohmann::json long_u = nlohmann::json::array(), vu = nlohmann::json::object();
  for (char32_t c = 0x30A1; c <= 0x30FA; ++c) {
    const std::string k = Utf8Of(c);
    if (k != "ウ" && Analyzer::FoldReading(k + "ウ") == Analyzer::FoldReading(k)) long_u.push_back(k);
  }
  for (const char* vowel : {"", "ァ", "ィ", "ェ", "ォ"})
    vu[std::string("ヴ") + vowel] = Analyzer::FoldReading(std::string("ヴ") + vowel);
  return {{"long_u", long_u}, {"vu", vu}};
}

// A word in FoldKana's form, its script kept (a hiragana particle stays
// hiragana): how the browser matches it inside a folded query.
std::string FoldedWord(std::string_view word) { return FoldKana(Normalize(word)).text(); }


// Normalize's own folds after ICU's NFKC_Casefold (normalizer.h), as
// tables made by asking it: each code point it changes, keyed by its
// NFKC_Casefold form (the browser has NFKC and lower case: Schrödinger →
// schrodinger, Runge‐Kutta's hyphen, the middle dots), and the hyphens and
// dashes that are ー after a kana (コ-ヒ- → コーヒー).
nlohmann::json NormalizeTables() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  nlohmann::json map = nlohmann::json::object();
  std::set<std::string> after_kana;
  if (U_FAILURE(status) || casefold == nullptr) return {{"map", map}, {"after_kana", after_kana}};
  for (char32_t c = 0x21; c <= 0xFFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string source = Utf8Of(c);
    icu::UnicodeString folded_u;
    casefold->normalize(icu::UnicodeString::fromUTF8(source), folded_u, status);
    if (U_FAILURE(status)) return {{"map", map}, {"after_kana", after_kana}};
    std::string icu_form;
    folded_u.toUTF8String(icu_form);
    const std::string ours = NormalizeString(source);
    if (CodePoints(icu_form) != 1) continue;  // the browser folds code point by code point
    if (ours != icu_form) map[icu_form] = ours;
    if (icu_form != "ー" && NormalizeString("ア" + source) == "アー") after_kana.insert(icu_form);
  }
  return {{"map", map}, {"after_kana", after_kana}};
}

// ICU transliteration of `text` by the transform `id`.
std::string Transliterated(icu::Transliterator& transform, const std::string& text) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  transform.transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

// Romaji as the searcher reads a name typed in it (Analyzer::RomajiReadings:
// ICU's Latin-Katakana), as a table the browser matches by longest key:
// each kana syllable's romaji (ICU's Katakana-Latin of every katakana, alone
// and with a small ャ ュ ョ ァ ィ ゥ ェ ォ), doubled (kka), and each letter,
// to what Latin-Katakana makes of it.
nlohmann::json RomajiTable() {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> to_latin(
      icu::Transliterator::createInstance("Katakana-Latin", UTRANS_FORWARD, status));
  std::unique_ptr<icu::Transliterator> to_katakana(
      icu::Transliterator::createInstance("Latin-Katakana", UTRANS_FORWARD, status));
  nlohmann::json table = nlohmann::json::object();
  if (U_FAILURE(status) || !to_latin || !to_katakana) return table;
  auto add = [&](const std::string& romaji) {
    if (romaji.empty() || table.contains(romaji)) return;
    for (char c : romaji)
      if (c < 'a' || c > 'z') return;
    const std::string kana = Transliterated(*to_katakana, romaji);
    bool katakana = !kana.empty();
    ForEachCodePoint(kana, [&katakana](char32_t c, size_t, size_t) {
      katakana = katakana && ((c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC);
    });
    if (katakana) table[romaji] = kana;
  };
  for (char c = 'a'; c <= 'z'; ++c) add(std::string(1, c));
  std::vector<std::string> syllables;
  for (char32_t c = 0x30A1; c <= 0x30F4; ++c) {
    syllables.push_back(Utf8Of(c));
    for (const char* small : {"ャ", "ュ", "ョ", "ァ", "ィ", "ゥ", "ェ", "ォ"}) syllables.push_back(Utf8Of(c) + small);
  }
  for (const std::string& kana : syllables) {
    const std::string romaji = Transliterated(*to_latin, kana);
    add(romaji);
    if (!romaji.empty() && std::string("aiueon").find(romaji[0]) == std::string::npos) add(romaji[0] + romaji);
  }
  return table;
}

template <typename Set>
nlohmann::json Sorted(const Set& words, std::string (*form)(std::string_view)) {
  std::set<std::string> sorted;
  for (const std::string& w : words) sorted.insert(form ? form(w) : w);
  return nlohmann::json(sorted);
}

// What the browser needs to read a query as the searcher does, without
// MeCab or a stemmer: the scaffolding words (scaffolding_words.h); the
// particles, auxiliaries and request verbs as the corpus has them (MeCab's
// words of every title and abstract, kana-folded), which split a typed
// sentence; the spelling table's words (titles and abstracts: English and
// katakana, and the glossary's English words) with the term each becomes
// (Porter2 stems) and its frequency,
// for stems and "did you mean"; the kana folds; and romaji as kana.
nlohmann::json QueryAnalysisJson(const Xapian::Database& db, const std::vector<Talk>& talks,
                                 const Glossary* glossary, Analyzer& analyzer) {
  std::set<std::string> dropped;
  for (const Talk& talk : talks) {
    for (const std::string* text : {&talk.title, &talk.abstract}) {
      for (const Analyzer::SourceWord& w : analyzer.Words(*text)) {
        const Morpheme& m = w.morpheme;
        const bool request = (m.pos == Morpheme::Pos::kVerb || m.pos == Morpheme::Pos::kAdjective) &&
                             JapaneseScaffoldingVerbs().count(m.base_form) > 0;
        if ((m.is_function_word || request) && ContainsCjk(w.surface))
          dropped.insert(FoldedWord(w.surface));
      }
    }
  }
  nlohmann::json spelling = nlohmann::json::array();
  std::set<std::string> spelled;
  for (Xapian::TermIterator it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    const std::string word = *it;
    std::string term;
    for (const Token& t : analyzer.Analyze(word)) {
      if (t.kind == TermKind::kWord) {
        term = t.term;
        break;
      }
    }
    if (term.empty()) continue;
    spelling.push_back({word, term == word ? nlohmann::json(0) : nlohmann::json(term), it.get_termfreq()});
    spelled.insert(word);
  }
  // The words of the glossary's English forms, with their terms and no
  // frequency (no correction leads to them): a typed form is found by its
  // terms (Glossary::Key) though the talks never spell its words so.
  if (glossary) {
    for (const std::vector<std::string>& forms : glossary->concepts()) {
      for (const std::string& form : forms) {
        if (ScriptOf(form) != Script::kLatin) continue;
        for (const Token& t : analyzer.Analyze(form)) {
          if (t.kind != TermKind::kWord) continue;
          const std::string word = NormalizeString(std::string_view(form).substr(t.begin, t.end - t.begin));
          if (!spelled.insert(word).second) continue;
          spelling.push_back({word, t.term == word ? nlohmann::json(0) : nlohmann::json(t.term), 0});
        }
      }
    }
  }
  // The Latin word terms of every field: a typed word the spelling table
  // lacks finds its stem among them (homology → homolog).
  std::set<std::string> latin_terms;
  for (const TextField& field : kTextFields) {
    const std::string prefix(field.word_prefix);
    for (Xapian::TermIterator it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
      const std::string term = (*it).substr(prefix.size());
      if (!term.empty() && std::all_of(term.begin(), term.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        latin_terms.insert(term);
    }
  }
  return {{"english_scaffolding", Sorted(EnglishScaffoldingWords(), nullptr)},
          {"latin_terms", nlohmann::json(latin_terms)},
          {"japanese_scaffolding", Sorted(JapaneseScaffoldingNouns(), &FoldedWord)},
          {"japanese_dropped", nlohmann::json(dropped)},
          {"spelling", spelling},
          {"spelling_short_word", kShortSpellingWord},
          {"min_distinctive_reading", Analyzer::kMinDistinctiveReading},
          {"normalize", NormalizeTables()},
          {"kana_fold", KanaFoldTables()},
          {"reading_fold", ReadingFoldTables()},
          {"romaji", RomajiTable()}};
}

}  // namespace

uint32_t TermChunkOf(std::string_view term, uint32_t chunks) {
  // Without the field prefix (upper case; terms themselves are not), so
  // that a typed word's terms in every field share one chunk.
  size_t start = 0;
  while (start < term.size() && term[start] >= 'A' && term[start] <= 'Z') ++start;
  uint32_t hash = 2166136261u;
  for (unsigned char c : term.substr(start)) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash % chunks;
}

StaticBundleSummary WriteStaticBundle(const std::string& db_dir, const std::string& out_dir,
                                      const Glossary* glossary, Analyzer& analyzer,
                                      const StaticBundleOptions& options) {
  const Xapian::Database db(db_dir);
  BundleWriter writer(out_dir);
  const StoredTalkCodec codec(db.get_metadata(std::string(kStoredTalkDictionaryKey)));

  // Bundle documents are numbered 1..N in Xapian docid order, so that the
  // doc chunks are dense even when a sharded index interleaves docids.
  std::map<Xapian::docid, uint32_t> bundle_doc;
  std::vector<nlohmann::json> docs;
  std::vector<Talk> talks;
  nlohmann::json facets = nlohmann::json::object();
  for (Xapian::PostingIterator it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    const Xapian::Document document = db.get_document(*it);
    talks.push_back(codec.Decode(document.get_data()));
    const Talk& talk = talks.back();
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
  std::set<std::string> vocabulary;
  for (Xapian::TermIterator term = db.allterms_begin(); term != db.allterms_end(); ++term) {
    const std::string name = *term;
    if (IsFilterTerm(name)) continue;
    nlohmann::json postings = nlohmann::json::array();
    for (Xapian::PostingIterator it = db.postlist_begin(name); it != db.postlist_end(name); ++it)
      postings.push_back({bundle_doc[*it], it.get_wdf()});
    term_chunks[TermChunkOf(name, options.term_chunks)][name] = std::move(postings);
    if (const std::string word = FieldWordOf(name); !word.empty()) vocabulary.insert(word);
  }
  for (uint32_t chunk = 0; chunk < options.term_chunks; ++chunk)
    writer.Write("terms/" + std::to_string(chunk) + ".json.gz", term_chunks[chunk], true);
  writer.Write("vocab.json.gz", nlohmann::json(vocabulary), true);
  writer.Write("facets.json.gz", facets, true);
  writer.Write("query.json.gz", QueryAnalysisJson(db, talks, glossary, analyzer), true);
  if (glossary) {
    nlohmann::json concepts = nlohmann::json::array();
    for (size_t concept = 0; concept < glossary->concept_count(); ++concept) {
      // The glossary's key of each English form (its word terms: stems),
      // by which a typed English run finds it as the server does
      // (persistant homology, corrected, is persistent homology's key).
      nlohmann::json keys = nlohmann::json::array();
      for (const std::string& form : glossary->concepts()[concept])
        keys.push_back(ScriptOf(form) == Script::kLatin ? Glossary::Key(form, analyzer) : "");
      concepts.push_back({{"key", glossary->ConceptKey(concept)},
                          {"forms", glossary->concepts()[concept]},
                          {"keys", keys},
                          {"readings", glossary->FormReadings(concept)}});
    }
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
