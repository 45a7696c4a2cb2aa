// geih: the headless command line of GEIH Workbench.
// Exit codes (DESIGN.md): 0 ok; 2 bad input (message names the file, line, field or id);
// 3 a promotion refused by its gates; 1 internal error; 130 cancelled.
#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/store/registry.h"

namespace {
constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitRefused = 3;  // a promotion refused by its gates
constexpr int kExitCancelled = 130;
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"GEIH Workbench command line: datasets, training, experiment tracking, model registry, evaluation.",
               "geih"};
  app.set_version_flag("--version", "geih 0.1.0");
  app.require_subcommand(1);
  // A write past the file-size limit (ulimit -f) fails with EFBIG, reported and cleaned up like a
  // full disk, instead of the signal killing the process with its temporaries left behind.
  std::signal(SIGXFSZ, SIG_IGN);
  geih::cli::addDemoCommand(app);
  geih::cli::addDataCommand(app);
  geih::cli::addTrainCommand(app);
  geih::cli::addRunsCommand(app);
  geih::cli::addEvalCommand(app);
  geih::cli::addModelsCommand(app);
  geih::cli::addDriftCommand(app);
  geih::cli::addScoreRasterCommand(app);
  geih::cli::addRasterCommand(app);
  geih::cli::addMonitorCommand(app);
  geih::cli::addReportCommand(app);
  geih::cli::addMlflowCommand(app);

  try {
    app.parse(argc, argv);
    return kExitOk;
  } catch (const CLI::Success& success) {
    return app.exit(success);  // --help, --version
  } catch (const CLI::ParseError& error) {
    std::cerr << "geih: " << error.what() << "\nRun 'geih --help' (or 'geih COMMAND --help').\n";
    return kExitBadInput;
  } catch (const geih::Cancelled&) {
    std::cerr << "geih: cancelled\n";
    return kExitCancelled;
  } catch (const geih::store::GateRefused& refused) {
    std::cerr << "geih: " << refused.what() << '\n';
    return kExitRefused;
  } catch (const geih::Error& error) {
    std::cerr << "geih: error: " << error.what() << '\n';
    return kExitBadInput;
  } catch (const std::exception& error) {
    std::cerr << "geih: internal error: " << error.what() << '\n';
    return kExitInternal;
  }
}
