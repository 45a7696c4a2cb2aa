#include "core/store/run_owner.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/common/time_util.h"
#include "core/store/database.h"

namespace geih::store {
namespace {

std::string hostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

// Field 22 of /proc/<pid>/stat (clock ticks since boot); empty when the process does not exist.
std::string startTimeOf(long pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!file || !std::getline(file, text)) return {};
  // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
  const std::size_t close = text.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream fields(text.substr(close + 1));
  std::string field;
  for (int index = 3; index <= 22 && fields >> field; ++index) {
    if (index == 22) return field;
  }
  return {};
}

}  // namespace

std::string currentOwner() {
  const long pid = long(::getpid());
  return hostName() + ":" + std::to_string(pid) + ":" + startTimeOf(pid);
}

bool ownerIsGone(const std::string& owner) {
  const std::size_t second = owner.rfind(':');
  const std::size_t first = second == std::string::npos ? std::string::npos
                                                        : owner.rfind(':', second - 1);
  if (first == std::string::npos || owner.substr(0, first) != hostName()) return false;
  long pid = 0;
  try {
    pid = std::stol(owner.substr(first + 1, second - first - 1));
  } catch (const std::exception&) {
    return false;
  }
  if (pid <= 0) return false;
  if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH) return true;
  // The pid exists: it is the owner only if it started when the owner did.
  const std::string started = startTimeOf(pid);
  return !started.empty() && started != owner.substr(second + 1);
}

int failAbandonedRuns(Database& db) {
  std::vector<std::pair<std::string, std::string>> running;
  {
    Statement select =
        db.prepare("SELECT id, owner FROM runs WHERE status = 'RUNNING' AND owner != ''");
    while (select.step()) running.emplace_back(select.text(0), select.text(1));
  }
  int failed = 0;
  for (const auto& [runId, owner] : running) {
    if (!ownerIsGone(owner)) continue;
    Transaction transaction(db);
    Statement update = db.prepare(
        "UPDATE runs SET status = 'FAILED', end_ms = ? WHERE id = ? AND status = 'RUNNING'");
    update.bind(1, nowMillis()).bind(2, runId).run();
    if (db.changes() > 0) {
      db.prepare("INSERT OR REPLACE INTO tags (run_id, key, value) VALUES (?, 'geih.failure', ?)")
          .bind(1, runId)
          .bind(2, "the process " + owner + " ended without finishing the run")
          .run();
      ++failed;
    }
    transaction.commit();
  }
  return failed;
}

}  // namespace geih::store
