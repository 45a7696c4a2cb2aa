// The runs table: one row per store::RunSummary, fixed columns Run, Status, Started, Duration,
// then one column per param key and one per metric key found in the loaded runs.
// Param and metric columns can be hidden (the column chooser); hidden keys stay hidden across
// setRuns(). data() reads only the value structs it holds; it never touches the store.
//
// Qt::UserRole (SortRole) gives a value to sort by: a double for numbers (metrics, numeric
// params, times, durations), a QString for text, and an invalid QVariant for a missing value.
// RunsProxyModel sorts by it with missing values last in both orders.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <QStringList>

#include "core/store/records.h"

namespace geih::ui {

class RunsTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Role {
    SortRole = Qt::UserRole,
    RunIdRole,  // QString, the run's 32-hex id (any column)
  };

  enum class ColumnKind { Name, Status, Started, Duration, Param, Metric };

  struct Column {
    ColumnKind kind = ColumnKind::Name;
    QString key;  // param or metric key; empty for fixed columns
    bool operator==(const Column&) const = default;
  };

  explicit RunsTableModel(QObject* parent = nullptr);

  // Replaces the runs; the total becomes their count.
  void setRuns(std::vector<store::RunSummary> runs);
  // Paging (a workspace may hold 100,000 runs): the query behind the table matches `total` runs,
  // of which the first rowCount() are loaded. While more exist, canFetchMore() is true and
  // fetchMore() (called by the view when it scrolls to the end) asks for the next page with
  // moreRunsRequested(offset); the owner answers with appendRuns(), or fetchFailed().
  void setTotalRuns(std::size_t total);
  std::size_t totalRuns() const { return m_totalRuns; }
  // Appends the next page; param / metric keys new to the table become columns.
  void appendRuns(std::vector<store::RunSummary> runs);
  void fetchFailed();
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;
  const std::vector<store::RunSummary>& runs() const { return m_runs; }
  const store::RunSummary& run(int row) const { return m_runs.at(static_cast<std::size_t>(row)); }
  // -1 when no loaded run has that id.
  int rowOfRun(const QString& runId) const;

  // Every param / metric key of the loaded runs, whether its column is shown or not. Params are
  // sorted by key; metrics start with the headline ones (roc_auc, average_precision, f1, ...).
  const QStringList& paramKeys() const { return m_paramKeys; }
  const QStringList& metricKeys() const { return m_metricKeys; }

  // The column chooser. Only Param and Metric columns can be hidden. An explicit choice for a
  // key outlasts setRuns() and setHideConstantParams().
  void setColumnVisible(ColumnKind kind, const QString& key, bool visible);
  // Hides, unless chosen explicitly, the params with the same value in every loaded run (seed,
  // target, ...), which say nothing when comparing runs. Off by default.
  void setHideConstantParams(bool hide);
  bool hidesConstantParams() const { return m_hideConstantParams; }
  // The value a param has in every loaded run (when there are two runs or more), if it does.
  std::optional<QString> constantParamValue(const QString& key) const;
  bool isColumnVisible(ColumnKind kind, const QString& key = {}) const;
  // The column showing (kind, key), or -1 if it is hidden or absent.
  int columnOf(ColumnKind kind, const QString& key = {}) const;
  Column columnAt(int column) const { return m_columns.at(column); }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  static QString statusText(store::RunStatus status);
  static QString formatDuration(qint64 milliseconds);
  // 4 decimals; whole numbers from 100 up (counts) without decimals.
  static QString formatMetric(double value);

 signals:
  void moreRunsRequested(std::size_t offset);

 private:
  QVariant displayData(const store::RunSummary& run, const Column& column) const;
  QVariant sortData(const store::RunSummary& run, const Column& column) const;
  std::vector<Column> visibleColumns() const;
  void applyColumns(const std::vector<Column>& target);
  // Metrics, durations and params whose every value is a number are right-aligned.
  bool isNumeric(const Column& column) const;
  static QString hiddenId(ColumnKind kind, const QString& key);

  struct ParamStats {
    std::string first;            // the value of the first loaded run that has the key
    std::size_t sameAsFirst = 0;  // loaded runs whose value equals `first`
    bool numeric = true;
  };
  void absorbKeys(std::size_t firstRow);
  void publishKeys();

  std::vector<store::RunSummary> m_runs;
  std::size_t m_totalRuns = 0;
  bool m_fetchPending = false;
  std::map<std::string, ParamStats> m_paramStats;
  std::set<std::string> m_metricKeySet;
  std::vector<Column> m_columns;
  QStringList m_paramKeys;
  QStringList m_metricKeys;
  QSet<QString> m_numericParams;
  QHash<QString, QString> m_constantParams;  // key -> the value every run has
  QSet<QString> m_hidden;                    // "param:<key>" / "metric:<key>", chosen hidden
  QSet<QString> m_shown;                     // chosen shown
  bool m_hideConstantParams = false;
};

}  // namespace geih::ui
