#include "talksearch/glossary.h"

#include "talksearch/text_lines.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace talksearch {

std::string Glossary::DefaultPath() { return TALKSEARCH_GLOSSARY_PATH; }

std::string Glossary::Key(std::string_view text, Analyzer& analyzer) {
  std::string key;
  for (const Token& t : analyzer.Analyze(text)) {
    if (t.kind != TermKind::kWord) continue;
    if (!key.empty()) key += '\x1f';  // keeps "ab c" and "a bc" apart
    key += t.term;
  }
  return key;
}

std::shared_ptr<const Glossary> Glossary::Parse(std::string_view text,
                                                const std::string& file_name,
                                                Analyzer& analyzer) {
  auto glossary = std::make_shared<Glossary>();
  ForEachDataLine(text, [&](std::string_view data, int number) {
    const std::string line(data);
    auto fail = [&](const std::string& why) {
      throw std::runtime_error(file_name + ":" + std::to_string(number) + ": " + why);
    };
    std::vector<std::string> forms;
    std::istringstream fields(line);
    std::string form;
    while (std::getline(fields, form, '\t')) {
      if (form.find_first_not_of(' ') == std::string::npos) continue;
      forms.push_back(form);
    }
    if (forms.size() < 2) fail("a concept needs at least two forms separated by TABs");
    const size_t index = glossary->concepts_.size();
    for (const std::string& f : forms) {
      const std::string key = Key(f, analyzer);
      if (key.empty()) fail("form '" + f + "' has no searchable words");
      auto [it, inserted] = glossary->concept_by_key_.emplace(key, index);
      if (!inserted && it->second != index) {
        fail("form '" + f + "' is also a form of the concept '" +
             glossary->concepts_[it->second].front() + "'");
      }
      size_t words = 1;
      for (char c : f) words += c == ' ';
      glossary->max_form_words_ = std::max(glossary->max_form_words_, words);
    }
    glossary->concepts_.push_back(std::move(forms));
  });
  return glossary;
}

std::shared_ptr<const Glossary> Glossary::Load(const std::string& path, Analyzer& analyzer) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read glossary " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return Parse(buffer.str(), path, analyzer);
}

std::shared_ptr<const Glossary> Glossary::LoadUnlessNone(const std::string& path,
                                                         std::shared_ptr<MecabModel> model) {
  if (path.empty() || path == "none") return nullptr;
  Analyzer analyzer(std::move(model));
  return Load(path, analyzer);
}

std::string DefaultUserDictionarySource() { return TALKSEARCH_USERDIC_SOURCE; }

std::vector<std::string> TermsMecabSplits(const std::vector<std::string>& terms,
                                          Analyzer& analyzer) {
  std::vector<std::string> split;
  for (const std::string& term : terms) {
    if (term.find(' ') != std::string::npos) continue;
    size_t words = 0;
    bool has_cjk = false;
    for (const Token& t : analyzer.Analyze(term)) {
      if (t.kind == TermKind::kWord) ++words;
      if (t.kind == TermKind::kBigram) has_cjk = true;
    }
    if (has_cjk && words > 1) split.push_back(term);
  }
  return split;
}

std::vector<std::string> DomainTerms(const Glossary& glossary, const std::string& userdic_tsv) {
  std::vector<std::string> terms;
  for (const auto& forms : glossary.concepts()) {
    for (const std::string& f : forms) terms.push_back(f);
  }
  std::ifstream in(userdic_tsv);
  std::stringstream buffer;
  buffer << in.rdbuf();
  ForEachDataLine(buffer.str(), [&terms](std::string_view line, int) {
    terms.emplace_back(line.substr(0, line.find('\t')));
  });
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

const std::vector<std::string>* Glossary::Find(const std::string& key) const {
  auto it = concept_by_key_.find(key);
  return it == concept_by_key_.end() ? nullptr : &concepts_[it->second];
}

}  // namespace talksearch
