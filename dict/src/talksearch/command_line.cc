#include "talksearch/command_line.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace talksearch {
namespace {

std::string Trimmed(const std::string& s) {
  const size_t begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r") + 1 - begin);
}

}  // namespace

std::vector<std::string> ConfigFlags(const std::string& text, const std::string& file) {
  std::vector<std::string> flags;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    line = Trimmed(line);
    if (line.empty() || line[0] == '#') continue;
    const size_t equals = line.find('=');
    const std::string key = equals == std::string::npos ? "" : Trimmed(line.substr(0, equals));
    if (key.empty() || key[0] == '-' || key.find_first_of(" \t") != std::string::npos) {
      throw std::runtime_error(file + ":" + std::to_string(number) +
                               ": want \"key = value\" (a long option without --), not \"" +
                               line + "\"");
    }
    flags.push_back("--" + key);
    flags.push_back(Trimmed(line.substr(equals + 1)));
  }
  return flags;
}

CommandLine::CommandLine(const char* program, int argc, char** argv) : program_(program) {
  int first = 1;
  bool required = true;
  if (argc > 2 && std::string(argv[1]) == "--config") {
    config_path_ = argv[2];
    first = 3;
  } else if (const char* env = std::getenv("TALKSEARCH_CONFIG"); env && *env) {
    config_path_ = env;
  } else if (std::filesystem::exists(kDefaultConfigPath)) {
    config_path_ = kDefaultConfigPath;
    required = false;
  }
  if (!config_path_.empty() && config_path_ != "none") {
    std::ifstream in(config_path_);
    std::stringstream text;
    text << in.rdbuf();
    try {
      if (!in && required) throw std::runtime_error("cannot read " + config_path_);
      args_ = ConfigFlags(text.str(), config_path_);
    } catch (const std::runtime_error& e) {
      std::fprintf(stderr, "%s: configuration: %s\n", program_, e.what());
      std::exit(2);
    }
  } else {
    config_path_.clear();
  }
  config_count_ = args_.size();
  for (int i = first; i < argc; ++i) args_.push_back(argv[i]);
}

bool CommandLine::Next() {
  if (value_pending_) ++next_;  // the value of a configuration key not taken
  value_pending_ = false;
  if (next_ >= args_.size()) return false;
  from_config_ = next_ < config_count_;
  arg_ = args_[next_++];
  value_pending_ = from_config_;
  return true;
}

std::string CommandLine::Value() {
  value_pending_ = false;
  if (next_ >= args_.size()) {
    std::fprintf(stderr, "%s: %s needs a value\n", program_, arg_.c_str());
    std::exit(2);
  }
  return args_[next_++];
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
