#include "talksearch/analyzer.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <stdexcept>

#include "talksearch/normalizer.h"

namespace talksearch {
namespace {

// Gap left between unrelated runs so a phrase never spans them.
constexpr uint32_t kRunGap = 2;

bool IsAsciiWord(std::string_view s) {
  bool has_alpha = false;
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) has_alpha = true;
  }
  return has_alpha;
}

struct CodePoint {
  char32_t c;
  size_t begin;
  size_t end;
};

std::vector<CodePoint> DecodeUtf8(std::string_view s) {
  std::vector<CodePoint> out;
  out.reserve(s.size());
  ForEachCodePoint(s, [&out](char32_t c, size_t begin, size_t end) { out.push_back({c, begin, end}); });
  return out;
}

bool IsSpace(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// ipadic tags ASCII '-' and '/' as nouns, not 記号: a "word" without a
// single letter or digit is punctuation whatever its tag.
bool HasAlphanumeric(std::string_view s) {
  bool found = false;
  ForEachCodePoint(s, [&found](char32_t c, size_t, size_t) {
    found = found || u_isalnum(static_cast<UChar32>(c));
  });
  return found;
}

}  // namespace

class RomajiTransliterator {
 public:
  RomajiTransliterator() {
    UErrorCode status = U_ZERO_ERROR;
    latin_to_katakana_.reset(
        icu::Transliterator::createInstance("Latin-Katakana", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !latin_to_katakana_) {
      throw std::runtime_error(std::string("ICU Latin-Katakana unavailable: ") +
                               u_errorName(status));
    }
  }
  std::string Transliterate(std::string_view text) const {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    latin_to_katakana_->transliterate(u);
    std::string out;
    u.toUTF8String(out);
    return out;
  }

 private:
  std::unique_ptr<icu::Transliterator> latin_to_katakana_;
};

Analyzer::Analyzer(std::shared_ptr<MecabModel> model)
    : model_(model), segmenter_(model), stemmer_("english"),
      romaji_(std::make_unique<RomajiTransliterator>()) {
  if (model->base_model()) base_segmenter_ = std::make_unique<Segmenter>(model, true);
}

Analyzer::~Analyzer() = default;

namespace {

bool IsKana(char32_t c) {
  return (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC;
}

bool IsORowKana(char32_t c) {
  static const std::u32string kORow = U"オコソトノホモヨロゴゾドボポョォヲ";
  return kORow.find(c) != std::u32string::npos;
}

bool IsURowKana(char32_t c) {
  static const std::u32string kURow = U"ウクスツヌフムユルグズヅブプュゥ";
  return kURow.find(c) != std::u32string::npos;
}

// Appends reading-bigram tokens for `reading` (already folded) spanning
// source bytes [begin, end).
void AddReadingBigrams(const std::string& reading, size_t begin, size_t end,
                       uint32_t& position, std::vector<Token>& out) {
  const std::vector<CodePoint> cps = DecodeUtf8(reading);
  for (size_t i = 1; i < cps.size(); ++i) {
    Token t;
    t.term = reading.substr(cps[i - 1].begin, cps[i].end - cps[i - 1].begin);
    t.kind = TermKind::kReading;
    t.position = ++position;
    t.begin = begin;
    t.end = end;
    out.push_back(std::move(t));
  }
}

}  // namespace


Script ScriptOf(std::string_view text) { return ScriptOfNormalized(NormalizeString(text)); }

Script ScriptOfNormalized(std::string_view n) {
  bool kana = true, latin = true;
  size_t i = 0;
  while (i < n.size()) {
    unsigned char c = static_cast<unsigned char>(n[i]);
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    std::string_view ch(n.data() + i, std::min(len, n.size() - i));
    i += len;
    if (len == 1) {
      kana = false;
      if (!std::isalpha(c) && c != ' ' && c != '-') latin = false;
    } else {
      latin = false;
      // Hiragana U+3041..U+3096 (E3 81 81..E3 82 96), katakana U+30A1..U+30FC.
      const bool is_kana = ch.size() == 3 && static_cast<unsigned char>(ch[0]) == 0xE3 &&
                           (static_cast<unsigned char>(ch[1]) == 0x81 ||
                            static_cast<unsigned char>(ch[1]) == 0x82 ||
                            static_cast<unsigned char>(ch[1]) == 0x83);
      if (!is_kana) kana = false;
    }
  }
  if (n.empty()) return Script::kOther;
  return kana ? Script::kKana : latin ? Script::kLatin : Script::kOther;
}

bool IsKatakanaNormalized(std::string_view normalized) {
  bool katakana = !normalized.empty();
  ForEachCodePoint(normalized, [&katakana](char32_t c, size_t, size_t) {
    katakana = katakana && ((c >= 0x30A1 && c <= 0x30FC) || c == U' ');
  });
  return katakana;
}

bool IsSpellingScriptNormalized(std::string_view normalized) {
  return ScriptOfNormalized(normalized) == Script::kLatin || IsKatakanaNormalized(normalized);
}

std::string Analyzer::FoldReading(std::string_view kana) {
  std::u32string folded;
  for (const CodePoint& cp : DecodeUtf8(kana)) {
    char32_t c = cp.c;
    if (c >= 0x3041 && c <= 0x3096) c += 0x60;  // hiragana -> katakana
    if (c == 0x30FC) continue;                   // ー
    // A lengthening ウ, which romaji leaves out (Koji, Yusuke, Ryusuke).
    if (c == U'ウ' && !folded.empty() && (IsORowKana(folded.back()) || IsURowKana(folded.back()))) {
      continue;
    }
    // ヴ-variants are written both ways: ヴァ = バ, ヴィ = ビ, ヴ = ブ, ヴェ = ベ, ヴォ = ボ.
    if (!folded.empty() && folded.back() == U'ヴ') {
      const std::u32string small = U"ァィェォ", plain = U"バビベボ";
      const size_t at = small.find(c);
      if (at != std::u32string::npos) {
        folded.back() = plain[at];
        continue;
      }
      folded.back() = U'ブ';
    }
    folded.push_back(c);
  }
  if (!folded.empty() && folded.back() == U'ヴ') folded.back() = U'ブ';
  std::string out;
  for (char32_t c : folded) {
    uint8_t buf[4];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, c);  // c is a valid code point: 4 bytes suffice
    out.append(reinterpret_cast<const char*>(buf), len);
  }
  return out;
}

std::string Analyzer::ReadingOf(std::string_view text) {
  const std::string normalized = NormalizeString(text);
  std::string reading;
  for (const Morpheme& m : segmenter_.Segment(normalized)) {
    std::string_view surface(normalized.data() + m.begin, m.end - m.begin);
    if (!m.reading.empty()) {
      reading += m.reading;
    } else {
      const std::vector<CodePoint> cps = DecodeUtf8(surface);
      if (!cps.empty() && std::all_of(cps.begin(), cps.end(),
                                      [](const CodePoint& c) { return IsKana(c.c); })) {
        reading += surface;
      }
    }
  }
  return FoldReading(reading);
}

const std::string& Analyzer::WordReading(const std::string& word) {
  auto it = word_readings_.find(word);
  if (it != word_readings_.end()) return it->second;
  if (word_readings_.size() >= kSplitsMaxEntries) word_readings_.clear();
  return word_readings_.emplace(word, ReadingOf(word)).first->second;
}

std::vector<Analyzer::SourceWord> Analyzer::Words(std::string_view source) {
  const NormalizedText normalized = Normalize(source);
  const std::string& text = normalized.text();
  std::vector<SourceWord> words;
  for (Morpheme& m : segmenter_.Segment(text)) {
    SourceWord w;
    w.begin = normalized.SourceOffset(m.begin);
    w.end = normalized.SourceOffset(m.end);
    w.surface = text.substr(m.begin, m.end - m.begin);
    w.morpheme = std::move(m);
    words.push_back(std::move(w));
  }
  return words;
}

std::vector<Token> Analyzer::RomajiReadings(std::string_view source) {
  std::vector<Token> tokens;
  const std::string text = NormalizeString(source);
  uint32_t position = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!word.empty()) {
      AddReadingBigrams(FoldReading(romaji_->Transliterate(word)), 0, source.size(), position,
                        tokens);
      position += kRunGap;
    }
    start = end + 1;
  }
  return tokens;
}

