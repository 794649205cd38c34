#include "talksearch/command_line.h"

#include <cstdio>
#include <cstdlib>

namespace talksearch {

bool CommandLine::Next() {
  if (next_ >= argc_) return false;
  arg_ = argv_[next_++];
  return true;
}

std::string CommandLine::Value() {
  if (next_ >= argc_) {
    std::fprintf(stderr, "%s: %s needs a value\n", program_, arg_.c_str());
    std::exit(2);
  }
  return argv_[next_++];
}

void CommandLine::ReportUnknown() const {
  std::fprintf(stderr, "%s: unknown argument '%s'\n", program_, arg_.c_str());
}

bool AnalysisFlags::Take(CommandLine& args) {
  const std::string& flag = args.arg();
  if (flag == "--mecab-dict") mecab_dict = args.Value();
  else if (flag == "--mecab-userdic") mecab_userdic = args.Value();
  else if (flag == "--glossary") glossary = args.Value();
  else return false;
  return true;
}

}  // namespace talksearch
