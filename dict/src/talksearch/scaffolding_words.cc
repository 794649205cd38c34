#include "talksearch/scaffolding_words.h"

namespace talksearch {

// English words that frame a question or a request, or name talks
// themselves; none says what a talk is about.
const std::unordered_set<std::string>& EnglishScaffoldingWords() {
  static const std::unordered_set<std::string> kWords = {
      "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "about",
      "into", "onto", "as", "and", "or", "but", "nor", "than", "then", "so", "if", "via",
      "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "done",
      "can", "could", "may", "might", "must", "shall", "should", "will", "would",
      "how", "what", "why", "when", "where", "which", "who", "whom", "whose", "whether",
      "there", "here", "this", "that", "these", "those", "it", "its", "they", "them",
      "their", "we", "our", "us", "you", "your", "i", "me", "my", "he", "she", "his", "her",
      "any", "some", "such", "also", "just", "very", "please", "not", "no", "yes",
      "want", "wants", "know", "find", "show", "tell", "explain", "explained", "help",
      "use", "used", "uses", "using", "get", "gets",
      "talk", "talks", "seminar", "seminars", "lecture", "lectures", "presentation",
      "presentations", "research", "study", "studies", "paper", "papers", "anyone",
      "someone", "something", "anything", "there's", "what's", "how's", "it's",
  };
  return kWords;
}

// Japanese nouns that frame a question or a request, name talks
// themselves, or are honorifics; and verbs and adjectives (dictionary
// form) that only carry the request (知りたい, ありますか, 教えて).
const std::unordered_set<std::string>& JapaneseScaffoldingNouns() {
  static const std::unordered_set<std::string> kWords = {
      "方法", "やり方", "仕方", "こと", "もの", "ため", "よう", "場合", "とき", "時",
      "何", "なに", "なん", "どれ", "どこ", "どう", "どの", "なぜ", "いつ", "誰", "だれ",
      "講演", "発表", "研究", "講義", "セミナー", "トーク", "話", "論文", "紹介", "内容",
      "資料", "スライド", "動画", "話題", "テーマ", "先生", "教授", "博士", "さん", "氏",
      "様", "君", "くん", "ちゃん", "本", "最近", "今", "今回", "方々", "人", "人たち",
  };
  return kWords;
}

const std::unordered_set<std::string>& JapaneseScaffoldingVerbs() {
  static const std::unordered_set<std::string> kWords = {
      "する", "ある", "いる", "なる", "できる", "出来る", "知る", "教える", "探す",
      "見る", "思う", "言う", "いう", "行う", "調べる", "使う", "用いる", "学ぶ",
      "学べる", "聞く", "読む", "見つける", "考える", "わかる", "分かる", "くださる",
      "下さる", "もらう", "くれる", "いただく", "頂く", "おる", "られる", "れる",
      "欲しい", "ほしい", "良い", "よい", "いい", "ない", "たい", "扱う", "関する",
      "つく", "おく", "みる", "しまう",
  };
  return kWords;
}

}  // namespace talksearch
