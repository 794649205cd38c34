#include "talksearch/matched_terms.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "talksearch/normalizer.h"
#include "talksearch/schema.h"
#include "talksearch/term_mapper.h"

namespace talksearch {

std::map<Xapian::docid, std::vector<MatchedTerm>> MatchedTermsFinder::Find(
    const std::vector<Xapian::docid>& page, const BuiltQuery& built,
    const std::map<Xapian::docid, std::set<std::string>>& via) {
  // The query's terms by kind, then by what they stand for: a talk matched a
  // kind and form when it has any of the form's terms (a word in any field,
  // each bigram).
  using Origin = std::pair<std::string, size_t>;  // form, concept
  std::map<std::string, std::map<Origin, std::vector<std::string>>> kinds;
  for (const auto& [term, kind] : built.term_via) {
    auto origin = built.term_origin.find(term);
    if (origin == built.term_origin.end()) continue;
    kinds[kind][{origin->second.form, origin->second.concept}].push_back(term);
  }
  std::map<Xapian::docid, std::vector<MatchedTerm>> matched;
  auto add = [&matched](Xapian::docid d, const std::string& kind, const std::string& form) {
    if (form.empty()) return;
    std::vector<MatchedTerm>& list = matched[d];
    MatchedTerm m{kind, form};
    if (std::find(list.begin(), list.end(), m) == list.end()) list.push_back(std::move(m));
  };
  for (const auto& [kind, origins] : kinds) {
    // The talks that matched this way (MatchedVia): with one form of the
    // kind, those are the talks that have it, and nothing is looked up.
    std::vector<Xapian::docid> docs;
    for (Xapian::docid d : page) {
      auto how = via.find(d);
      if (how != via.end() && how->second.count(kind)) docs.push_back(d);
    }
    std::sort(docs.begin(), docs.end());
    for (const auto& [origin, terms] : origins) {
      const std::vector<Xapian::docid> having = origins.size() == 1 ? docs : HavingAny(docs, terms);
      if (origin.second == Glossary::kNoConcept) {
        for (Xapian::docid d : having) add(d, kind, origin.first);
      } else if (kind == "related") {
        for (const auto& [d, concept] : NamedConcepts(having, origin.second)) {
          add(d, kind, FormInTalk(d, concept));
        }
      } else {
        for (Xapian::docid d : having) add(d, kind, FormInTalk(d, origin.second));
      }
    }
  }
  return matched;
}

std::vector<Xapian::docid> MatchedTermsFinder::HavingAny(const std::vector<Xapian::docid>& docids,
                                                         const std::vector<std::string>& terms) {
  const Xapian::Database& db = databases_.database();
  std::vector<Xapian::docid> having, lacking = docids, still_lacking;
  for (const std::string& term : terms) {
    if (lacking.empty()) break;
    still_lacking.clear();
    if (databases_.has_remote()) {  // a remote postlist comes whole: read termlists
      for (Xapian::docid d : lacking) {
        Xapian::TermIterator t = db.termlist_begin(d);
        t.skip_to(term);
        (t != db.termlist_end(d) && *t == term ? having : still_lacking).push_back(d);
      }
    } else {
      Xapian::PostingIterator posting = db.postlist_begin(term);
      const Xapian::PostingIterator postings_end = db.postlist_end(term);
      for (Xapian::docid d : lacking) {
        if (posting != postings_end) posting.skip_to(d);
        (posting != postings_end && *posting == d ? having : still_lacking).push_back(d);
      }
    }
    lacking.swap(still_lacking);
  }
  std::sort(having.begin(), having.end());
  return having;
}

std::map<Xapian::docid, size_t> MatchedTermsFinder::NamedConcepts(std::vector<Xapian::docid> docs,
                                                                  size_t concept) {
  std::map<Xapian::docid, size_t> named;
  if (!glossary_ || concept >= glossary_->concept_count()) return named;
  std::vector<size_t> candidates = glossary_->Narrower(concept, ConceptMatcher::kNarrowerDepth);
  const std::vector<size_t>& related = glossary_->Related(concept);
  candidates.insert(candidates.end(), related.begin(), related.end());
  // Each candidate's terms are looked up once for the talks not yet
  // explained: a broad concept has dozens of narrower ones.
  for (size_t c : candidates) {
    if (docs.empty()) break;
    // Related terms come from the concepts of titles and abstracts only;
    // most narrower concepts no talk names (HasTerm remembers).
    std::vector<std::string> terms;
    for (TextFieldId id : {TextFieldId::kTitle, TextFieldId::kAbstract}) {
      std::string term = ConceptTerm(GetTextField(id), ConceptLink::kSelf, *glossary_, c);
      if (!term.empty() && snapshot_.HasTerm(term)) terms.push_back(std::move(term));
    }
    if (terms.empty()) continue;
    const std::vector<Xapian::docid> having = HavingAny(docs, terms);
    if (having.empty()) continue;
    std::vector<Xapian::docid> rest;
    std::set_difference(docs.begin(), docs.end(), having.begin(), having.end(),
                        std::back_inserter(rest));
    for (Xapian::docid d : having) named.emplace(d, c);
    docs.swap(rest);
  }
  return named;
}

std::string MatchedTermsFinder::FormInTalk(Xapian::docid doc, size_t concept) {
  if (!glossary_ || concept >= glossary_->concept_count()) return "";
  const std::vector<std::string>& forms = glossary_->concepts()[concept];
  const IndexSnapshot::HitTexts& texts = IndexSnapshot::HitTextsOf(snapshot_.Stored(doc));
  // The forms as a normalized text has them, made once per concept.
  std::vector<std::string>& needles = normalized_forms_[concept];
  if (needles.empty()) {
    for (const std::string& form : forms) needles.push_back(NormalizeForSearch(form).text());
  }
  for (size_t f = 0; f < forms.size() && f < needles.size(); ++f) {
    const std::string& needle = needles[f];
    if (needle.empty()) continue;
    if (texts.title.text().find(needle) != std::string::npos ||
        texts.body.text().find(needle) != std::string::npos) {
      return forms[f];
    }
  }
  return forms.empty() ? "" : forms.front();
}

}  // namespace talksearch
