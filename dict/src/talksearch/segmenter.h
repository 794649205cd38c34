// MeCab word segmentation.
//
// A MecabModel loads a dictionary once and is shared by every thread. A
// Segmenter holds the per-thread state (a Tagger and a Lattice) and must not
// be used by two threads at once; create one per worker.
#ifndef TALKSEARCH_SEGMENTER_H_
#define TALKSEARCH_SEGMENTER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace MeCab {
class Model;
class Tagger;
class Lattice;
}  // namespace MeCab

namespace talksearch {

// The dictionary the build was configured with (always passed with -d).
std::string DefaultMecabDictionary();
// The user dictionary the build compiled from dict/userdic.tsv.
std::string DefaultMecabUserDictionary();

class MecabModel {
 public:
  // Opens the system dictionary in `dicdir`, plus a compiled user
  // dictionary unless `userdic` is "" or "none". Throws std::runtime_error
  // naming the file on failure.
  static std::shared_ptr<MecabModel> Open(const std::string& dicdir,
                                          const std::string& userdic = DefaultMecabUserDictionary());
  ~MecabModel();
  MecabModel(const MecabModel&) = delete;
  MecabModel& operator=(const MecabModel&) = delete;

  MeCab::Model* model() const { return model_; }
  // The system dictionary alone (nullptr without a user dictionary): splits
  // a user-dictionary compound into the words it is made of.
  MeCab::Model* base_model() const { return base_model_; }
  const std::string& dicdir() const { return dicdir_; }
  // Identifies the dictionaries (directory + user dictionary content), so an
  // index built with other dictionaries is recognised.
  const std::string& identity() const { return identity_; }

 private:
  MecabModel(MeCab::Model* model, MeCab::Model* base_model, std::string dicdir,
             std::string identity)
      : model_(model), base_model_(base_model), dicdir_(std::move(dicdir)),
        identity_(std::move(identity)) {}
  MeCab::Model* model_;
  MeCab::Model* base_model_;  // owned, may be null
  std::string dicdir_;
  std::string identity_;
};

// One word found by MeCab, as byte offsets into the segmented string.
struct Morpheme {
  size_t begin = 0;
  size_t end = 0;
  bool is_symbol = false;  // punctuation and other 記号: not indexed
  // A particle or auxiliary verb (助詞, 助動詞: の, は, です): indexed only
  // through the CJK bigrams, as kuromoji's stop tags leave them out.
  bool is_function_word = false;
  std::string reading;     // katakana reading when the dictionary has one
  // ipadic's part of speech (品詞, with the 細分類 a query needs): tells a
  // typed sentence's content words from its particles and scaffolding.
  enum class Pos : uint8_t {
    kNoun,                // 名詞 (一般, 固有名詞, サ変接続, 形容動詞語幹, …)
    kNounSuffix,          // 名詞,接尾 (性, 化, 的): part of the compound before it
    kPersonSuffix,        // 名詞,接尾,人名 (さん, 氏, 君): an honorific
    kNounNonIndependent,  // 名詞,非自立 (こと, もの, ため)
    kPronoun,             // 名詞,代名詞 (これ, 何)
    kNumber,              // 名詞,数
    kPrefix,              // 接頭詞 (非, 超): part of the compound after it
    kVerb,                // 動詞
    kAdjective,           // 形容詞
    kFunction,            // 助詞, 助動詞
    kSymbol,              // 記号
    kOther,               // 副詞, 連体詞, 接続詞, 感動詞, フィラー, unknown tags
  };
  Pos pos = Pos::kOther;
  // Verbs and adjectives only: the dictionary form (知り → 知る).
  std::string base_form;
};

class Segmenter {
 public:
  // `base` selects the system-dictionary-only model (see base_model()).
  explicit Segmenter(std::shared_ptr<MecabModel> model, bool base = false);
  ~Segmenter();
  Segmenter(const Segmenter&) = delete;
  Segmenter& operator=(const Segmenter&) = delete;

  // Segments `text` (already normalized). Not thread-safe.
  std::vector<Morpheme> Segment(std::string_view text);

 private:
  std::shared_ptr<MecabModel> model_;
  MeCab::Tagger* tagger_;
  MeCab::Lattice* lattice_;
};

}  // namespace talksearch

#endif  // TALKSEARCH_SEGMENTER_H_
