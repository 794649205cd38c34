// The shared analysis: normalization, segmentation, term forms, and the
// parity between what the indexer stores and what the query asks for.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "talksearch/analyzer.h"
#include "talksearch/index_writer.h"
#include "talksearch/normalizer.h"
#include "talksearch/query_builder.h"
#include "talksearch/schema.h"
#include "talksearch/stored_talk.h"
#include "test_index.h"

namespace talksearch {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using testing::Model;

std::vector<std::string> Terms(const std::string& text, TermKind kind) {
  Analyzer analyzer(Model());
  std::vector<std::string> out;
  for (const Token& t : analyzer.Analyze(text)) {
    if (t.kind == kind) out.push_back(t.term);
  }
  return out;
}

TEST(Normalize, FullWidthAndCaseFoldToTheSameText) {
  EXPECT_EQ(NormalizeString("ＰＩＮＮ"), "pinn");
  EXPECT_EQ(NormalizeString("PINN"), "pinn");
  EXPECT_EQ(NormalizeString("ｶﾀｶﾅ"), "カタカナ");
  EXPECT_EQ(NormalizeString("\u2F64"), "用");  // Kangxi radical ⽤ is 用
  EXPECT_EQ(NormalizeString("㍻"), "平成");
}

TEST(Normalize, KeepsOffsetsIntoTheSource) {
  const std::string source = "ＰＩＮＮと拡散モデル";
  const NormalizedText n = Normalize(source);
  const size_t to = n.text().find("拡散");
  ASSERT_NE(to, std::string::npos);
  EXPECT_EQ(source.substr(n.SourceOffset(to), 6), "拡散");
}

// Researchers type Schrödinger as schrodinger; Japanese keeps its marks.
TEST(Normalize, LatinLettersLoseTheirAccentsAndOtherScriptsKeepTheirs) {
  EXPECT_EQ(NormalizeString("Schrödinger"), "schrodinger");
  EXPECT_EQ(NormalizeString("Poincaré ÅNGSTRÖM ǖ ø"), "poincare angstrom u ø");
  EXPECT_EQ(NormalizeString("Schro\u0308dinger"), "schrodinger");  // a combining mark
  EXPECT_EQ(NormalizeString("がぱガ"), "がぱガ");
  EXPECT_EQ(NormalizeString("Ｃａｆé"), "cafe");  // full-width and accented at once
  // Offsets still map into the source around and at a folded letter.
  const std::string source = "Die Schrödinger-Gleichung と拡散";
  const NormalizedText n = Normalize(source);
  ASSERT_EQ(n.text(), "die schrodinger-gleichung と拡散");
  const size_t word = n.text().find("schrodinger");
  EXPECT_EQ(source.substr(n.SourceOffset(word), n.SourceOffset(word + 11) - n.SourceOffset(word)),
            "Schrödinger");
  const size_t kanji = n.text().find("拡散");
  EXPECT_EQ(source.substr(n.SourceOffset(kanji), 6), "拡散");
  EXPECT_EQ(Terms("Schrödinger", TermKind::kWord), Terms("schrodinger", TermKind::kWord));
}

TEST(Normalize, RecognisesInvalidUtf8) {
  EXPECT_TRUE(IsValidUtf8("拡散モデル PINN"));
  EXPECT_FALSE(IsValidUtf8("\xff\xfe"));
  EXPECT_FALSE(IsValidUtf8(std::string("a\0b", 3)));
  EXPECT_FALSE(IsValidUtf8("\xe6\x8b"));  // truncated sequence
}

TEST(Analyzer, SameTermsForFullWidthAndRadicalForms) {
  EXPECT_EQ(Terms("ＰＩＮＮ", TermKind::kWord), Terms("PINN", TermKind::kWord));
  EXPECT_THAT(Terms("PINN", TermKind::kWord), ElementsAre("pinn"));
  EXPECT_EQ(Terms("応\u2F64", TermKind::kWord), Terms("応用", TermKind::kWord));
  EXPECT_EQ(Terms("応\u2F64", TermKind::kBigram), Terms("応用", TermKind::kBigram));
}

TEST(Analyzer, WordsAndBigramsOfJapanese) {
  EXPECT_THAT(Terms("拡散モデル", TermKind::kBigram), ElementsAre("拡散", "散モ", "モデ", "デル"));
  // The user dictionary keeps the domain term whole; its parts are subwords.
  EXPECT_THAT(Terms("拡散モデルを用いた", TermKind::kWord), Contains("拡散モデル"));
  EXPECT_THAT(Terms("拡散モデルを用いた", TermKind::kSubword), ElementsAre("拡散", "モデル"));
  EXPECT_THAT(Terms("経路積分を用いた", TermKind::kWord), Contains("経路積分"));
}

// Particles and auxiliaries (の, です) are not words, and no bigram joins
// them to the word beside them; the words around them stay next to each
// other, as a glossary form's words are matched.
TEST(Analyzer, ParticlesAndAuxiliariesAreLeftToTheBigrams) {
  Analyzer analyzer(Model());
  std::vector<const Token*> words;
  const std::vector<Token> tokens = analyzer.Analyze("拡散モデルの理論です");
  for (const Token& t : tokens) {
    if (t.kind == TermKind::kWord) words.push_back(&t);
  }
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[0]->term, "拡散モデル");
  EXPECT_EQ(words[1]->term, "理論");
  EXPECT_EQ(words[1]->position, words[0]->position + 1);
  // Bigrams stop where hiragana meets kanji or katakana; a stretch of
  // hiragana keeps its own, in its script (です, not デス: KanaTermInOtherScript
  // is the query's way to the other spelling).
  EXPECT_THAT(Terms("拡散モデルの理論です", TermKind::kBigram),
              ElementsAre("拡散", "散モ", "モデ", "デル", "理論", "です"));
}

