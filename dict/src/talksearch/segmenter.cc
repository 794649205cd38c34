#include "talksearch/segmenter.h"

#include "talksearch/stable_hash.h"

#include <mecab.h>

#include <fstream>
#include <stdexcept>

namespace talksearch {

std::string DefaultMecabDictionary() { return TALKSEARCH_MECAB_DICDIR; }
std::string DefaultMecabUserDictionary() { return TALKSEARCH_USERDIC_PATH; }

namespace {

std::string FileHash(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read MeCab user dictionary '" + path + "'");
  StableHash hash;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    hash.Add(std::string_view(buffer, static_cast<size_t>(in.gcount())));
  }
  return hash.Hex();
}

}  // namespace

std::shared_ptr<MecabModel> MecabModel::Open(const std::string& dicdir,
                                             const std::string& userdic) {
  std::string args = "-d " + dicdir;
  std::string identity = "mecab:" + dicdir;
  if (!userdic.empty() && userdic != "none") {
    args += " -u " + userdic;
    identity += ";userdic:" + FileHash(userdic);
  }
  MeCab::Model* model = MeCab::createModel(args.c_str());
  if (model == nullptr) {
    throw std::runtime_error("cannot open MeCab dictionary '" + dicdir + "' (" + args +
                             "): " + MeCab::getLastError());
  }
  MeCab::Model* base = nullptr;
  if (!userdic.empty() && userdic != "none") {
    base = MeCab::createModel(("-d " + dicdir).c_str());
    if (base == nullptr) {
      delete model;
      throw std::runtime_error("cannot open MeCab dictionary '" + dicdir +
                               "': " + MeCab::getLastError());
    }
  }
  return std::shared_ptr<MecabModel>(new MecabModel(model, base, dicdir, identity));
}

MecabModel::~MecabModel() {
  delete base_model_;
  delete model_;
}

Segmenter::Segmenter(std::shared_ptr<MecabModel> model, bool base)
    : model_(std::move(model)),
      tagger_((base ? model_->base_model() : model_->model())->createTagger()),
      lattice_((base ? model_->base_model() : model_->model())->createLattice()) {
  if (tagger_ == nullptr || lattice_ == nullptr) {
    throw std::runtime_error("cannot create MeCab tagger: " +
                             std::string(MeCab::getLastError()));
  }
}

Segmenter::~Segmenter() {
  delete lattice_;
  delete tagger_;
}

namespace {

// Returns field `index` of MeCab's comma-separated feature string.
std::string_view FeatureField(const char* feature, int index) {
  std::string_view f(feature);
  for (int i = 0; i < index; ++i) {
    size_t comma = f.find(',');
    if (comma == std::string_view::npos) return {};
    f.remove_prefix(comma + 1);
  }
  return f.substr(0, f.find(','));
}

Morpheme::Pos PosOf(std::string_view pos, std::string_view detail, std::string_view detail2) {
  using Pos = Morpheme::Pos;
  if (pos == "名詞") {
    if (detail == "接尾") return detail2 == "人名" ? Pos::kPersonSuffix : Pos::kNounSuffix;
    if (detail == "非自立") return Pos::kNounNonIndependent;
    if (detail == "代名詞") return Pos::kPronoun;
    if (detail == "数") return Pos::kNumber;
    return Pos::kNoun;
  }
  if (pos == "接頭詞") return Pos::kPrefix;
  if (pos == "動詞") return Pos::kVerb;
  if (pos == "形容詞") return Pos::kAdjective;
  if (pos == "助詞" || pos == "助動詞") return Pos::kFunction;
  if (pos == "記号") return Pos::kSymbol;
  return Pos::kOther;
}

}  // namespace

std::vector<Morpheme> Segmenter::Segment(std::string_view text) {
  std::vector<Morpheme> out;
  if (text.empty()) return out;
  lattice_->set_sentence(text.data(), text.size());
  if (!tagger_->parse(lattice_)) {
    throw std::runtime_error(std::string("MeCab parse failed: ") +
                             lattice_->what());
  }
  for (const MeCab::Node* node = lattice_->bos_node(); node; node = node->next) {
    if (node->stat == MECAB_BOS_NODE || node->stat == MECAB_EOS_NODE) continue;
    if (node->length == 0) continue;
    Morpheme m;
    m.begin = static_cast<size_t>(node->surface - text.data());
    m.end = m.begin + node->length;  // surface is not NUL-terminated
    const std::string_view part_of_speech = FeatureField(node->feature, 0);
    m.is_symbol = part_of_speech == "記号";
    m.is_function_word = part_of_speech == "助詞" || part_of_speech == "助動詞";
    // ipadic: 品詞,細分類1,細分類2,細分類3,活用型,活用形,原形,読み,発音
    std::string_view reading = FeatureField(node->feature, 7);
    if (!reading.empty() && reading != "*") m.reading = std::string(reading);
    m.pos = PosOf(part_of_speech, FeatureField(node->feature, 1), FeatureField(node->feature, 2));
    if (m.pos == Morpheme::Pos::kVerb || m.pos == Morpheme::Pos::kAdjective) {
      const std::string_view base = FeatureField(node->feature, 6);
      if (!base.empty() && base != "*") m.base_form = std::string(base);
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace talksearch
