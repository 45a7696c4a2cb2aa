#include "ui/store/runs_panel.h"

#include <algorithm>
#include <filesystem>

#include <QColor>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPalette>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/store/workspace.h"
#include "ui/common/task_runner.h"
#include "ui/store/runs_proxy_model.h"
#include "ui/store/workspace_session.h"

namespace geih::ui {

namespace {
constexpr int kMaxColumnWidth = 280;
constexpr int kMinColumnWidth = 64;
}  // namespace

RunsPanel::RunsPanel(QWidget* parent)
    : QWidget(parent),
      m_model(new RunsTableModel(this)),
      m_proxy(new RunsProxyModel(this)),
      m_view(new QTableView(this)),
      m_title(new QLabel(tr("Runs"), this)),
      m_count(new QLabel(this)),
      m_columnsButton(new QToolButton(this)),
      m_filter(new QLineEdit(this)),
      m_filterError(new QLabel(this)) {
  m_proxy->setSourceModel(m_model);
  m_model->setHideConstantParams(true);

  QFont titleFont = m_title->font();
  titleFont.setBold(true);
  m_title->setFont(titleFont);
  m_count->setForegroundRole(QPalette::PlaceholderText);

  auto* columnMenu = new QMenu(this);
  connect(columnMenu, &QMenu::aboutToShow, this,
          [this, columnMenu] { fillColumnMenu(columnMenu); });
  m_columnsButton->setText(tr("Columns"));
  m_columnsButton->setToolTip(tr("Choose the parameter and metric columns to show"));
  m_columnsButton->setMenu(columnMenu);
  m_columnsButton->setPopupMode(QToolButton::InstantPopup);
  m_columnsButton->setAutoRaise(true);

  auto* header = new QHBoxLayout;
  header->setContentsMargins(4, 0, 0, 0);
  header->addWidget(m_title);
  header->addWidget(m_count);
  header->addStretch(1);
  header->addWidget(m_columnsButton);

  m_filter->setPlaceholderText(
      tr("Filter runs, e.g. metrics.roc_auc > 0.9 and params.model = 'rf'  (Enter to apply)"));
  m_filter->setToolTip(
      tr("Keys: metrics.NAME, params.NAME, tags.NAME, attributes.status|name|run_id|start_time|"
         "end_time, datasets.name|sha256|role\nOperators: = != < <= > >= LIKE ILIKE IN NOT IN; "
         "combine with AND, OR, NOT and parentheses"));
  m_filter->setClearButtonEnabled(true);
  connect(m_filter, &QLineEdit::returnPressed, this, &RunsPanel::applyFilter);
  // Clearing the bar with its clear button shows every run again.
  connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
    if (text.isEmpty()) applyFilter();
  });
  m_filterError->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  QPalette errorPalette = m_filterError->palette();
  errorPalette.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
  m_filterError->setPalette(errorPalette);
  m_filterError->setTextFormat(Qt::PlainText);
  m_filterError->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_filterError->setVisible(false);

  m_view->setModel(m_proxy);
  m_view->setSortingEnabled(true);
  m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
  m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_view->setAlternatingRowColors(true);
  m_view->setShowGrid(false);
  m_view->setWordWrap(false);
  m_view->setTextElideMode(Qt::ElideRight);
  m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
  m_view->verticalHeader()->setVisible(false);
  m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
  m_view->horizontalHeader()->setHighlightSections(false);
  m_view->horizontalHeader()->setStretchLastSection(false);
  m_view->horizontalHeader()->setSectionsMovable(true);
  m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  m_view->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(m_view->horizontalHeader(), &QHeaderView::customContextMenuRequested, this,
          [this](const QPoint& pos) {
            QMenu menu(this);
            fillColumnMenu(&menu);
            menu.exec(m_view->horizontalHeader()->viewport()->mapToGlobal(pos));
          });
  connect(m_view->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
          [this](int column, Qt::SortOrder order) {
            const int source = column;  // the proxy keeps the source's columns
            if (source >= 0 && source < m_model->columnCount()) {
              m_sortColumn = m_model->columnAt(source);
              m_sortOrder = order;
            }
          });
  connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &RunsPanel::announceSelection);
  connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &RunsPanel::announceSelection);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(header);
  layout->addWidget(m_filter);
  layout->addWidget(m_filterError);
  layout->addWidget(m_view, 1);
}

