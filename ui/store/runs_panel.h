// The runs of one experiment in a sortable table with a column chooser (header context menu and
// the Columns button). Rows can be multi-selected; the selection is announced as run ids in the
// order the rows are shown. A filter bar above the table takes the run filter language
// (core/store/run_filter.h); Enter re-queries the workspace through the TaskRunner and shows a bad
// filter's message (with its caret) in red under the bar.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <QPointer>
#include <QWidget>

#include "core/store/records.h"
#include "ui/store/runs_table_model.h"

class QLabel;
class QLineEdit;
class QMenu;
class QTableView;
class QToolButton;

namespace geih::ui {

class RunsProxyModel;
class TaskRunner;

class RunsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit RunsPanel(QWidget* parent = nullptr);

  // Replaces the runs shown (clearing the selection) and keeps the sort column if it still exists;
  // the first time sorts by roc_auc, descending, when the runs have it, else newest first.
  void setRuns(std::vector<store::RunSummary> runs, const QString& title = {});
  // Selects the runs with these ids (those that are loaded) and scrolls to the first.
  void selectRuns(const QStringList& runIds);
  // Selected run ids, top row first.
  QStringList selectedRunIds() const;
  QString currentRunId() const;

  // Where the filter bar's queries run: a job on `runner` opens the workspace at `root` and lists
  // the runs of `experimentId` (all when none) that match the filter. Re-applies a non-empty
  // filter at once. Until a context is set, Enter only announces filterSubmitted().
  void setQueryContext(TaskRunner* runner, const QString& root,
                       std::optional<std::int64_t> experimentId);
  // Runs the filter in the bar (as Enter does).
  void applyFilter();

  QLineEdit* filterEdit() const { return m_filter; }
  QLabel* filterErrorLabel() const { return m_filterError; }

  RunsTableModel* model() const { return m_model; }
  RunsProxyModel* proxy() const { return m_proxy; }
  QTableView* view() const { return m_view; }

 signals:
  void selectedRunsChanged(const QStringList& runIds);
  void currentRunChanged(const QString& runId);
  // Enter in the filter bar.
  void filterSubmitted(const QString& filter);
  // The runs shown now match `filter` (after a successful query).
  void filterApplied(const QString& filter);

 private:
  void fillColumnMenu(QMenu* menu);
  void fitColumns();
  void announceSelection();
  void showRuns(std::vector<store::RunSummary> runs);
  void showFilterError(const QString& message);

  RunsTableModel* m_model;
  RunsProxyModel* m_proxy;
  QTableView* m_view;
  QLabel* m_title;
  QLabel* m_count;
  QToolButton* m_columnsButton;
  QLineEdit* m_filter;
  QLabel* m_filterError;
  QString m_titleText;
  QPointer<TaskRunner> m_runner;
  QString m_root;
  std::optional<std::int64_t> m_experimentId;
  int m_filterTask = 0;
  int m_filterGeneration = 0;
  std::optional<RunsTableModel::Column> m_sortColumn;
  Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
  QStringList m_lastSelection;
  QString m_lastCurrent;
  bool m_selecting = false;
};

}  // namespace geih::ui
