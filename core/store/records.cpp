#include "core/store/records.h"

#include "core/common/error.h"

namespace geih::store {

const char* runStatusName(RunStatus status) {
  switch (status) {
    case RunStatus::Running: return "RUNNING";
    case RunStatus::Finished: return "FINISHED";
    case RunStatus::Failed: return "FAILED";
    case RunStatus::Killed: return "KILLED";
  }
  return "RUNNING";
}

RunStatus runStatusFromName(const std::string& name) {
  if (name == "RUNNING") return RunStatus::Running;
  if (name == "FINISHED") return RunStatus::Finished;
  if (name == "FAILED") return RunStatus::Failed;
  if (name == "KILLED") return RunStatus::Killed;
  throw InputError("unknown run status '" + name + "' (expected RUNNING, FINISHED, FAILED or KILLED)");
}

}  // namespace geih::store