void RunsPanel::setQueryContext(TaskRunner* runner, const QString& root,
                                std::optional<std::int64_t> experimentId) {
  m_runner = runner;
  m_root = root;
  m_experimentId = experimentId;
  if (!m_filter->text().trimmed().isEmpty()) applyFilter();
}

void RunsPanel::applyFilter() {
  const QString text = m_filter->text();
  emit filterSubmitted(text);
  if (!m_runner || m_root.isEmpty()) return;
  if (m_filterTask) m_runner->cancel(m_filterTask);
  const int generation = ++m_filterGeneration;
  const std::filesystem::path root(m_root.toStdU16String());
  store::RunQuery query;
  query.experimentId = m_experimentId;
  query.filter = text.toStdString();
  m_filterTask = m_runner->start(
      tr("Filtering runs"),
      [root, query](Progress& progress) {
        store::Workspace workspace = store::Workspace::open(root, store::OpenMode::MustExist);
        progress.checkCancelled();
        WorkspaceSnapshot snapshot;
        snapshot.runs = workspace.listRuns(query);
        return QVariant::fromValue(snapshot);
      },
      [this, generation, text](const TaskResult& result) {
        if (generation != m_filterGeneration) return;  // superseded by a newer filter
        m_filterTask = 0;
        if (result.status == TaskResult::Status::Cancelled) return;
        if (!result.ok()) {
          showFilterError(result.message);
          return;
        }
        showRuns(result.value.value<WorkspaceSnapshot>().runs);
        showFilterError({});
        emit filterApplied(text);
      },
      this);
}

void RunsPanel::showFilterError(const QString& message) {
  m_filterError->setText(message);
  m_filterError->setVisible(!message.isEmpty());
}

void RunsPanel::setRuns(std::vector<store::RunSummary> runs, const QString& title) {
  m_titleText = title;
  showFilterError({});
  showRuns(std::move(runs));
}

void RunsPanel::showRuns(std::vector<store::RunSummary> runs) {
  const QString& title = m_titleText;
  const std::optional<RunsTableModel::Column> sortColumn = m_sortColumn;
  const Qt::SortOrder sortOrder = m_sortOrder;

  m_model->setRuns(std::move(runs));
  m_title->setText(title.isEmpty() ? tr("Runs") : tr("Runs · %1").arg(title));
  const int count = m_model->rowCount();
  m_count->setText(count == 1 ? tr("1 run") : tr("%1 runs").arg(count));

  int column = sortColumn ? m_model->columnOf(sortColumn->kind, sortColumn->key) : -1;
  Qt::SortOrder order = sortOrder;
  if (column < 0) {
    column = m_model->columnOf(RunsTableModel::ColumnKind::Metric, QStringLiteral("roc_auc"));
    if (column < 0) column = m_model->columnOf(RunsTableModel::ColumnKind::Started);
    order = Qt::DescendingOrder;
  }
  m_view->sortByColumn(column, order);
  fitColumns();
  announceSelection();
}

void RunsPanel::fitColumns() {
  m_view->resizeColumnsToContents();
  QHeaderView* header = m_view->horizontalHeader();
  for (int c = 0; c < header->count(); ++c) {
    const int width = header->sectionSize(c) + 12;
    header->resizeSection(c, std::clamp(width, kMinColumnWidth, kMaxColumnWidth));
  }
}

