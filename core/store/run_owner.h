// Which process a RUNNING run belongs to, so a run whose process died (kill -9, power loss) is
// marked FAILED the next time any process opens the workspace, instead of RUNNING forever.
//
// The owner is recorded in runs.owner as "<host>:<pid>:<process start time>" (the start time,
// from /proc, tells a dead process from a new one that reuses its pid). Only runs owned on this
// host can be judged; others, and runs without an owner (imported ones), are left alone.
#pragma once

#include <string>

namespace geih::store {

class Database;

// "<host>:<pid>:<start time>" of the calling process.
std::string currentOwner();

// True when `owner` names a process on this host that no longer runs.
bool ownerIsGone(const std::string& owner);

// Marks RUNNING runs whose owner is gone as FAILED (end time now, tag geih.failure saying why).
// Returns how many. Safe to run from several processes at once.
int failAbandonedRuns(Database& db);

}  // namespace geih::store
