#include "talksearch/analyzer.h"

#include <unicode/utf8.h>

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
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t length = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    out.push_back({static_cast<char32_t>(c < 0 ? 0xFFFD : c),
                   static_cast<size_t>(start), static_cast<size_t>(i)});
  }
  return out;
}

bool IsSpace(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

Analyzer::Analyzer(std::shared_ptr<MecabModel> model)
    : segmenter_(std::move(model)), stemmer_("english") {}

std::string Analyzer::Fingerprint() {
  // Bump the version when term generation changes in any way.
  return "talksearch-analysis/2;icu-nfkc-casefold;mecab-words;porter2-en;"
         "cjk-bigrams";
}

std::vector<Token> Analyzer::Analyze(std::string_view source,
                                     const AnalyzeOptions& options) {
  std::vector<Token> tokens;
  const NormalizedText normalized = Normalize(source);
  const std::string& text = normalized.text();

  // Word terms from MeCab.
  uint32_t word_pos = 0;
  for (const Morpheme& m : segmenter_.Segment(text)) {
    if (m.is_symbol) {
      word_pos += 1;  // punctuation interrupts a phrase
      continue;
    }
    std::string_view surface(text.data() + m.begin, m.end - m.begin);
    if (surface.size() > kMaxTermBytes) continue;
    Token t;
    t.term = IsAsciiWord(surface) ? stemmer_(std::string(surface))
                                  : std::string(surface);
    if (t.term.empty()) continue;
    t.kind = TermKind::kWord;
    t.position = ++word_pos;
    t.begin = normalized.SourceOffset(m.begin);
    t.end = normalized.SourceOffset(m.end);
    tokens.push_back(std::move(t));
  }

  // Character bigrams over runs of CJK code points.
  const std::vector<CodePoint> cps = DecodeUtf8(text);
  uint32_t bigram_pos = 0;
  const CodePoint* prev = nullptr;  // previous CJK code point in the run
  for (size_t i = 0; i < cps.size(); ++i) {
    const CodePoint& cp = cps[i];
    if (!IsCjkCodePoint(cp.c)) {
      if (options.join_cjk_across_spaces && IsSpace(cp.c) && prev) continue;
      if (prev) bigram_pos += kRunGap;
      prev = nullptr;
      continue;
    }
    if (prev) {
      Token t;
      t.term.assign(text, prev->begin, prev->end - prev->begin);
      t.term.append(text, cp.begin, cp.end - cp.begin);
      t.kind = TermKind::kBigram;
      t.position = ++bigram_pos;
      t.begin = normalized.SourceOffset(prev->begin);
      t.end = normalized.SourceOffset(cp.end);
      tokens.push_back(std::move(t));
    }
    prev = &cp;
  }
  return tokens;
}

}  // namespace talksearch
