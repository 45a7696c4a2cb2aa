// Internal to core/store: the workspace schema as forward migrations. Migration i (0-based) takes
// the database from user_version i to i + 1; each runs in one transaction with its version bump.
#pragma once

#include <string_view>
#include <vector>

namespace geih::store {

class Database;

const std::vector<std::string_view>& migrations();

// Applies the migrations after the database's user_version, up to `targetVersion`. Throws Corrupt
// when the database is newer than this build knows.
void migrate(Database& db, int targetVersion);

int readUserVersion(Database& db);

}  // namespace geih::store
