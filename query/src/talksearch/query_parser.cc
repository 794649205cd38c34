#include "talksearch/query_parser.h"

#include <algorithm>

namespace talksearch {
namespace {

// Characters that separate words, and full-width forms of the syntax.
constexpr std::string_view kSpaces[] = {" ", "\t", "\n", "\r", "\u3000"};
constexpr std::string_view kQuotes[] = {"\"", "\u201c", "\u201d", "\uff02"};
constexpr std::string_view kColons[] = {":", "\uff1a"};
constexpr std::string_view kMinuses[] = {"-", "\uff0d"};

template <size_t N>
size_t MatchAny(std::string_view s, size_t pos, const std::string_view (&set)[N]) {
  for (std::string_view m : set) {
    if (s.substr(pos, m.size()) == m) return m.size();
  }
  return 0;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

struct RawItem {
  bool negated = false;
  std::string field;  // lowercase, empty if none
  std::string text;
  bool is_phrase = false;
  bool is_or = false;
  size_t field_begin = 0, text_begin = 0, text_end = 0;  // in the input
};

std::vector<RawItem> Tokenize(std::string_view in) {
  std::vector<RawItem> items;
  size_t i = 0;
  while (i < in.size()) {
    if (size_t n = MatchAny(in, i, kSpaces)) {
      i += n;
      continue;
    }
    RawItem item;
    const size_t item_start = i;
    if (size_t n = MatchAny(in, i, kMinuses)) {
      item.negated = true;
      i += n;
    }
    // Optional "field:" — letters only, followed by a colon.
    item.field_begin = i;
    size_t j = i;
    while (j < in.size() && std::isalpha(static_cast<unsigned char>(in[j]))) ++j;
    if (j > i && j < in.size()) {
      if (size_t n = MatchAny(in, j, kColons)) {
        item.field = Lower(std::string(in.substr(i, j - i)));
        i = j + n;
      }
    }
    if (size_t n = MatchAny(in, i, kQuotes)) {
      i += n;
      size_t close = std::string_view::npos, close_len = 0;
      for (size_t k = i; k < in.size(); ++k) {
        if (size_t m = MatchAny(in, k, kQuotes)) {
          close = k;
          close_len = m;
          break;
        }
      }
      if (close == std::string_view::npos) {
        // Counted in characters, not bytes ("拡散" is 2, not 6).
        size_t characters = 0;
        for (size_t b = 0; b < item_start; ++b) {
          characters += (static_cast<unsigned char>(in[b]) & 0xC0) != 0x80;
        }
        throw QueryError("bad_query", "unbalanced quote: a phrase opened at character " +
                                          std::to_string(characters + 1) + " is not closed");
      }
      item.text = std::string(in.substr(i, close - i));
      item.text_begin = i;
      item.text_end = close;
      item.is_phrase = true;
      i = close + close_len;
    } else {
      size_t k = i;
      while (k < in.size() && !MatchAny(in, k, kSpaces) && !MatchAny(in, k, kQuotes)) ++k;
      item.text = std::string(in.substr(i, k - i));
      item.text_begin = i;
      item.text_end = k;
      i = k;
      if (item.text.empty() && item.field.empty() && !item.negated) continue;
      // Full-width ＯＲ too, as typed with a Japanese input method.
      item.is_or = !item.negated && item.field.empty() && (item.text == "OR" || item.text == "ＯＲ");
    }
    items.push_back(std::move(item));
  }
  return items;
}

std::optional<TextFieldId> TextFieldNamed(const std::string& name) {
  for (const TextField& f : kTextFields) {
    if (f.name == name) return f.id;
  }
  return std::nullopt;
}

}  // namespace

ParsedQuery ParseQuery(std::string_view input) {
  ParsedQuery parsed;
  std::vector<RawItem> items = Tokenize(input);
  if (items.size() > kMaxQueryClauses) {
    throw QueryError("bad_query", "the query has " + std::to_string(items.size()) +
                                      " words and filters; at most " +
                                      std::to_string(kMaxQueryClauses) + " are searched");
  }
  bool join_with_previous = false;
  for (size_t idx = 0; idx < items.size(); ++idx) {
    RawItem& item = items[idx];
    if (item.is_or) {
      join_with_previous = !parsed.groups.empty();
      continue;
    }
    // A "name:" that is not a known field is just text ("arXiv:2307.00721").
    std::optional<TextFieldId> text_field;
    const FilterField* filter = nullptr;
    std::string filter_term;
    if (!item.field.empty()) {
      text_field = TextFieldNamed(item.field);
      if (!text_field) filter = FilterNamedInQuery(item.field);
      const std::string value = Lower(item.text);
      if (text_field) {
        // handled below as text
      } else if (filter) {
        if (filter->facet == FacetField::kCollection && value == kAllCollections) {
          if (item.negated) {
            throw QueryError("bad_query", "-collection:all would exclude everything; exclude one "
                                          "collection (-collection:papers) instead");
          }
          parsed.all_collections = true;
          continue;
        }
        if (!IsFilterValue(*filter, value)) {
          throw QueryError("bad_query", FilterValueError(filter->query_error, item.text));
        }
        filter_term = FilterTerm(*filter, value);
      } else {
        item.text = item.field + ":" + item.text;  // not a field after all
        item.text_begin = item.field_begin;
      }
    }
    if (filter) {
      if (item.negated) {
        parsed.excluded_filters.push_back(filter_term);
      } else {
        parsed.filters[std::string(filter->prefix)].push_back(filter_term);
      }
      join_with_previous = false;
      continue;
    }
    if (item.text.empty()) continue;
    TextClause clause{item.text, item.is_phrase, text_field, item.text_begin, item.text_end};
    if (item.negated) {
      parsed.excluded.push_back(std::move(clause));
    } else if (join_with_previous) {
      parsed.groups.back().push_back(std::move(clause));
    } else {
      parsed.groups.push_back({std::move(clause)});
    }
    join_with_previous = false;
  }
  return parsed;
}

}  // namespace talksearch
