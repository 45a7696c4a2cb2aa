#include "ui/store/runs_panel.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <QColor>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPalette>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/store/workspace.h"
#include "ui/common/task_runner.h"
#include "ui/store/runs_proxy_model.h"

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
            if (m_applyingSort) return;
            const int source = column;  // the proxy keeps the source's columns
            if (source < 0 || source >= m_model->columnCount()) return;
            m_sortColumn = m_model->columnAt(source);
            m_sortOrder = order;
            // With only some runs loaded, sorting the loaded ones would show the wrong runs:
            // the workspace sorts them all and the first page comes back.
            if (m_model->totalRuns() > m_model->runs().size()) reload();
          });
  connect(m_model, &RunsTableModel::moreRunsRequested, this, &RunsPanel::loadPage);
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
  reload();
}

void RunsPanel::applyFilter() {
  emit filterSubmitted(m_filter->text());
  reload();
}

void RunsPanel::setPageSize(std::size_t pageSize) { m_pageSize = std::max<std::size_t>(1, pageSize); }

std::string RunsPanel::serverOrderBy() const {
  if (!m_sortColumn) return {};
  using Kind = RunsTableModel::ColumnKind;
  const QString& key = m_sortColumn->key;
  if (key.contains(QLatin1Char('`'))) return {};  // cannot be quoted in the language
  QString order;
  switch (m_sortColumn->kind) {
    case Kind::Name:
      order = QStringLiteral("attributes.name");
      break;
    case Kind::Status:
      order = QStringLiteral("attributes.status");
      break;
    case Kind::Started:
      order = QStringLiteral("attributes.start_time");
      break;
    case Kind::Duration:
      order = QStringLiteral("attributes.duration");
      break;
    case Kind::Param:
      order = QStringLiteral("params.`%1`").arg(key);
      break;
    case Kind::Metric:
      order = QStringLiteral("metrics.`%1`").arg(key);
      break;
  }
  if (m_sortOrder == Qt::DescendingOrder) order += QStringLiteral(" DESC");
  return order.toStdString();
}

store::RunQuery RunsPanel::currentQuery(std::size_t offset) const {
  store::RunQuery query;
  query.experimentId = m_experimentId;
  query.filter = m_filter->text().toStdString();
  // Before the user picks a column the best runs by ROC AUC come first, as the table shows them.
  query.orderBy = m_sortColumn ? serverOrderBy() : std::string("metrics.roc_auc DESC");
  query.limit = m_pageSize;
  query.offset = offset;
  return query;
}

void RunsPanel::reload() {
  if (!m_runner || m_root.isEmpty()) return;
  if (m_pageTask) m_runner->cancel(m_pageTask);
  const int generation = ++m_queryGeneration;
  const std::filesystem::path root(m_root.toStdU16String());
  const store::RunQuery query = currentQuery(0);
  const QString text = m_filter->text();
  m_pageTask = m_runner->start(
      tr("Loading runs"),
      [root, query](Progress& progress) {
        store::Workspace workspace = store::Workspace::open(root, store::OpenMode::MustExist);
        progress.checkCancelled();
        store::RunPage found = workspace.findRuns(query);
        RunsPage page;
        page.total = found.total;
        page.runs = std::move(found.runs);
        return QVariant::fromValue(page);
      },
      [this, generation, text](const TaskResult& result) {
        if (generation != m_queryGeneration) return;  // superseded by a newer query
        m_pageTask = 0;
        if (result.status == TaskResult::Status::Cancelled) return;
        if (!result.ok()) {
          showFilterError(result.message);
          return;
        }
        RunsPage page = result.value.value<RunsPage>();
        showRuns(std::move(page.runs), page.total);
        showFilterError({});
        emit filterApplied(text);
        emit runsLoaded();
      },
      this);
}

void RunsPanel::loadPage(std::size_t offset) {
  if (!m_runner || m_root.isEmpty()) {
    m_model->fetchFailed();
    return;
  }
  const int generation = m_queryGeneration;
  const std::filesystem::path root(m_root.toStdU16String());
  const store::RunQuery query = currentQuery(offset);
  m_runner->start(
      tr("Loading more runs"),
      [root, query](Progress& progress) {
        store::Workspace workspace = store::Workspace::open(root, store::OpenMode::MustExist);
        progress.checkCancelled();
        RunsPage page;
        page.runs = workspace.listRuns(query);
        return QVariant::fromValue(page);
      },
      [this, generation, offset](const TaskResult& result) {
        if (generation != m_queryGeneration) return;  // the table was reloaded meanwhile
        if (!result.ok() || offset != m_model->runs().size()) {
          m_model->fetchFailed();
          if (result.status == TaskResult::Status::Failed) showFilterError(result.message);
          return;
        }
        m_model->appendRuns(result.value.value<RunsPage>().runs);
        updateCount();
      },
      this);
}

QStringList RunsPanel::bestLoadedRuns(const std::string& metric, int count) const {
  std::vector<const store::RunSummary*> ranked;
  for (const store::RunSummary& run : m_model->runs()) {
    auto it = run.metrics.find(metric);
    if (it != run.metrics.end() && !std::isnan(it->second)) ranked.push_back(&run);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [&metric](const auto* a, const auto* b) {
    return a->metrics.at(metric) > b->metrics.at(metric);
  });
  QStringList ids;
  for (const store::RunSummary* run : ranked) {
    if (ids.size() >= count) break;
    ids << QString::fromStdString(run->id);
  }
  return ids;
}

void RunsPanel::setTitle(const QString& title) {
  m_titleText = title;
  m_title->setText(title.isEmpty() ? tr("Runs") : tr("Runs · %1").arg(title));
}

void RunsPanel::updateCount() {
  const std::size_t loaded = m_model->runs().size();
  const std::size_t total = m_model->totalRuns();
  const QLocale locale;
  if (loaded < total) {
    m_count->setText(tr("%1 of %2 runs loaded (scroll for more)")
                         .arg(locale.toString(qulonglong(loaded)), locale.toString(qulonglong(total))));
  } else {
    m_count->setText(total == 1 ? tr("1 run") : tr("%1 runs").arg(locale.toString(qulonglong(total))));
  }
}

void RunsPanel::showFilterError(const QString& message) {
  m_filterError->setText(message);
  m_filterError->setVisible(!message.isEmpty());
}

void RunsPanel::setRuns(std::vector<store::RunSummary> runs, const QString& title) {
  // A new set of runs: any page still on its way belongs to the old one.
  ++m_queryGeneration;
  if (m_pageTask && m_runner) m_runner->cancel(m_pageTask);
  m_pageTask = 0;
  setTitle(title);
  showFilterError({});
  const std::size_t total = runs.size();
  showRuns(std::move(runs), total);
}

void RunsPanel::showRuns(std::vector<store::RunSummary> runs, std::size_t total) {
  const std::optional<RunsTableModel::Column> sortColumn = m_sortColumn;
  const Qt::SortOrder sortOrder = m_sortOrder;

  m_model->setRuns(std::move(runs));
  m_model->setTotalRuns(total);
  updateCount();

  int column = sortColumn ? m_model->columnOf(sortColumn->kind, sortColumn->key) : -1;
  Qt::SortOrder order = sortOrder;
  if (column < 0) {
    column = m_model->columnOf(RunsTableModel::ColumnKind::Metric, QStringLiteral("roc_auc"));
    if (column < 0) column = m_model->columnOf(RunsTableModel::ColumnKind::Started);
    order = Qt::DescendingOrder;
  }
  m_applyingSort = true;
  m_view->sortByColumn(column, order);
  m_applyingSort = false;
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
