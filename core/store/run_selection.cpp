#include "core/store/run_selection.h"

#include <cstdint>
#include <functional>
#include <string_view>
#include <variant>

namespace geih::store {
namespace {

// Run id -> rowid, for turning the run ids the value tables hold into bit positions. Open
// addressing over one buffer of id text: 100k runs cost two allocations, not 200k.
class RunIdMap {
 public:
  explicit RunIdMap(std::size_t expected) {
    std::size_t capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    m_slots.assign(capacity, kEmpty);
    m_entries.reserve(expected);
    m_text.reserve(expected * 32);
  }

  void insert(std::string_view id, std::int64_t rowid) {
    if ((m_entries.size() + 1) * 2 > m_slots.size()) grow();
    const std::uint32_t entry = std::uint32_t(m_entries.size());
    m_entries.push_back({m_text.size(), id.size(), rowid});
    m_text.append(id);
    place(entry, std::hash<std::string_view>{}(id));
  }

  // -1 when the id is not a run's.
  std::int64_t find(std::string_view id) const {
    const std::size_t hash = std::hash<std::string_view>{}(id);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
      const std::uint64_t value = m_slots[slot];
      if (value == kEmpty) return -1;
      const auto entry = std::uint32_t(value);
      if (value >> 32 == tagOf(hash) && idOf(entry) == id) return m_entries[entry].rowid;
    }
  }

 private:
  struct Entry {
    std::size_t offset;
    std::size_t length;
    std::int64_t rowid;
  };
  // A slot holds an entry index and 32 bits of its hash, so most mismatches skip the text.
  static constexpr std::uint64_t kEmpty = UINT64_MAX;
  static std::uint64_t tagOf(std::size_t hash) { return std::uint64_t(hash) >> 32; }

  std::string_view idOf(std::uint32_t entry) const {
    return std::string_view(m_text).substr(m_entries[entry].offset, m_entries[entry].length);
  }
  void place(std::uint32_t entry, std::size_t hash) {
    const std::size_t mask = m_slots.size() - 1;
    std::size_t slot = hash & mask;
    while (m_slots[slot] != kEmpty) slot = (slot + 1) & mask;
    m_slots[slot] = tagOf(hash) << 32 | entry;
  }
  void grow() {
    m_slots.assign(m_slots.size() * 2, kEmpty);
    for (std::uint32_t entry = 0; entry < m_entries.size(); ++entry) {
      place(entry, std::hash<std::string_view>{}(idOf(entry)));
    }
  }

  std::vector<std::uint64_t> m_slots;
  std::vector<Entry> m_entries;
  std::string m_text;
};

// A comparison's answer in SQL's three-valued logic: runs where it is true, and where it is false;
// the rest are unknown.
struct Truth {
  RowSet yes;
  RowSet no;
};

template <typename Combine>
RowSet combine(const RowSet& a, const RowSet& b, Combine op) {
  RowSet out = a;
  for (std::size_t i = 0; i < out.words().size(); ++i) out.words()[i] = op(a.words()[i], b.words()[i]);
  return out;
}

}  // namespace

int bindValues(Statement& statement, const std::vector<SqlValue>& values, int first) {
  for (const SqlValue& value : values) {
    std::visit([&](const auto& v) { statement.bind(first++, v); }, value);
  }
  return first;
}

RowSet selectRuns(Database& db, const FilterTree& tree, const std::string& scopeSql,
                  const std::vector<SqlValue>& scopeParameters) {
  Statement extent = db.prepare("SELECT COALESCE(MAX(rowid), 0), COUNT(*) FROM runs");
  extent.step();
  const std::int64_t maxRowid = extent.int64(0);
  const std::size_t runCount = std::size_t(extent.int64(1));

  bool needIds = false;
  std::vector<std::size_t> attributeConditions;
  for (std::size_t i = 0; i < tree.conditions.size(); ++i) {
    if (tree.conditions[i].source == FilterCondition::Source::Runs) {
      attributeConditions.push_back(i);
    } else {
      needIds = true;
    }
  }

  // One scan of `runs`: every run, whether it is in scope, each attribute comparison, and its id.
  std::string sql = "SELECT rowid, (" + scopeSql + ")";
  for (std::size_t i : attributeConditions) sql += ", (" + tree.conditions[i].condition + ")";
  sql += needIds ? ", id FROM runs" : " FROM runs";
  Statement scan = db.prepare(sql);
  int next = bindValues(scan, scopeParameters);
  for (std::size_t i : attributeConditions) next = bindValues(scan, tree.conditions[i].parameters, next);

  RowSet all(maxRowid);
  RowSet inScope(maxRowid);
  std::vector<Truth> truths(tree.conditions.size(), Truth{RowSet(maxRowid), RowSet(maxRowid)});
  RunIdMap ids(needIds ? runCount : 0);
  const int idColumn = 2 + int(attributeConditions.size());
  while (scan.step()) {
    const std::int64_t rowid = scan.int64(0);
    all.insert(rowid);
    if (!scan.isNull(1) && scan.int64(1) != 0) inScope.insert(rowid);
    for (std::size_t a = 0; a < attributeConditions.size(); ++a) {
      const int column = 2 + int(a);
      if (scan.isNull(column)) continue;
      Truth& truth = truths[attributeConditions[a]];
      (scan.int64(column) != 0 ? truth.yes : truth.no).insert(rowid);
    }
    if (needIds) ids.insert(scan.textView(idColumn), rowid);
  }
  if (tree.nodes.empty()) return inScope;

  // Each value comparison through its index; the runs without a matching row make it false.
  for (std::size_t i = 0; i < tree.conditions.size(); ++i) {
    const FilterCondition& condition = tree.conditions[i];
    if (condition.source != FilterCondition::Source::Values) continue;
    Statement rows = db.prepare("SELECT " + condition.runIdColumn + " FROM " + condition.from +
                                " WHERE " + condition.condition);
    bindValues(rows, condition.parameters);
    Truth& truth = truths[i];
    while (rows.step()) truth.yes.insert(ids.find(rows.textView(0)));
    truth.no = combine(all, truth.yes, [](std::uint64_t a, std::uint64_t y) { return a & ~y; });
  }

  // Children precede parents, so one pass in order evaluates the tree.
  std::vector<Truth> nodes;
  nodes.reserve(tree.nodes.size());
  for (const FilterNode& node : tree.nodes) {
    switch (node.kind) {
      case FilterNode::Kind::Condition:
        nodes.push_back(std::move(truths[node.condition]));
        break;
      case FilterNode::Kind::Not: {
        const Truth& child = nodes[node.children.front()];
        nodes.push_back({child.no, child.yes});
        break;
      }
      case FilterNode::Kind::And:
      case FilterNode::Kind::Or: {
        const bool isAnd = node.kind == FilterNode::Kind::And;
        Truth out = nodes[node.children.front()];
        for (std::size_t c = 1; c < node.children.size(); ++c) {
          const Truth& child = nodes[node.children[c]];
          const auto both = [](std::uint64_t a, std::uint64_t b) { return a & b; };
          const auto either = [](std::uint64_t a, std::uint64_t b) { return a | b; };
          out.yes = isAnd ? combine(out.yes, child.yes, both) : combine(out.yes, child.yes, either);
          out.no = isAnd ? combine(out.no, child.no, either) : combine(out.no, child.no, both);
        }
        nodes.push_back(std::move(out));
        break;
      }
    }
  }
  return combine(inScope, nodes.back().yes, [](std::uint64_t s, std::uint64_t y) { return s & y; });
}

}  // namespace geih::store
