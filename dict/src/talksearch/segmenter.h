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

class MecabModel {
 public:
  // Opens the system dictionary in `dicdir`, plus an optional compiled user
  // dictionary. Throws std::runtime_error naming the directory on failure.
  static std::shared_ptr<MecabModel> Open(const std::string& dicdir,
                                          const std::string& userdic = "");
  ~MecabModel();
  MecabModel(const MecabModel&) = delete;
  MecabModel& operator=(const MecabModel&) = delete;

  MeCab::Model* model() const { return model_; }
  const std::string& dicdir() const { return dicdir_; }

 private:
  MecabModel(MeCab::Model* model, std::string dicdir)
      : model_(model), dicdir_(std::move(dicdir)) {}
  MeCab::Model* model_;
  std::string dicdir_;
};

// One word found by MeCab, as byte offsets into the segmented string.
struct Morpheme {
  size_t begin = 0;
  size_t end = 0;
  bool is_symbol = false;  // punctuation and other 記号: not indexed
  std::string reading;     // katakana reading when the dictionary has one
};

class Segmenter {
 public:
  explicit Segmenter(std::shared_ptr<MecabModel> model);
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