std::string Analyzer::Fingerprint() const {
  // Bump the version when term generation changes in any way.
  return "talksearch-analysis/16;icu-nfkc-casefold;latin-accents-folded;dashes-dots-unified;"
         "mecab-words;porter2-en;cjk-bigrams-hiragana-apart;kana-keys-folded;kana-reading-bigrams;"
         "long-u-folded;" + model_->identity();
}

void Analyzer::AddSubwords(const std::string& text, const NormalizedText& normalized,
                           const Morpheme& compound, uint32_t position,
                           std::vector<Token>& tokens) {
  std::string_view surface(text.data() + compound.begin, compound.end - compound.begin);
  auto split = splits_.find(std::string(surface));
  if (split == splits_.end()) {
    if (splits_.size() >= kSplitsMaxEntries) splits_.clear();
    std::vector<Morpheme> parts = base_segmenter_->Segment(surface);
    if (parts.size() < 2) parts.clear();
    split = splits_.emplace(std::string(surface), std::move(parts)).first;
  }
  const std::vector<Morpheme>& parts = split->second;
  if (parts.empty()) return;
  for (const Morpheme& p : parts) {
    std::string_view part = surface.substr(p.begin, p.end - p.begin);
    if (p.is_symbol || !HasAlphanumeric(part)) continue;
    Token t;
    t.term = IsAsciiWord(part) ? stemmer_(std::string(part)) : FoldKanaKey(part);
    t.kind = TermKind::kSubword;
    t.position = position;
    t.begin = normalized.SourceOffset(compound.begin + p.begin);
    t.end = normalized.SourceOffset(compound.begin + p.end);
    tokens.push_back(std::move(t));
  }
}

