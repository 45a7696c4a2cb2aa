// Internal to core/store: helpers shared by the workspace_*.cpp files.
#pragma once

#include <string>

namespace geih::store {

class Database;

// Throws NotFound("run '<id>' not found") unless the run exists.
void requireRun(Database& db, const std::string& runId);

}  // namespace geih::store
