// The Japanese↔English glossary (dict/glossary.tsv): the indexer marks the
// concepts a talk names (ConceptMatcher), the query builder widens to them.
//
// Each line is one concept: its forms separated by TABs (Japanese forms,
// English forms, abbreviations). A query word or run of words that equals
// any form is widened to the concept in all its forms, so "diffusion model"
// finds 拡散モデル and NNP finds ニューラルネットワークポテンシャル.
//
// Forms are compared by their analysed words (normalized, stemmed, spaces
// and punctuation ignored): "Physics-Informed Neural Networks" equals
// "physics informed neural network".
//
// A line starting with "> " relates concepts instead: its first form names a
// broader concept and the others name narrower ones ("> 生成モデル	拡散モデル
// VAE"), as a thesaurus's broader/narrower links. A query for the broad
// concept also finds talks that only name a narrower one (a diffusion-model
// talk is about generative models), scored below the concept's own forms.
// A line starting with "~ " relates its first concept to each of the others,
// both ways, where neither contains the other (ニューラルネットワークポテンシャル
// ~ 機械学習分子動力学): each finds talks naming the other, scored lower still.
// The others are not thereby related among themselves.
//
// Thread-safety: immutable after Load; share one Glossary between threads.
#ifndef TALKSEARCH_GLOSSARY_H_
#define TALKSEARCH_GLOSSARY_H_

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "talksearch/analyzer.h"

namespace talksearch {

class Glossary {
 public:
  // Parses the TSV text; throws std::runtime_error("file:line: …") on a line
  // with fewer than two forms, a form that is on another line already, or a
  // relation naming something that is no concept's form.
  static std::shared_ptr<const Glossary> Parse(std::string_view text, const std::string& file_name,
                                               Analyzer& analyzer);
  static std::shared_ptr<const Glossary> Load(const std::string& path, Analyzer& analyzer);

  // The compiled-in location of dict/glossary.tsv.
  static std::string DefaultPath();
  // Load(path) with a temporary Analyzer; "none" or "" gives nullptr (no
  // glossary). Throws like Load.
  static std::shared_ptr<const Glossary> LoadUnlessNone(const std::string& path,
                                                        std::shared_ptr<MecabModel> model);

  static constexpr size_t kNoConcept = static_cast<size_t>(-1);
  // The concept that `key` (see Key) names, or kNoConcept.
  size_t FindConcept(const std::string& key) const;
  // The forms of the concept that `key` names, or nullptr.
  const std::vector<std::string>* Find(const std::string& key) const;
  // The concept one of whose all-Japanese forms is read as `kana` (folded
  // like Analyzer::FoldReading), so うちゅうろん finds 宇宙論's concept;
  // kNoConcept when no form, or more than one concept, reads so.
  size_t FindConceptByReading(std::string_view kana) const;
  // Concepts related to `concept` ("~ " lines), without `concept` itself.
  const std::vector<size_t>& Related(size_t concept) const { return related_[concept]; }
  // Concepts narrower than `concept`, transitively up to `depth` links, in
  // breadth-first order, without `concept` itself.
  std::vector<size_t> Narrower(size_t concept, int depth) const;
  // Concepts broader than `concept`, transitively up to `depth` links.
  std::vector<size_t> Broader(size_t concept, int depth) const;

  // Comparison key of a piece of text: its analysed word terms, joined.
  static std::string Key(std::string_view text, Analyzer& analyzer);

  size_t concept_count() const { return concepts_.size(); }
  const std::vector<std::vector<std::string>>& concepts() const { return concepts_; }
  // Analyzer::ReadingOf each form of `concept`, in the order of its forms
  // (computed once, at load).
  const std::vector<std::string>& FormReadings(size_t concept) const { return readings_[concept]; }
  // Analyzer::Analyze of each form of `concept`, in the order of its forms
  // (computed once, at load): the words a query reaching the concept marks.
  const std::vector<std::vector<Token>>& FormTokens(size_t concept) const {
    return form_tokens_[concept];
  }
  // Most whitespace-separated words in any form (bounds query scanning).
  size_t max_form_words() const { return max_form_words_; }

