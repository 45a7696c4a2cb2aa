// The runs of one experiment in a sortable table with a column chooser (header context menu and
// the Columns button). Rows can be multi-selected; the selection is announced as run ids in the
// order the rows are shown. A filter bar above the table takes the run filter language
// (core/store/run_filter.h); Enter re-queries the workspace through the TaskRunner and shows a bad
// filter's message (with its caret) in red under the bar.
//
// Runs are read page by page (pageSize(), 500 by default) through the TaskRunner, never all at
// once: scrolling to the end loads the next page, and while only some runs are loaded a click on
// a column header re-queries the workspace sorted by that column (so the first page holds the
// true best runs), instead of sorting just the loaded ones.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include <QPointer>
#include <QWidget>

#include "core/store/records.h"
#include "core/store/workspace.h"
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
  // Loads the first page at once; runsLoaded() follows.
  void setQueryContext(TaskRunner* runner, const QString& root,
                       std::optional<std::int64_t> experimentId);
  // Runs the filter in the bar (as Enter does).
  void applyFilter();
  // Re-reads the first page of the current query (filter, sort) from the workspace.
  void reload();
  void setTitle(const QString& title);
  void setPageSize(std::size_t pageSize);
  std::size_t pageSize() const { return m_pageSize; }
  // Up to `count` loaded runs with the highest `metric`, best first.
  QStringList bestLoadedRuns(const std::string& metric, int count) const;
  QLabel* countLabel() const { return m_count; }

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
  // The first page of a query is shown.
  void runsLoaded();

 private:
  void fillColumnMenu(QMenu* menu);
  void fitColumns();
  void announceSelection();
  void showRuns(std::vector<store::RunSummary> runs, std::size_t total);
  void loadPage(std::size_t offset);
  void updateCount();
  std::string serverOrderBy() const;
  store::RunQuery currentQuery(std::size_t offset) const;
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
  std::size_t m_pageSize = 500;
  int m_pageTask = 0;
  int m_queryGeneration = 0;
  bool m_applyingSort = false;
  std::optional<RunsTableModel::Column> m_sortColumn;
  Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
  QStringList m_lastSelection;
  QString m_lastCurrent;
  bool m_selecting = false;
};

// One page of runs read by a worker, and how many the query matches in all.
struct RunsPage {
  std::vector<store::RunSummary> runs;
  std::size_t total = 0;
};

}  // namespace geih::ui

Q_DECLARE_METATYPE(geih::ui::RunsPage)
