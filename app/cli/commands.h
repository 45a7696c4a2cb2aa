// One function per `geih` subcommand, each in its own file; main.cpp wires them to the app.
// A command's callback throws geih::Error subclasses for bad input; main maps them to exit codes.
#pragma once

#include <CLI/CLI.hpp>

namespace geih::cli {

void addDemoCommand(CLI::App& app);
void addDataCommand(CLI::App& app);
void addTrainCommand(CLI::App& app);
void addRunsCommand(CLI::App& app);
// delete/restore/purge/rename/note/tag/compare under `geih runs` (runs_lifecycle_command.cpp).
void addRunLifecycleCommands(CLI::App* runs);
void addEvalCommand(CLI::App& app);
void addModelsCommand(CLI::App& app);
void addDriftCommand(CLI::App& app);
void addScoreRasterCommand(CLI::App& app);
void addRasterCommand(CLI::App& app);
// aggregate/fire-index/evaluate under `geih raster` (raster_climate_command.cpp).
void addRasterClimateCommands(CLI::App* raster);
// drift under `geih raster` (raster_drift_command.cpp).
void addRasterDriftCommand(CLI::App* raster);
void addMlflowCommand(CLI::App& app);
void addMonitorCommand(CLI::App& app);
void addReportCommand(CLI::App& app);

}  // namespace geih::cli
