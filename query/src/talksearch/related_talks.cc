#include "talksearch/related_talks.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <utility>

#include "talksearch/schema.h"
#include "talksearch/snippet.h"
#include "talksearch/term_mapper.h"

namespace talksearch {
namespace {

// Relevance feedback keeps words of titles and abstracts only: not bigrams,
// readings, names or filter terms.
class ContentWordDecider : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    const std::string_view title = GetTextField(TextFieldId::kTitle).word_prefix;
    if (term.compare(0, title.size(), title) == 0 && term.size() > title.size() &&
        !std::isupper(static_cast<unsigned char>(term[title.size()]))) {
      return true;
    }
    // Abstract words are unprefixed; every prefix starts with a capital.
    return !term.empty() && !std::isupper(static_cast<unsigned char>(term[0])) &&
           term.size() > 1 && !std::isdigit(static_cast<unsigned char>(term[0]));
  }
};

constexpr Xapian::termcount kRelatedTerms = 25;

// Weighted words of a stored talk, for an index without termlists for
// Xapian's expansion to read (Termlists::kDrop).
std::vector<Xapian::Query> TermsOfStoredTalk(const Xapian::Database& db,
                                             IndexSnapshot& snapshot, Analyzer& analyzer,
                                             Xapian::docid doc) {
  // The words Xapian's expansion would pick from the talk's termlist, from
  // its stored title and abstract analysed again, each weighted by
  // (1 + log wdf) × idf.
  const Talk& talk = snapshot.StoredTalk(doc);
  std::map<std::string, Xapian::termcount> wdf;
  const ContentWordDecider decider;
  for (const auto& [field, text] : {std::pair{TextFieldId::kTitle, &talk.title},
                                    std::pair{TextFieldId::kAbstract, &talk.abstract}}) {
    for (const Token& t : analyzer.Analyze(*text)) {
      if (t.kind != TermKind::kWord) continue;
      std::string term = FieldTerm(GetTextField(field), t);
      if (decider(term)) ++wdf[std::move(term)];
    }
  }
  const double talks = db.get_doccount();
  std::vector<std::pair<double, std::string>> scored;
  for (const auto& [term, count] : wdf) {
    const Xapian::doccount with = db.get_termfreq(term);
    if (with == 0) continue;
    scored.emplace_back((1 + std::log(count)) * std::log(talks / with), term);
  }
  const size_t kept = std::min<size_t>(scored.size(), kRelatedTerms);
  std::partial_sort(scored.begin(), scored.begin() + kept, scored.end(), std::greater<>());
  std::vector<Xapian::Query> terms;
  for (size_t i = 0; i < kept; ++i) {
    terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(scored[i].second),
                       scored[i].first);
  }
  return terms;
}

}  // namespace

std::optional<std::vector<SearchHit>> RelatedTalks(const Xapian::Database& db,
                                                   IndexSnapshot& snapshot, Analyzer& analyzer,
                                                   const std::string& id, size_t limit) {
  snapshot.ForgetOtherRevisions();  // StoredTalk's, as for a search
  const std::string id_term = IdTerm(id);
  Xapian::PostingIterator p = db.postlist_begin(id_term);
  if (p == db.postlist_end(id_term)) return std::nullopt;
  Xapian::RSet rset;
  rset.add_document(*p);
  Xapian::Enquire enquire(db);
  ContentWordDecider decider;
  std::vector<Xapian::Query> terms;
  try {
    Xapian::ESet eset = enquire.get_eset(kRelatedTerms, rset, &decider);
    for (auto t = eset.begin(); t != eset.end(); ++t) {
      terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*t), t.get_weight());
    }
  } catch (const Xapian::FeatureUnavailableError&) {  // built without termlists
    terms = TermsOfStoredTalk(db, snapshot, analyzer, *p);
  }
  std::vector<SearchHit> hits;
  if (terms.empty()) return hits;
  Xapian::Query query(Xapian::Query::OP_OR, terms.begin(), terms.end());
  query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query(id_term));
  query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                        Xapian::Query(DefaultCollectionTerm()));
  enquire.set_query(query);
  Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    SearchHit hit;
    hit.talk = snapshot.StoredTalk(*it);
    hit.score = it.get_weight();
    hit.snippet = MakeSnippet(hit.talk.abstract, {}, {});
    hit.title_html = HtmlEscape(hit.talk.title);
    hit.speaker_html = HtmlEscape(hit.talk.SpeakerNames());
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace talksearch
