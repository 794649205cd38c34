// The programs' command line and the configuration file they share: a
// setting in the file reads as its flag before the command line, a flag
// typed there wins, and a key a program does not take is skipped.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "talksearch/command_line.h"
#include "test_index.h"

namespace talksearch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ConfigFile, KeyValueLinesBecomeFlags) {
  EXPECT_THAT(ConfigFlags("# the server\n\ndb = /var/lib/talksearch/index\n"
                          "  glossary=/etc/talksearch/glossary.tsv  \nquiet = true\n",
                          "talksearch.conf"),
              ElementsAre("--db", "/var/lib/talksearch/index", "--glossary",
                          "/etc/talksearch/glossary.tsv", "--quiet", "true"));
}

TEST(ConfigFile, ALineThatIsNoSettingNamesFileAndLine) {
  for (const std::string bad : {"db /var/lib/index", "--db = x", "= x", "two words = x"}) {
    try {
      ConfigFlags("# ok\n" + bad + "\n", "talksearch.conf");
      ADD_FAILURE() << bad;
    } catch (const std::runtime_error& e) {
      EXPECT_THAT(e.what(), HasSubstr("talksearch.conf:2:")) << bad;
    }
  }
}

// What a program sees: (argument, from the file) in order, taking the
// value of --db and --port and leaving that of anything else.
std::vector<std::string> Read(std::vector<std::string> argv_strings) {
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  CommandLine args("test", static_cast<int>(argv.size()), argv.data());
  std::vector<std::string> seen;
  while (args.Next()) {
    std::string entry = (args.FromConfig() ? "file " : "cli ") + args.arg();
    if (args.arg() == "--db" || args.arg() == "--port") entry += "=" + args.Value();
    seen.push_back(entry);
  }
  return seen;
}

TEST(ConfigFile, SettingsComeBeforeTheCommandLineAndUnknownValuesAreSkipped) {
  const std::string config = testing::MakeTempDir("config") + "/talksearch.conf";
  std::ofstream(config) << "db = /srv/index\nstatic = /srv/static\nport = 8080\n";
  EXPECT_THAT(Read({"prog", "--config", config, "--port", "9090", "PINN"}),
              ElementsAre("file --db=/srv/index", "file --static", "file --port=8080",
                          "cli --port=9090", "cli PINN"));
  // "none" reads no file at all.
  EXPECT_THAT(Read({"prog", "--config", "none", "PINN"}), ElementsAre("cli PINN"));
}

TEST(ConfigFile, AnUnreadableConfigurationIsAUsageError) {
  EXPECT_EXIT(Read({"prog", "--config", "/nonexistent/talksearch.conf"}),
              ::testing::ExitedWithCode(2), "cannot read /nonexistent/talksearch.conf");
}

}  // namespace
}  // namespace talksearch
