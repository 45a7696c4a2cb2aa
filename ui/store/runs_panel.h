// The runs of one experiment in a sortable table with a column chooser (header context menu and
// the Columns button). Rows can be multi-selected; the selection is announced as run ids in the
// order the rows are shown.
#pragma once

#include <optional>
#include <vector>

#include <QWidget>

#include "core/store/records.h"
#include "ui/store/runs_table_model.h"

class QLabel;
class QMenu;
class QTableView;
class QToolButton;

namespace geih::ui {

class RunsProxyModel;

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

  RunsTableModel* model() const { return m_model; }
  RunsProxyModel* proxy() const { return m_proxy; }
  QTableView* view() const { return m_view; }

 signals:
  void selectedRunsChanged(const QStringList& runIds);
  void currentRunChanged(const QString& runId);

 private:
  void fillColumnMenu(QMenu* menu);
  void fitColumns();
  void announceSelection();

  RunsTableModel* m_model;
  RunsProxyModel* m_proxy;
  QTableView* m_view;
  QLabel* m_title;
  QLabel* m_count;
  QToolButton* m_columnsButton;
  std::optional<RunsTableModel::Column> m_sortColumn;
  Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
  QStringList m_lastSelection;
  QString m_lastCurrent;
  bool m_selecting = false;
};

}  // namespace geih::ui
