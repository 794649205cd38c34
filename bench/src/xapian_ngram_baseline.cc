// The "Xapian CJK n-gram" baseline for bench/compare_relevance.sh: what a
// plain Xapian application gets on this corpus with TermGenerator and
// QueryParser in CJK n-gram mode, title x10 and speaker x5 (as wdf), the
// English stemmer and Xapian's default operator (OR).
//
//   xapian-ngram-baseline --talks talks.jsonl --db DIR --queries FILE... > rankings.tsv
//
// Prints "query<TAB>id<TAB>id…" (top 10) for every judged query.
#include <xapian.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "talksearch/relevance.h"

int main(int argc, char** argv) {
  std::string talks_file, db_dir;
  std::vector<std::string> query_files;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    if (arg == "--talks") talks_file = argv[i + 1];
    else if (arg == "--db") db_dir = argv[i + 1];
    else if (arg == "--queries") query_files.push_back(argv[i + 1]);
  }
  if (talks_file.empty() || db_dir.empty() || query_files.empty()) {
    std::cerr << "usage: xapian-ngram-baseline --talks FILE --db DIR --queries FILE...\n";
    return 2;
  }
  try {
    Xapian::WritableDatabase db(db_dir, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator generator;
    generator.set_stemmer(Xapian::Stem("english"));
    generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    std::ifstream in(talks_file);
    std::string line;
    while (std::getline(in, line)) {
      const nlohmann::json talk = nlohmann::json::parse(line);
      if (talk.value("collection", "talks") != "talks") continue;
      Xapian::Document doc;
      generator.set_document(doc);
      generator.index_text(talk.value("title", ""), 10);
      generator.increase_termpos();
      for (const auto& speaker : talk.value("speakers", nlohmann::json::array())) {
        generator.index_text(speaker.value("name", ""), 5);
        generator.increase_termpos();
      }
      generator.index_text(talk.value("abstract", ""));
      doc.set_data(talk.at("id").get<std::string>());
      db.add_document(doc);
    }
    db.commit();

    Xapian::QueryParser parser;
    parser.set_database(db);
    parser.set_stemmer(Xapian::Stem("english"));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    Xapian::Enquire enquire(db);
    for (const std::string& file : query_files) {
      for (const auto& judged : talksearch::LoadJudgedQueries(file)) {
        std::cout << judged.query;
        try {
          enquire.set_query(parser.parse_query(
              judged.query, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM));
          Xapian::MSet mset = enquire.get_mset(0, 10);
          for (auto it = mset.begin(); it != mset.end(); ++it) {
            std::cout << '\t' << it.get_document().get_data();
          }
        } catch (const Xapian::QueryParserError&) {
          // An unparseable query returns nothing, as the application would.
        }
        std::cout << '\n';
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "xapian-ngram-baseline: " << e.what() << "\n";
    return 1;
  } catch (const Xapian::Error& e) {
    std::cerr << "xapian-ngram-baseline: " << e.get_description() << "\n";
    return 1;
  }
  return 0;
}
