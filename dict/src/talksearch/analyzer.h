// The one text-analysis path of talksearch: the indexer and the query parser
// both call Analyzer::Analyze, so a word becomes the same terms on both sides.
//
//   source text --Normalize (ICU NFKC_Casefold, dashes, dots)--> normalized text
//               --MeCab--> word terms (English words Porter2-stemmed,
//                          others in their FoldKana key form)
//               --FoldKana, CJK runs--> character-bigram terms
//
// Kana spelling variants (ファイル, フアイル, ふぁいる; サーバー, サーバ) are
// one term: words and bigrams are made from the search key form (FoldKana),
// while MeCab segments the normalized text, whose spelling it knows.
//
// Word terms give precise matches; bigram terms still find a word inside a
// compound or an out-of-vocabulary katakana run. Each token carries byte
// offsets into the *source* text for highlighting.
//
// Thread-safety: an Analyzer owns a MeCab lattice and a Xapian stemmer and
// must be used by one thread at a time; the MecabModel may be shared.
#ifndef TALKSEARCH_ANALYZER_H_
#define TALKSEARCH_ANALYZER_H_

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "talksearch/normalizer.h"
#include "talksearch/segmenter.h"

namespace talksearch {

// Word: a MeCab word. Bigram: two adjacent CJK characters. Reading: two
// adjacent characters of the katakana reading (long vowels folded), so text
// typed in kana or romaji finds the kanji word (かくさんもでる → 拡散モデル).
// Subword: a system-dictionary word inside a user-dictionary compound
// (拡散 and モデル inside 拡散モデル), stored as a word at the compound's
// position so a search for the part still matches whole words; queries do
// not use subwords (the compound itself is what was typed).
enum class TermKind { kWord = 0, kBigram = 1, kReading = 2, kSubword = 3 };

struct Token {
  // Search key form (FoldKana of the normalized text; English words
  // stemmed), without any field prefix.
  std::string term;
  TermKind kind = TermKind::kWord;
  // Position within its kind's sequence: consecutive words (or consecutive
  // bigrams of one CJK run) have consecutive positions; a gap separates runs.
  uint32_t position = 0;
  size_t begin = 0;  // byte offsets into the source text
  size_t end = 0;
};

// The script of a short text (a query word, a name), after normalization.
enum class Script { kKana, kLatin, kOther };
Script ScriptOf(std::string_view text);
// ScriptOf text that is already normalized (a term, NormalizeString's result).
Script ScriptOfNormalized(std::string_view normalized);
// Whether normalized text (NormalizeString's result) is katakana (and
// spaces) only: a loanword or name spelled as it is read.
bool IsKatakanaNormalized(std::string_view normalized);
// Whether normalized text is in a script "did you mean" corrects: English
// (Latin) or katakana only. The indexer's spelling table and the searcher's
// corrections both ask this, so they agree on which words count.
bool IsSpellingScriptNormalized(std::string_view normalized);

struct AnalyzeOptions {
  // Let a CJK bigram run continue across spaces, so a name written
  // "三角 樹弘" is also found as "三角樹弘". Used for person names.
  bool join_cjk_across_spaces = false;
};

class Analyzer {
 public:
  explicit Analyzer(std::shared_ptr<MecabModel> model);
  ~Analyzer();

  std::vector<Token> Analyze(std::string_view source,
                             const AnalyzeOptions& options = {});

  // MeCab's words of `source` (punctuation included), each with byte
  // offsets into the source and its normalized surface: how a query typed
  // as a sentence is split into the words it asks for (NaturalQuery).
  struct SourceWord {
    size_t begin = 0, end = 0;  // in the source
    std::string surface;        // normalized
    Morpheme morpheme;
  };
  std::vector<SourceWord> Words(std::string_view source);

  // The folded katakana reading of the whole of `text` (kanji words by
  // their dictionary reading, kana as written); words without a reading
  // are left out. For prefix completion: かくさ matches 拡散モデル.
  std::string ReadingOf(std::string_view text);

  // ReadingOf a single word, remembered (bounded, per Analyzer): the
  // indexer reads every Japanese word of every title and abstract.
  const std::string& WordReading(const std::string& word);

  // Reading bigrams of romaji text ("Hashimoto" → ハシモト), via ICU's
  // Latin-Katakana transliteration. Query side only: person names.
  std::vector<Token> RomajiReadings(std::string_view source);

  // Katakana for kana text: hiragana to katakana, the long-vowel mark
  // dropped, a ウ lengthening an o-row or u-row kana folded (コウジ = コージ =
  // コジ, ユウスケ = ユスケ: romaji leaves the long vowel out)
  // and ヴ-variants made plain (ヴァイオリン = バイオリン).
  static std::string FoldReading(std::string_view kana);
  // A folded reading shorter than this (カク, ソウ, in code points) names too
  // many different words to find one by it: the glossary's readings, the
  // indexer's reading table and the corrections by reading all use it.
  static constexpr size_t kMinDistinctiveReading = 3;

  // The stable description of this analysis (term generation version and
  // dictionaries), stored in the database so a searcher can refuse an index
  // built by a different analysis.
  std::string Fingerprint() const;

  // Longest term emitted, in bytes; longer words are dropped (Xapian limits
  // terms to 245 bytes and such strings are never useful search terms).
  static constexpr size_t kMaxTermBytes = 64;

 private:
  std::shared_ptr<MecabModel> model_;
  void AddSubwords(const std::string& text, const NormalizedText& normalized,
                   const Morpheme& compound, uint32_t position, std::vector<Token>& tokens);

  std::vector<Token> AnalyzeUncached(std::string_view source, const AnalyzeOptions& options);

  // Short texts (query words, glossary forms, titles) recur constantly at
  // query time; their analysis is remembered. Bounded; per Analyzer, so per
  // thread and without locking.
  static constexpr size_t kCacheMaxTextBytes = 256;
  static constexpr size_t kCacheMaxEntries = 8192;
  std::unordered_map<std::string, std::vector<Token>> cache_;
  // The system dictionary's split of each Japanese word (AddSubwords): a
  // second MeCab pass per word would be 7% of indexing, and the words recur.
  // Empty for a word that does not split. Bounded like cache_.
  static constexpr size_t kSplitsMaxEntries = 65536;
  std::unordered_map<std::string, std::vector<Morpheme>> splits_;
  std::unordered_map<std::string, std::string> word_readings_;  // bounded like splits_

  Segmenter segmenter_;
  std::unique_ptr<Segmenter> base_segmenter_;  // when there is a user dictionary
  Xapian::Stem stemmer_;
  std::unique_ptr<class RomajiTransliterator> romaji_;
};

}  // namespace talksearch

#endif  // TALKSEARCH_ANALYZER_H_
