// Kana spelling variants are one word: a talk spelled one way is found by a
// query spelled the other (judged/kana_variants.tsv), and highlighting still
// marks the source characters that were written.
#include <algorithm>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "talksearch/analyzer.h"
#include "talksearch/index_writer.h"
#include "talksearch/normalizer.h"
#include "talksearch/query_builder.h"
#include "talksearch/snippet.h"
#include "test_index.h"

namespace talksearch {
namespace {

struct VariantRow {
  std::string option, variant, normal;
};

std::vector<VariantRow> ReadVariants() {
  std::ifstream in(testing::SourcePath("tests/judged/kana_variants.tsv"));
  std::vector<VariantRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    VariantRow row;
    std::getline(fields, row.option, '\t');
    std::getline(fields, row.variant, '\t');
    std::getline(fields, row.normal, '\t');
    rows.push_back(row);
  }
  return rows;
}

// Whether a talk whose abstract is `text` is found by the query `query`,
// built as the searcher builds it against an index of that talk alone, or
// also holding a talk whose abstract is `beside` (the query's own spelling:
// then the index has the typed word as a word).
bool Finds(Analyzer& analyzer, const std::string& text, const std::string& query,
           const std::string& beside = "") {
  Talk talk;
  talk.id = "kana";
  talk.abstract = text;
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  const Xapian::docid wanted = db.add_document(BuildDocument(talk, analyzer));
  if (!beside.empty()) {
    Talk other;
    other.id = "typed";
    other.abstract = beside;
    db.add_document(BuildDocument(other, analyzer));
  }
  ParsedQuery parsed;
  parsed.groups = {{TextClause{query, false, std::nullopt}}};
  try {
    const BuiltQuery built = BuildQuery(parsed, analyzer, RankingParams{}, nullptr, "",
                                        [&db](const std::string& t) { return db.term_exists(t); });
    Xapian::Enquire enquire(db);
    enquire.set_query(built.query);
    const Xapian::MSet found = enquire.get_mset(0, 2);
    return std::any_of(found.begin(), found.end(),
                       [wanted](Xapian::docid id) { return id == wanted; });
  } catch (const std::exception&) {
    return false;  // nothing to search for
  }
}

TEST(KanaVariants, TheJudgedListIsReadWhole) { EXPECT_EQ(ReadVariants().size(), 161u); }

// Each spelling finds a talk written in the other, alone and inside a
// sentence (where MeCab segments it among other words). Every row is met,
// the one-kana ones (ヲ = オ, ヂ = ジ, ヅ = ズ) by their word terms.
TEST(KanaVariants, EachSpellingFindsATalkWrittenInTheOther) {
  Analyzer analyzer(testing::Model());
  // Other words are not found: what is found is the variant.
  EXPECT_FALSE(Finds(analyzer, "ネコ", "イヌ"));
  EXPECT_FALSE(Finds(analyzer, "ヲタク", "ウタク"));
  EXPECT_FALSE(Finds(analyzer, "本講演ではバイオリンについて議論する。", "ブイオリン"));
  EXPECT_FALSE(Finds(analyzer, "本講演ではサーバについて議論する。", "サーブ"));
  for (const VariantRow& row : ReadVariants()) {
    for (const auto& [written, typed] :
         {std::pair{row.variant, row.normal}, std::pair{row.normal, row.variant}}) {
      EXPECT_TRUE(Finds(analyzer, written, typed))
          << row.option << ": \"" << typed << "\" does not find \"" << written << "\"";
      EXPECT_TRUE(Finds(analyzer, "本講演では" + written + "について議論する。", typed))
          << row.option << ": \"" << typed << "\" does not find \"" << written
          << "\" in a sentence";
      // Where another talk has the typed spelling as a word, so that the
      // query searches it as a word of the index.
      EXPECT_TRUE(Finds(analyzer, "本講演では" + written + "について議論する。", typed,
                        "本講演では" + typed + "について議論する。"))
          << row.option << ": \"" << typed << "\" does not find \"" << written
          << "\" beside a talk with \"" << typed << "\"";
    }
  }
}

// The search key form of the two spellings is one text (with hiragana as
// katakana, as highlighting compares them), and so are their bigrams.
TEST(KanaVariants, SearchKeysAreEqual) {
  Analyzer analyzer(testing::Model());
  auto bigrams = [&analyzer](const std::string& text) {
    std::set<std::string> out;
    for (const Token& t : analyzer.Analyze(text)) {
      // Hiragana bigrams keep their script; a query asks for both
      // (KanaTermInOtherScript), so the keys are equal up to script.
      if (t.kind == TermKind::kBigram) out.insert(HiraganaAsKatakana(t.term));
    }
    return out;
  };
  for (const VariantRow& row : ReadVariants()) {
    EXPECT_EQ(HiraganaAsKatakana(NormalizeForSearch(row.variant).text()),
              HiraganaAsKatakana(NormalizeForSearch(row.normal).text()))
        << row.option << ": " << row.variant << " / " << row.normal;
    EXPECT_EQ(bigrams(row.variant), bigrams(row.normal))
        << row.option << ": " << row.variant << " / " << row.normal;
  }
}

TEST(KanaVariants, FoldedKeys) {
  EXPECT_EQ(FoldKanaKey("ふぁいる"), "フアイル");
  EXPECT_EQ(FoldKanaKey("ヴァイオリン"), "バイオリン");
  EXPECT_EQ(FoldKanaKey("バヽマ"), "バハマ");
  EXPECT_EQ(FoldKanaKey("いすゞ"), "イスズ");
  EXPECT_EQ(FoldKanaKey("時々"), "時時");
  EXPECT_EQ(FoldKanaKey("ショオ"), "シヨウ");
  EXPECT_EQ(FoldKanaKey("コーーヒー"), "コーヒ");
  // A final ー goes after three characters (a ー among them), and only
  // where the kana word ends: カラー is not から, nor マター また.
  EXPECT_EQ(FoldKanaKey("ルー"), "ルー");
  EXPECT_EQ(FoldKanaKey("カラー"), "カラー");
  EXPECT_NE(FoldKanaKey("カラー"), FoldKanaKey("から"));
  EXPECT_NE(FoldKanaKey("マター"), FoldKanaKey("また"));
  EXPECT_EQ(FoldKanaKey("ユーザー"), "ユーザ");
  EXPECT_EQ(FoldKanaKey("サーバーを"), "サーバオ");
  EXPECT_EQ(FoldKanaKey("サーバーシステム"), "サーバーシステム");
  EXPECT_EQ(FoldKanaKey("超ー"), "超ー");
  EXPECT_EQ(FoldKanaKey("physics-informed"), "physics-informed");
  // Kana alone is katakana; beside other characters it keeps its script, so
  // the okurigana of した解析 is not the loanword of データ解析.
  EXPECT_EQ(FoldKanaKey("ぱゝ"), "パハ");
  EXPECT_EQ(FoldKanaKey("一つづゝ"), "一つずつ");
  EXPECT_EQ(FoldKanaKey("解く"), "解く");
  EXPECT_EQ(KanaSearchTerm("た解"), "た解");
  EXPECT_EQ(KanaSearchTerm("たか"), "タカ");
}

TEST(Normalize, DashesAfterKanaAreTheProlongedSoundMark) {
  EXPECT_EQ(NormalizeString("コ-ヒ-"), "コーヒー");
  EXPECT_EQ(NormalizeString("デ—タベ―ス"), "データベース");
  EXPECT_EQ(NormalizeString("キ━ワ━ド"), "キーワード");
  EXPECT_EQ(NormalizeString("ｽｰﾊﾟｰ"), "スーパー");
  // Elsewhere a hyphen is '-' and a dash stays a dash.
  EXPECT_EQ(NormalizeString("Runge‐Kutta Wiener–Khinchin Yang－Mills"),
            "runge-kutta wiener-khinchin yang-mills");
  EXPECT_EQ(NormalizeString("physics-informed"), "physics-informed");
  EXPECT_EQ(NormalizeString("理論—実験"), "理論—実験");
}

TEST(Normalize, MiddleDotsAreOne) {
  for (const char* name :
       {"アラン･チューリング", "アラン·チューリング", "アラン•チューリング", "アラン∙チューリング",
        "アラン⋅チューリング", "アラン⸱チューリング", "アランᐧチューリング"}) {
    EXPECT_EQ(NormalizeString(name), "アラン・チューリング") << name;
  }
}

// Offsets stay exact through both folds: each changed stretch maps to the
// source it came from.
TEST(KanaVariants, SearchKeyOffsetsPointAtTheSource) {
  const std::string source = "ｺﾝﾋﾟｭｰﾀｰを使うﾊﾞﾔﾏとヴァイオリン";
  const NormalizedText key = NormalizeForSearch(source);
  ASSERT_EQ(key.text(), "コンピユータお使うバヤマとバイオリン");
  auto source_of = [&](const std::string& needle) {
    const size_t at = key.text().find(needle);
    EXPECT_NE(at, std::string::npos) << needle;
    const size_t begin = key.SourceOffset(at), end = key.SourceOffset(at + needle.size());
    return source.substr(begin, end - begin);
  };
  EXPECT_EQ(source_of("コンピユータ"), "ｺﾝﾋﾟｭｰﾀｰ");
  EXPECT_EQ(source_of("バイオリン"), "ヴァイオリン");
  EXPECT_EQ(source_of("イオリン"), "イオリン");
  EXPECT_EQ(source_of("バヤマ"), "ﾊﾞﾔﾏ");
}

std::string Highlighted(const std::string& query, const std::string& text) {
  Analyzer analyzer(testing::Model());
  ParsedQuery parsed;
  parsed.groups = {{TextClause{query, false, std::nullopt}}};
  const BuiltQuery built = BuildQuery(parsed, analyzer, RankingParams{}, nullptr, "");
  return Highlighter(built.word_terms, built.bigram_runs).Snippet(text);
}

TEST(KanaVariants, HighlightingMarksTheCharactersAsWritten) {
  EXPECT_EQ(Highlighted("コンピュータ", "ｺﾝﾋﾟｭｰﾀｰの性能"), "<mark>ｺﾝﾋﾟｭｰﾀｰ</mark>の性能");
  EXPECT_EQ(Highlighted("コンピュータ", "量子コンピューターを使う"),
            "量子<mark>コンピューター</mark>を使う");
  EXPECT_EQ(Highlighted("コンピューター", "古典コンピュータの限界"),
            "古典<mark>コンピュータ</mark>の限界");
  EXPECT_EQ(Highlighted("バイオリン", "ヴァイオリンの音"), "<mark>ヴァイオリン</mark>の音");
  EXPECT_EQ(Highlighted("バハマ", "バヽマ諸島"), "<mark>バヽマ</mark>諸島");
  EXPECT_EQ(Highlighted("いすず", "いすゞ自動車"), "<mark>いすゞ</mark>自動車");
  EXPECT_EQ(Highlighted("ファイル", "フアイル形式"), "<mark>フアイル</mark>形式");
  EXPECT_EQ(Highlighted("データベース", "デ—タベ—スの設計"), "<mark>デ—タベ—ス</mark>の設計");
  EXPECT_EQ(Highlighted("ねこ", "ネコと犬"), "<mark>ネコ</mark>と犬");
  EXPECT_EQ(Highlighted("繰り込み群", "繰り込み群の方法"), "<mark>繰り込み群</mark>の方法");
}

// "Did you mean" offers the spelling the talks use, not its search key.
TEST(KanaVariants, SpellingWordsAreTheWordsAsWritten) {
  Analyzer analyzer(testing::Model());
  Talk talk;
  talk.id = "kana";
  talk.title = "ファイルサーバーのヴァイオリン";
  talk.abstract = "ファイル サーバー ヴァイオリン";
  SpellingWordCounts words;
  BuildDocument(talk, analyzer, &words);
  std::set<std::string> spelled;
  for (const auto& [word, count] : words) spelled.insert(word);
  EXPECT_THAT(spelled, ::testing::IsSupersetOf({"ファイル", "サーバー", "ヴァイオリン"}));
  EXPECT_THAT(spelled, ::testing::Not(::testing::Contains("フアイル")));
  EXPECT_THAT(spelled, ::testing::Not(::testing::Contains("サーバ")));
  EXPECT_THAT(spelled, ::testing::Not(::testing::Contains("バイオリン")));
}

}  // namespace
}  // namespace talksearch
