// Reading a program's command line, for talks-index, talks-search,
// talks-server and talks-eval: one argument at a time, the error every one
// of them gives for a flag without its value, and the analysis flags they
// all take (MeCab's dictionaries and the glossary) with one help text.
//
// Not thread-safe; meant for main().
#ifndef TALKSEARCH_COMMAND_LINE_H_
#define TALKSEARCH_COMMAND_LINE_H_

#include <memory>
#include <string>

#include "talksearch/glossary.h"
#include "talksearch/segmenter.h"

namespace talksearch {

// The arguments of `program` (argv[1] on), read left to right.
class CommandLine {
 public:
  CommandLine(const char* program, int argc, char** argv)
      : program_(program), argc_(argc), argv_(argv) {}

  // Moves to the next argument; false when none is left.
  bool Next();

  // The current argument.
  const std::string& arg() const { return arg_; }

  // Whether the current argument asks for the usage (--help or -h).
  bool IsHelp() const { return arg_ == "--help" || arg_ == "-h"; }

  // The argument after the current flag, which it consumes. Without one,
  // prints "<program>: <flag> needs a value" to stderr and exits with
  // status 2 (a usage error, as every other).
  std::string Value();

  // Prints "<program>: unknown argument '<arg>'" to stderr.
  void ReportUnknown() const;

 private:
  const char* program_;
  int argc_;
  char** argv_;
  int next_ = 1;
  std::string arg_;
};

// The usage of the flags AnalysisFlags takes, for a program's usage text.
inline constexpr char kAnalysisFlagsUsage[] =
    "[--mecab-dict DIR] [--mecab-userdic FILE|none] [--glossary FILE|none]";

// How a program analyses text: MeCab's system and user dictionaries and the
// glossary ("none" for no user dictionary or no glossary). The defaults are
// the ones the build installed.
struct AnalysisFlags {
  std::string mecab_dict = DefaultMecabDictionary();
  std::string mecab_userdic = DefaultMecabUserDictionary();
  std::string glossary = Glossary::DefaultPath();

  // Takes the current argument (and its value) when it is --mecab-dict,
  // --mecab-userdic or --glossary; false, consuming nothing, for any other.
  bool Take(CommandLine& args);

  // MeCab with these dictionaries; throws std::runtime_error as
  // MecabModel::Open does.
  std::shared_ptr<MecabModel> OpenModel() const { return MecabModel::Open(mecab_dict, mecab_userdic); }

  // The glossary, or null for "none"; throws as Glossary::LoadUnlessNone.
  std::shared_ptr<const Glossary> LoadGlossary(const std::shared_ptr<MecabModel>& model) const {
    return Glossary::LoadUnlessNone(glossary, model);
  }
};

}  // namespace talksearch

#endif  // TALKSEARCH_COMMAND_LINE_H_
