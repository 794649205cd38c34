// The words of a typed question or request that say nothing about what a
// talk is about: question and function words, requests, honorifics, words
// naming talks themselves. The searcher drops them from a typed sentence
// (natural_query.h) and the static bundle exports them for the browser's
// search (static_bundle.h), so both read one list.
//
// Each set holds normalized words (NormalizeString's result).
#ifndef TALKSEARCH_SCAFFOLDING_WORDS_H_
#define TALKSEARCH_SCAFFOLDING_WORDS_H_

#include <string>
#include <unordered_set>

namespace talksearch {

// English words that frame a question or a request, or name talks
// themselves (how, are, the, used, talk, …).
const std::unordered_set<std::string>& EnglishScaffoldingWords();

// Japanese nouns that frame a question or a request, name talks
// themselves, or are honorifics (方法, 講演, 先生, さん, …), by surface.
const std::unordered_set<std::string>& JapaneseScaffoldingNouns();

// Japanese verbs and adjectives (dictionary form) that only carry the
// request (知る of 知りたい, ある of ありますか, 教える of 教えて).
const std::unordered_set<std::string>& JapaneseScaffoldingVerbs();

}  // namespace talksearch

#endif  // TALKSEARCH_SCAFFOLDING_WORDS_H_
