// Reading a program's command line, for talks-index, talks-search,
// talks-server and talks-eval: one argument at a time, the error every one
// of them gives for a flag without its value, and the analysis flags they
// all take (MeCab's dictionaries and the glossary) with one help text.
//
// The configuration file (kDefaultConfigPath, or TALKSEARCH_CONFIG, or
// --config FILE as the first argument) gives flags for every program: a
// line "db = /var/lib/talksearch/index" reads as "--db /var/lib/…" before
// the command line, so the service and a maintainer's talks-index use the
// same index, dictionaries and glossary with no flags, and a flag typed on
// the command line wins. A key a program does not take is skipped for it
// (talks-index has no --port), so one file serves all four.
//
// Not thread-safe; meant for main().
#ifndef TALKSEARCH_COMMAND_LINE_H_
#define TALKSEARCH_COMMAND_LINE_H_

#include <memory>
#include <string>
#include <vector>

#include "talksearch/glossary.h"
#include "talksearch/segmenter.h"

namespace talksearch {

inline constexpr char kDefaultConfigPath[] = "/etc/talksearch/talksearch.conf";

// The flags of a configuration file's text, in order: "key = value" lines
// become "--key", "value"; blank lines and lines starting with '#' are
// skipped. Throws std::runtime_error naming `file` and the line for a line
// that is neither.
std::vector<std::string> ConfigFlags(const std::string& text, const std::string& file);

// The arguments of `program`: the configuration file's flags, then argv[1]
// on, read left to right. Exits with status 2 (a usage error) when the
// configuration file named by --config or TALKSEARCH_CONFIG cannot be read
// or has a bad line; the default file is read only when it exists.
class CommandLine {
 public:
  CommandLine(const char* program, int argc, char** argv);

  // Moves to the next argument; false when none is left. A configuration
  // value the program did not take (an option it does not have) is skipped.
  bool Next();

  // The current argument.
  const std::string& arg() const { return arg_; }

  // Whether the current argument comes from the configuration file; a
  // program skips those it does not know instead of failing on them.
  bool FromConfig() const { return from_config_; }

  // The configuration file read, or "" for none.
  const std::string& config_path() const { return config_path_; }

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
  std::vector<std::string> args_;
  size_t config_count_ = 0;  // args_[0, config_count_) come from the file
  size_t next_ = 0;
  std::string arg_;
  bool from_config_ = false;
  bool value_pending_ = false;  // a configuration key whose value is unread
  std::string config_path_;
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