  // The index term of `concept` in a field, after the field's concept
  // prefix: the Key of its first form, so it stays the same when other
  // lines of the glossary change.
  const std::string& ConceptKey(size_t concept) const { return concept_keys_[concept]; }
  // A hash of the glossary text: an index marks the concepts of one glossary
  // and is rebuilt when it changes.
  const std::string& digest() const { return digest_; }

 private:
  std::vector<std::vector<std::string>> concepts_;
  std::vector<std::string> concept_keys_;  // parallel to concepts_
  std::string digest_;
  std::vector<std::vector<std::string>> readings_;  // parallel to concepts_
  std::vector<std::vector<std::vector<Token>>> form_tokens_;  // parallel to concepts_
  std::unordered_map<std::string, size_t> concept_by_key_;
  std::vector<std::vector<size_t>> narrower_;  // by concept index
  std::vector<std::vector<size_t>> broader_;   // by concept index
  std::vector<std::vector<size_t>> related_;   // by concept index
  std::unordered_map<std::string, size_t> concept_by_reading_;  // kNoConcept: ambiguous
  size_t max_form_words_ = 1;
};

// Finds glossary concepts in analysed text, for the indexer. A field whose
// text has any form of a concept gets that concept's term (schema.h
// concept_prefix + ConceptKey), with the number of places it occurs, so a
// query reaches a concept in all its forms and languages with one term per
// field instead of every form's words and bigrams (hundreds of postlists
// for a widened query; see docs/design.md, "Ranking").
//
// A form occurs where its words occur in order (word and subword terms,
// as a phrase query matches them), or, for a form wholly in CJK script,
// where its bigrams occur in order (inside a compound MeCab splits
// differently). Immutable after construction; share between threads.
class ConceptMatcher {
 public:
  ConceptMatcher(std::shared_ptr<const Glossary> glossary, Analyzer& analyzer);

  struct Occurrence {
    size_t concept;
    unsigned count;  // places in the text (the larger of word and bigram matches)
  };
  // The concepts in `tokens` (Analyzer::Analyze of one text), by concept.
  std::vector<Occurrence> Find(const std::vector<Token>& tokens) const;

  // Narrower concepts are followed this many links: a query for a concept
  // also finds talks naming a concept up to two links below it.
  static constexpr int kNarrowerDepth = 2;
  // Of `found` (one field's concepts): the concepts they are narrower than
  // (within kNarrowerDepth links), and those they are related to, each with
  // the sum of the places of the concepts that link to it; never one of
  // `found` itself.
  std::vector<Occurrence> BroaderOf(const std::vector<Occurrence>& found) const;
  std::vector<Occurrence> RelatedOf(const std::vector<Occurrence>& found) const;

  const Glossary& glossary() const { return *glossary_; }

 private:
  struct Pattern {
    std::vector<std::string> rest;  // the terms after the first, in order
    size_t concept;
  };
  std::shared_ptr<const Glossary> glossary_;
  std::vector<std::vector<size_t>> broader_;  // by concept, within kNarrowerDepth
  using PatternsByFirstTerm = std::unordered_map<std::string, std::vector<Pattern>>;
  PatternsByFirstTerm word_patterns_;    // by first word
  PatternsByFirstTerm bigram_patterns_;  // by first bigram
};

// The segmentation check run at reindex: of `terms`, those written in
// Japanese (CJK characters, no spaces) that MeCab splits into several
// words. A split term loses precision silently, so maintainers add it to
// dict/userdic.tsv.
std::vector<std::string> TermsMecabSplits(const std::vector<std::string>& terms,
                                          Analyzer& analyzer);

// The Japanese forms of every glossary concept plus the surfaces listed in
// the user dictionary source `userdic_tsv` (missing file: glossary only).
std::vector<std::string> DomainTerms(const Glossary& glossary, const std::string& userdic_tsv);

// The compiled-in location of dict/userdic.tsv.
std::string DefaultUserDictionarySource();

}  // namespace talksearch

#endif  // TALKSEARCH_GLOSSARY_H_