TEST(Analyzer, UserDictionaryKeepsDomainTermsWhole) {
  for (const char* term : {"制限ボルツマンマシン", "繰り込み群", "最適輸送", "テンソルネットワーク",
                           "拡散モデル", "経路積分", "汎化"}) {
    EXPECT_THAT(Terms(term, TermKind::kWord), ElementsAre(FoldKanaKey(NormalizeString(term))))
        << term;
  }
}

// "Did you mean" covers English and katakana words, on both the index and
// the query side.
TEST(Analyzer, SpellingCoversEnglishAndKatakanaOnly) {
  EXPECT_TRUE(IsSpellingScriptNormalized("transformer"));
  EXPECT_TRUE(IsSpellingScriptNormalized("ボルツマンマシン"));
  EXPECT_FALSE(IsSpellingScriptNormalized("拡散モデル"));
  EXPECT_FALSE(IsSpellingScriptNormalized("カッコいい"));
  EXPECT_FALSE(IsSpellingScriptNormalized("かくさん"));
}

TEST(Analyzer, EnglishIsStemmedAndCaseFolded) {
  EXPECT_EQ(Terms("Networks", TermKind::kWord), Terms("network", TermKind::kWord));
  EXPECT_THAT(Terms("Neural Networks", TermKind::kWord), ElementsAre("neural", "network"));
  EXPECT_TRUE(Terms("Neural Networks", TermKind::kBigram).empty());
}

TEST(Analyzer, TokensPointAtTheirSourceText) {
  Analyzer analyzer(Model());
  const std::string source = "ＰＩＮＮで解く拡散モデル";
  bool saw_pinn = false;
  for (const Token& t : analyzer.Analyze(source)) {
    if (t.kind == TermKind::kReading) continue;  // readings are not the source text
    ASSERT_LE(t.end, source.size());
    ASSERT_LT(t.begin, t.end);
    // The source span normalizes back to the term (words are not stemmed here).
    EXPECT_EQ(NormalizeString(source.substr(t.begin, t.end - t.begin)), t.term);
    if (t.term == "pinn") {
      saw_pinn = true;
      EXPECT_EQ(source.substr(t.begin, t.end - t.begin), "ＰＩＮＮ");
    }
  }
  EXPECT_TRUE(saw_pinn);
}

TEST(Analyzer, PersonNamesBridgeTheSpace) {
  Analyzer analyzer(Model());
  AnalyzeOptions name;
  name.join_cjk_across_spaces = true;
  std::set<std::string> spaced, joined;
  for (const Token& t : analyzer.Analyze("三角 樹弘", name)) {
    if (t.kind == TermKind::kBigram) spaced.insert(t.term);
  }
  for (const Token& t : analyzer.Analyze("三角樹弘")) {
    if (t.kind == TermKind::kBigram) joined.insert(t.term);
  }
  EXPECT_EQ(spaced, joined);
}

// The parity that matters: every term a query asks for is a term the
// indexer stored for the same text.
TEST(Parity, QueryTermsAreIndexedTermsForTheSameText) {
  Analyzer analyzer(Model());
  const std::vector<std::string> samples = {
      "拡散モデル", "Physics-Informed Neural Networks", "ＰＩＮＮ", "経路積分を用いた拡散モデルの定式化",
      "制限ボルツマンマシン", "格子QCD", "パーシステントホモロジー", "SU(3)非可換ゲージ理論"};
  for (const std::string& text : samples) {
    Talk talk;
    talk.id = "parity";
    talk.title = text;
    talk.abstract = text;
    talk.speakers = {{text, text, ""}, {text, text, "panelist"}};  // every text field
    talk.references = {text};
    const Xapian::Document doc = BuildDocument(talk, analyzer);
    std::set<std::string> indexed(doc.termlist_begin(), doc.termlist_end());

    ParsedQuery parsed;
    parsed.groups = {{TextClause{text, false, std::nullopt}}};
    const BuiltQuery built = BuildQuery(parsed, analyzer, RankingParams{}, nullptr, "");
    size_t checked = 0;
    for (auto it = built.query.get_unique_terms_begin(); it != built.query.get_unique_terms_end();
         ++it) {
      // A kana bigram's spelling in the other script (KanaTermInOtherScript)
      // is asked for too; the text has one of the two.
      const std::string& term = *it;
      const size_t body = term.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
      const std::string other =
          body == std::string::npos ? "" : KanaTermInOtherScript(term.substr(body));
      const bool either =
          indexed.count(term) || (!other.empty() && indexed.count(term.substr(0, body) + other));
      EXPECT_TRUE(either) << "query term " << *it << " for \"" << text << "\" is not in the index";
      ++checked;
    }
    EXPECT_GT(checked, 0u) << text;
  }
}

}  // namespace
}  // namespace talksearch