std::vector<Token> Analyzer::Analyze(std::string_view source, const AnalyzeOptions& options) {
  if (source.size() > kCacheMaxTextBytes) return AnalyzeUncached(source, options);
  std::string key(source);
  key += options.join_cjk_across_spaces ? '\x01' : '\x00';
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  if (cache_.size() >= kCacheMaxEntries) cache_.clear();
  return cache_.emplace(std::move(key), AnalyzeUncached(source, options)).first->second;
}

std::vector<Token> Analyzer::AnalyzeUncached(std::string_view source,
                                             const AnalyzeOptions& options) {
  std::vector<Token> tokens;
  const NormalizedText normalized = Normalize(source);
  const std::string& text = normalized.text();

  const std::vector<Morpheme> morphemes = segmenter_.Segment(text);

  // Word terms from MeCab.
  uint32_t word_pos = 0;
  for (const Morpheme& m : morphemes) {
    std::string_view surface(text.data() + m.begin, m.end - m.begin);
    if (m.is_symbol || !HasAlphanumeric(surface)) {
      word_pos += 1;  // punctuation interrupts a phrase
      continue;
    }
    // A particle or auxiliary is not a word term: too frequent to help rank
    // or find (its bigrams still join its neighbours); measured: the same
    // nDCG@10, the index 1.7% smaller at 10,000 talks. It takes no position,
    // so a glossary form's words stay consecutive (物理の法則: 物理 法則) on
    // both sides.
    if (m.is_function_word) continue;
    if (surface.size() > kMaxTermBytes) continue;
    Token t;
    t.term = IsAsciiWord(surface) ? stemmer_(std::string(surface)) : FoldKanaKey(surface);
    if (t.term.empty()) continue;
    t.kind = TermKind::kWord;
    t.position = ++word_pos;
    t.begin = normalized.SourceOffset(m.begin);
    t.end = normalized.SourceOffset(m.end);
    tokens.push_back(std::move(t));
    if (base_segmenter_ && !IsAsciiWord(surface)) AddSubwords(text, normalized, m, word_pos, tokens);
  }

  // A katakana run MeCab split into several words (フ|オトン of the spelling
  // フオトン, ニューラル|ネットワーク) is also one word, as a subword at its
  // first word's position: the run typed whole, or spelled so that MeCab
  // keeps it whole (フォトン), finds it by its word term.
  {
    size_t run_words = 0, run_begin = 0, run_end = 0;
    uint32_t run_position = 0;
    uint32_t position = 0;
    auto flush = [&] {
      if (run_words >= 2 && run_end - run_begin <= kMaxTermBytes) {
        Token t;
        t.term = FoldKanaKey(std::string_view(text).substr(run_begin, run_end - run_begin));
        t.kind = TermKind::kSubword;
        t.position = run_position;
        t.begin = normalized.SourceOffset(run_begin);
        t.end = normalized.SourceOffset(run_end);
        if (!t.term.empty()) tokens.push_back(std::move(t));
      }
      run_words = 0;
    };
    for (const Morpheme& m : morphemes) {
      std::string_view surface(text.data() + m.begin, m.end - m.begin);
      const bool punctuation = m.is_symbol || !HasAlphanumeric(surface);
      const bool counted = !punctuation && !m.is_function_word;
      if (punctuation || counted) ++position;  // as the word terms count them
      // A katakana "symbol" or "particle" (ノ of ノオト) is MeCab
      // misreading the run; ・ ends it.
      const bool katakana = HasAlphanumeric(surface) && IsKatakanaNormalized(surface);
      if (!katakana || (run_words && m.begin != run_end)) {
        flush();
        if (!katakana) continue;
      }
      if (run_words == 0) {
        run_begin = m.begin;
        run_position = position;
      }
      run_end = m.end;
      ++run_words;
    }
    flush();
  }

  // Reading bigrams: the katakana readings of consecutive Japanese words
  // form one run (a word without a reading, or a non-kana word, ends it).
  {
    uint32_t reading_pos = 0;
    std::string run;
    size_t run_begin = 0, run_end = 0;
    auto flush = [&] {
      // Fold the whole run: a lengthening ウ may start the next word (たいしょ|う).
      if (!run.empty()) AddReadingBigrams(FoldReading(run), run_begin, run_end, reading_pos, tokens);
      reading_pos += kRunGap;
      run.clear();
    };
    for (const Morpheme& m : morphemes) {
      std::string_view surface(text.data() + m.begin, m.end - m.begin);
      std::string reading = m.reading;
      if (reading.empty()) {
        const std::vector<CodePoint> cps = DecodeUtf8(surface);
        const bool all_kana = !cps.empty() && std::all_of(cps.begin(), cps.end(),
                                                          [](const CodePoint& c) { return IsKana(c.c); });
        if (all_kana) reading = std::string(surface);
      }
      if (m.is_symbol || reading.empty()) {
        flush();
        continue;
      }
      if (run.empty()) run_begin = normalized.SourceOffset(m.begin);
      run += reading;
      run_end = normalized.SourceOffset(m.end);
    }
    flush();
  }

  // Character bigrams over runs of CJK code points, in the search key form
  // of the text (ファイル and フアイル share theirs). A run stops where
  // hiragana meets kanji or katakana (ー and 々 belong with what precedes
  // them): such a bigram (の理, 論で, 散さ) joins a word to its particle or
  // inflection and finds nothing a reader asks for. Hiragana bigrams keep
  // their script, so a katakana word's bigrams (マシ of マシン) are not the
  // long postlists of running text's hiragana (まし of しました); a query's
  // kana bigrams ask for both spellings (KanaTermInOtherScript). Measured at
  // 100,000 generated talks: the index 358 → 331 MB, indexing 59 → 44 s
  // (bench/README.md); nDCG@10 the same on every judged set.
  const NormalizedText key = FoldKana(normalized);
  const std::string& key_text = key.text();
  const std::vector<CodePoint> cps = DecodeUtf8(key_text);
  uint32_t bigram_pos = 0;
  const CodePoint* prev = nullptr;  // previous CJK code point in the run
  bool prev_hiragana = false;       // the script class of the run so far
  for (size_t i = 0; i < cps.size(); ++i) {
    const CodePoint& cp = cps[i];
    if (!IsCjkCodePoint(cp.c)) {
      if (options.join_cjk_across_spaces && IsSpace(cp.c) && prev) continue;
      if (prev) bigram_pos += kRunGap;
      prev = nullptr;
      continue;
    }
    const bool continues_class = cp.c == 0x30FC || cp.c == 0x3005;  // ー 々
    const bool hiragana = continues_class && prev ? prev_hiragana : IsHiragana(cp.c);
    if (prev && hiragana != prev_hiragana) {
      bigram_pos += kRunGap;
      prev = nullptr;
    }
    prev_hiragana = hiragana;
    if (prev) {
      Token t;
      t.term.assign(key_text, prev->begin, prev->end - prev->begin);
      t.term.append(key_text, cp.begin, cp.end - cp.begin);
      t.kind = TermKind::kBigram;
      t.position = ++bigram_pos;
      t.begin = key.SourceOffset(prev->begin);
      t.end = key.SourceOffset(cp.end);
      tokens.push_back(std::move(t));
    }
    prev = &cp;
  }
  return tokens;
}

}  // namespace talksearch