void RunsPanel::fillColumnMenu(QMenu* menu) {
  menu->clear();
  using Kind = RunsTableModel::ColumnKind;
  auto addKeys = [this, menu](const QString& section, Kind kind, const QStringList& keys) {
    if (keys.isEmpty()) return;
    menu->addSection(section);
    for (const QString& key : keys) {
      const std::optional<QString> same =
          kind == Kind::Param ? m_model->constantParamValue(key) : std::nullopt;
      QAction* action = menu->addAction(same ? tr("%1  (%2 in every run)").arg(key, *same) : key);
      action->setCheckable(true);
      action->setChecked(m_model->isColumnVisible(kind, key));
      connect(action, &QAction::toggled, this, [this, kind, key](bool on) {
        m_model->setColumnVisible(kind, key, on);
        const int column = m_model->columnOf(kind, key);
        if (on && column >= 0) m_view->resizeColumnToContents(column);
      });
    }
  };
  addKeys(tr("Parameters"), Kind::Param, m_model->paramKeys());
  addKeys(tr("Metrics"), Kind::Metric, m_model->metricKeys());
  if (menu->isEmpty()) {
    menu->addAction(tr("No parameter or metric columns"))->setEnabled(false);
    return;
  }
  menu->addSeparator();
  QAction* hideConstant = menu->addAction(tr("Hide parameters that are the same in every run"));
  hideConstant->setCheckable(true);
  hideConstant->setChecked(m_model->hidesConstantParams());
  connect(hideConstant, &QAction::toggled, this, [this](bool on) {
    m_model->setHideConstantParams(on);
    fitColumns();
  });
  connect(menu->addAction(tr("Show all columns")), &QAction::triggered, this, [this] {
    for (const QString& key : m_model->paramKeys())
      m_model->setColumnVisible(Kind::Param, key, true);
    for (const QString& key : m_model->metricKeys()) {
      m_model->setColumnVisible(Kind::Metric, key, true);
    }
    fitColumns();
  });
  connect(menu->addAction(tr("Fit columns to contents")), &QAction::triggered, this,
          &RunsPanel::fitColumns);
}

void RunsPanel::selectRuns(const QStringList& runIds) {
  QItemSelection selection;
  QModelIndex first;
  for (const QString& id : runIds) {
    const int row = m_model->rowOfRun(id);
    if (row < 0) continue;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid()) continue;
    selection.select(index, index);
    if (!first.isValid() || index.row() < first.row()) first = index;
  }
  QItemSelectionModel* selectionModel = m_view->selectionModel();
  m_selecting = true;
  selectionModel->select(selection,
                         QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  if (first.isValid()) {
    selectionModel->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
    m_view->scrollTo(first);
  }
  m_selecting = false;
  announceSelection();
}

QStringList RunsPanel::selectedRunIds() const {
  QList<int> rows;
  for (const QItemSelectionRange& range : m_view->selectionModel()->selection()) {
    for (int row = range.top(); row <= range.bottom(); ++row) {
      if (!rows.contains(row)) rows.append(row);
    }
  }
  std::sort(rows.begin(), rows.end());
  QStringList ids;
  for (int row : rows) {
    const QModelIndex source = m_proxy->mapToSource(m_proxy->index(row, 0));
    if (source.isValid()) ids << QString::fromStdString(m_model->run(source.row()).id);
  }
  return ids;
}

QString RunsPanel::currentRunId() const {
  const QModelIndex current = m_view->selectionModel()->currentIndex();
  const QStringList selected = selectedRunIds();
  if (current.isValid()) {
    const QModelIndex source = m_proxy->mapToSource(current);
    const QString id = QString::fromStdString(m_model->run(source.row()).id);
    if (selected.contains(id)) return id;
  }
  return selected.value(0);
}

void RunsPanel::announceSelection() {
  if (m_selecting) return;
  const QStringList selected = selectedRunIds();
  if (selected != m_lastSelection) {
    m_lastSelection = selected;
    emit selectedRunsChanged(selected);
  }
  const QString current = currentRunId();
  if (current != m_lastCurrent) {
    m_lastCurrent = current;
    emit currentRunChanged(current);
  }
}

}  // namespace geih::ui