namespace talksearch {
namespace {

std::vector<std::string> Readings(const std::string& text) {
  Analyzer analyzer(testing::Model());
  std::vector<std::string> out;
  for (const Token& t : analyzer.Analyze(text)) {
    if (t.kind == TermKind::kReading) out.push_back(t.term);
  }
  return out;
}

TEST(Readings, KanaTypedEqualsTheKanjiWordsReading) {
  EXPECT_EQ(Readings("かくさんもでる"), Readings("拡散モデル"));
  EXPECT_EQ(Readings("たいしょうせい"), Readings("対称性"));
  EXPECT_THAT(Readings("拡散モデル"), ::testing::ElementsAre("カク", "クサ", "サン", "ンモ", "モデ", "デル"));
}

TEST(Readings, LongVowelsFold) {
  EXPECT_EQ(Analyzer::FoldReading("オートエンコーダー"), Analyzer::FoldReading("オートエンコーダ"));
  EXPECT_EQ(Analyzer::FoldReading("こうじ"), "コジ");
  EXPECT_EQ(Analyzer::FoldReading("コージ"), "コジ");
  EXPECT_EQ(Readings("オートエンコーダー"), Readings("オートエンコーダ"));
  EXPECT_EQ(Analyzer::FoldReading("ヴァイオリン"), Analyzer::FoldReading("バイオリン"));
  EXPECT_EQ(Analyzer::FoldReading("ボルツマン"), Analyzer::FoldReading("ヴォルツマン"));
  EXPECT_EQ(Analyzer::FoldReading("ヴ"), "ブ");
}

TEST(Readings, RomajiNamesBecomeKatakanaReadings) {
  Analyzer analyzer(testing::Model());
  std::vector<std::string> romaji;
  for (const Token& t : analyzer.RomajiReadings("Hashimoto")) romaji.push_back(t.term);
  EXPECT_EQ(romaji, Readings("橋本"));
}

// Stored talks: compressed with a dictionary trained on the index's own
// talks, and read back as they were; plain JSON without a dictionary, which
// a codec with one still reads (talks stored before the index had one).
TEST(StoredTalkCodec, ReadsBackWhatItStores) {
  std::vector<const Talk*> talks;
  for (const Talk& t : testing::Corpus().talks) talks.push_back(&t);
  const std::string dictionary = StoredTalkCodec::TrainDictionary(talks);
  ASSERT_FALSE(dictionary.empty());
  const StoredTalkCodec codec(dictionary), plain("");
  size_t json_bytes = 0, stored_bytes = 0;
  for (const Talk* t : talks) {
    const std::string json = nlohmann::json(*t).dump();
    const std::string stored = codec.Encode(*t);
    EXPECT_EQ(nlohmann::json(codec.Decode(stored)).dump(), json) << t->id;
    EXPECT_EQ(nlohmann::json(codec.Decode(json)).dump(), json) << t->id;
    EXPECT_EQ(plain.Encode(*t), json);
    json_bytes += json.size();
    stored_bytes += stored.size();
  }
  EXPECT_LT(stored_bytes, json_bytes / 2) << "the dictionary compresses the talks";
}

TEST(StoredTalkCodec, ATalkItCannotReadIsAClearError) {
  const auto& corpus = testing::Corpus().talks;
  std::vector<const Talk*> first, second;
  for (size_t i = 0; i < corpus.size(); ++i) (i % 2 ? second : first).push_back(&corpus[i]);
  const StoredTalkCodec one(StoredTalkCodec::TrainDictionary(first));
  const StoredTalkCodec other(StoredTalkCodec::TrainDictionary(second));
  const std::string stored = one.Encode(corpus.front());
  auto error_of = [](const StoredTalkCodec& codec, const std::string& data) {
    try {
      codec.Decode(data);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  using ::testing::HasSubstr;
  EXPECT_THAT(error_of(other, stored), HasSubstr("another index's dictionary"));
  EXPECT_THAT(error_of(StoredTalkCodec(""), stored), HasSubstr("no dictionary"));
  EXPECT_THAT(error_of(one, stored.substr(0, stored.size() / 2)), HasSubstr("run talks-index"));
  // Three talks are too few to train on: they are stored as JSON.
  EXPECT_EQ(StoredTalkCodec::TrainDictionary({first.begin(), first.begin() + 3}), "");
}

}  // namespace
}  // namespace talksearch
