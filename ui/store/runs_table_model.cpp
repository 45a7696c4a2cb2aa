#include "ui/store/runs_table_model.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include <QColor>
#include <QDateTime>
#include <QIcon>
#include <QPainter>
#include <QPixmap>

namespace geih::ui {

namespace {

// Metrics shown first, in this order; the others follow alphabetically.
constexpr const char* kHeadlineMetrics[] = {
    "roc_auc", "average_precision", "f1", "accuracy", "precision", "recall", "log_loss", "brier"};

bool isNumber(const std::string& text) {
  bool ok = false;
  const double value = QString::fromStdString(text).trimmed().toDouble(&ok);
  return ok && !std::isnan(value);
}

QColor statusColor(store::RunStatus status) {
  switch (status) {
    case store::RunStatus::Running:
      return QColor(0x2f, 0x80, 0xed);
    case store::RunStatus::Finished:
      return QColor(0x27, 0xae, 0x60);
    case store::RunStatus::Failed:
      return QColor(0xeb, 0x57, 0x57);
    case store::RunStatus::Killed:
      return QColor(0x9e, 0x9e, 0x9e);
  }
  return Qt::gray;
}

QIcon statusIcon(store::RunStatus status) {
  QPixmap pixmap(12, 12);
  pixmap.fill(Qt::transparent);
  QPainter painter(&pixmap);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(Qt::NoPen);
  painter.setBrush(statusColor(status));
  painter.drawEllipse(QRectF(2, 2, 8, 8));
  return QIcon(pixmap);
}

std::optional<qint64> durationMs(const store::RunSummary& run) {
  if (!run.endMs || *run.endMs < run.startMs) return std::nullopt;
  return *run.endMs - run.startMs;
}

}  // namespace

RunsTableModel::RunsTableModel(QObject* parent) : QAbstractTableModel(parent) {
  m_columns = visibleColumns();
}

QString RunsTableModel::statusText(store::RunStatus status) {
  switch (status) {
    case store::RunStatus::Running:
      return tr("Running");
    case store::RunStatus::Finished:
      return tr("Finished");
    case store::RunStatus::Failed:
      return tr("Failed");
    case store::RunStatus::Killed:
      return tr("Killed");
  }
  return {};
}

QString RunsTableModel::formatDuration(qint64 ms) {
  if (ms < 1000) return tr("%1 ms").arg(ms);
  if (ms < 60'000) return tr("%1 s").arg(static_cast<double>(ms) / 1000.0, 0, 'f', 1);
  const qint64 seconds = ms / 1000;
  if (seconds < 3600) return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
  return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString RunsTableModel::formatMetric(double value) {
  if (std::isnan(value)) return QStringLiteral("NaN");
  // Counts (train_rows, n_trees, ...) read better without decimals.
  if (std::abs(value) >= 100 && std::abs(value) < 1e15 && value == std::floor(value)) {
    return QString::number(value, 'f', 0);
  }
  return QString::number(value, 'f', 4);
}

QString RunsTableModel::hiddenId(ColumnKind kind, const QString& key) {
  return (kind == ColumnKind::Param ? QStringLiteral("param:") : QStringLiteral("metric:")) + key;
}

void RunsTableModel::setRuns(std::vector<store::RunSummary> runs) {
  beginResetModel();
  m_runs = std::move(runs);
  m_totalRuns = m_runs.size();
  m_fetchPending = false;
  m_paramStats.clear();
  m_metricKeySet.clear();
  absorbKeys(0);
  publishKeys();
  m_columns = visibleColumns();
  endResetModel();
}

void RunsTableModel::appendRuns(std::vector<store::RunSummary> runs) {
  m_fetchPending = false;
  if (runs.empty()) return;
  const std::size_t first = m_runs.size();
  beginInsertRows({}, static_cast<int>(first), static_cast<int>(first + runs.size() - 1));
  m_runs.insert(m_runs.end(), std::make_move_iterator(runs.begin()),
                std::make_move_iterator(runs.end()));
  endInsertRows();
  m_totalRuns = std::max(m_totalRuns, m_runs.size());
  absorbKeys(first);
  publishKeys();
  applyColumns(visibleColumns());
  // Values of columns that already existed may change meaning (a param stops being constant).
  if (!m_runs.empty() && !m_columns.empty()) {
    emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
  }
}

void RunsTableModel::setTotalRuns(std::size_t total) {
  m_totalRuns = std::max(total, m_runs.size());
}

bool RunsTableModel::canFetchMore(const QModelIndex& parent) const {
  return !parent.isValid() && !m_fetchPending && m_runs.size() < m_totalRuns;
}

void RunsTableModel::fetchMore(const QModelIndex& parent) {
  if (!canFetchMore(parent)) return;
  m_fetchPending = true;
  emit moreRunsRequested(m_runs.size());
}

void RunsTableModel::fetchFailed() { m_fetchPending = false; }

void RunsTableModel::absorbKeys(std::size_t firstRow) {
  // Incremental, so appending a page costs O(page), not O(every loaded run).
  for (std::size_t row = firstRow; row < m_runs.size(); ++row) {
    const store::RunSummary& run = m_runs[row];
    for (const auto& [key, value] : run.params) {
      auto [it, inserted] = m_paramStats.try_emplace(key);
      ParamStats& stats = it->second;
      if (inserted) stats.first = value;
      if (value == stats.first) ++stats.sameAsFirst;
      if (stats.numeric && !isNumber(value)) stats.numeric = false;
    }
    for (const auto& [key, value] : run.metrics) m_metricKeySet.insert(key);
  }
}

void RunsTableModel::publishKeys() {
  m_paramKeys.clear();
  m_metricKeys.clear();
  m_numericParams.clear();
  m_constantParams.clear();
  for (const auto& [key, stats] : m_paramStats) {
    const QString name = QString::fromStdString(key);
    m_paramKeys << name;
    if (stats.numeric) m_numericParams.insert(name);
    // Constant: every loaded run has the key, with the same value (and there are two runs or more).
    if (m_runs.size() > 1 && stats.sameAsFirst == m_runs.size()) {
      m_constantParams.insert(name, QString::fromStdString(stats.first));
    }
  }
  // The headline metrics first, so the columns most runs are compared by are in view.
  std::set<std::string> metrics = m_metricKeySet;
  for (const char* key : kHeadlineMetrics) {
    if (metrics.erase(key)) m_metricKeys << QString::fromLatin1(key);
  }
  for (const std::string& key : metrics) m_metricKeys << QString::fromStdString(key);
}

int RunsTableModel::rowOfRun(const QString& runId) const {
  const std::string id = runId.toStdString();
  for (std::size_t i = 0; i < m_runs.size(); ++i) {
    if (m_runs[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

std::vector<RunsTableModel::Column> RunsTableModel::visibleColumns() const {
  std::vector<Column> columns = {{ColumnKind::Name, {}},
                                 {ColumnKind::Status, {}},
                                 {ColumnKind::Started, {}},
                                 {ColumnKind::Duration, {}}};
  for (const QString& key : m_paramKeys) {
    if (isColumnVisible(ColumnKind::Param, key)) columns.push_back({ColumnKind::Param, key});
  }
  for (const QString& key : m_metricKeys) {
    if (isColumnVisible(ColumnKind::Metric, key)) columns.push_back({ColumnKind::Metric, key});
  }
  return columns;
}

void RunsTableModel::applyColumns(const std::vector<Column>& target) {
  // Both lists are ordered subsets of the same full list of columns, so walking them together
  // turns one into the other by single-column removals and insertions (which keep selections).
  std::size_t i = 0;
  while (i < target.size() || i < m_columns.size()) {
    if (i < target.size() && i < m_columns.size() && m_columns[i] == target[i]) {
      ++i;
      continue;
    }
    const bool keep =
        i < m_columns.size() && std::find(target.begin() + static_cast<std::ptrdiff_t>(i),
                                          target.end(), m_columns[i]) != target.end();
    const int column = static_cast<int>(i);
    if (i < m_columns.size() && !keep) {
      beginRemoveColumns({}, column, column);
      m_columns.erase(m_columns.begin() + column);
      endRemoveColumns();
    } else {
      beginInsertColumns({}, column, column);
      m_columns.insert(m_columns.begin() + column, target[i]);
      endInsertColumns();
    }
  }
}

void RunsTableModel::setColumnVisible(ColumnKind kind, const QString& key, bool visible) {
  if (kind != ColumnKind::Param && kind != ColumnKind::Metric) return;
  const QString id = hiddenId(kind, key);
  if (visible) {
    m_hidden.remove(id);
    m_shown.insert(id);
  } else {
    m_shown.remove(id);
    m_hidden.insert(id);
  }
  applyColumns(visibleColumns());
}

void RunsTableModel::setHideConstantParams(bool hide) {
  if (hide == m_hideConstantParams) return;
  m_hideConstantParams = hide;
  applyColumns(visibleColumns());
}

std::optional<QString> RunsTableModel::constantParamValue(const QString& key) const {
  auto it = m_constantParams.constFind(key);
  if (it == m_constantParams.constEnd()) return std::nullopt;
  return it.value();
}

bool RunsTableModel::isColumnVisible(ColumnKind kind, const QString& key) const {
  if (kind != ColumnKind::Param && kind != ColumnKind::Metric) return true;
  const QString id = hiddenId(kind, key);
  if (m_hidden.contains(id)) return false;
  if (m_shown.contains(id)) return true;
  return !(kind == ColumnKind::Param && m_hideConstantParams && m_constantParams.contains(key));
}

int RunsTableModel::columnOf(ColumnKind kind, const QString& key) const {
  const Column wanted{kind,
                      (kind == ColumnKind::Param || kind == ColumnKind::Metric) ? key : QString()};
  for (std::size_t i = 0; i < m_columns.size(); ++i) {
    if (m_columns[i] == wanted) return static_cast<int>(i);
  }
  return -1;
}

bool RunsTableModel::isNumeric(const Column& column) const {
  return column.kind == ColumnKind::Metric || column.kind == ColumnKind::Duration ||
         (column.kind == ColumnKind::Param && m_numericParams.contains(column.key));
}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const store::RunSummary& run = m_runs[static_cast<std::size_t>(index.row())];
  const Column& column = m_columns[static_cast<std::size_t>(index.column())];
  switch (role) {
    case Qt::DisplayRole:
      return displayData(run, column);
    case SortRole:
      return sortData(run, column);
    case RunIdRole:
      return QString::fromStdString(run.id);
    case Qt::DecorationRole:
      if (column.kind == ColumnKind::Status) return statusIcon(run.status);
      return {};
    case Qt::TextAlignmentRole: {
      return QVariant::fromValue<int>(Qt::AlignVCenter |
                                      (isNumeric(column) ? Qt::AlignRight : Qt::AlignLeft));
    }
    case Qt::ToolTipRole:
      switch (column.kind) {
        case ColumnKind::Name:
          return tr("%1\nRun id %2")
              .arg(QString::fromStdString(run.name), QString::fromStdString(run.id));
        case ColumnKind::Started:
          return QDateTime::fromMSecsSinceEpoch(run.startMs).toString(Qt::ISODateWithMs);
        case ColumnKind::Metric: {
          auto it = run.metrics.find(column.key.toStdString());
          if (it == run.metrics.end()) return {};
          return QString::number(it->second, 'g', 17);
        }
        case ColumnKind::Param: {
          auto it = run.params.find(column.key.toStdString());
          if (it == run.params.end()) return {};
          return QString::fromStdString(it->second);
        }
        default:
          return {};
      }
    default:
      return {};
  }
}

QVariant RunsTableModel::displayData(const store::RunSummary& run, const Column& column) const {
  switch (column.kind) {
    case ColumnKind::Name:
      return run.name.empty() ? QString::fromStdString(run.id.substr(0, 8))
                              : QString::fromStdString(run.name);
    case ColumnKind::Status:
      return statusText(run.status);
    case ColumnKind::Started:
      if (run.startMs <= 0) return {};
      return QDateTime::fromMSecsSinceEpoch(run.startMs)
          .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case ColumnKind::Duration: {
      const auto ms = durationMs(run);
      return ms ? QVariant(formatDuration(*ms)) : QVariant();
    }
    case ColumnKind::Param: {
      auto it = run.params.find(column.key.toStdString());
      return it == run.params.end() ? QVariant() : QVariant(QString::fromStdString(it->second));
    }
    case ColumnKind::Metric: {
      auto it = run.metrics.find(column.key.toStdString());
      return it == run.metrics.end() ? QVariant() : QVariant(formatMetric(it->second));
    }
  }
  return {};
}

QVariant RunsTableModel::sortData(const store::RunSummary& run, const Column& column) const {
  switch (column.kind) {
    case ColumnKind::Name:
      return QString::fromStdString(run.name);
    case ColumnKind::Status:
      return statusText(run.status);
    case ColumnKind::Started:
      return static_cast<double>(run.startMs);
    case ColumnKind::Duration: {
      const auto ms = durationMs(run);
      return ms ? QVariant(static_cast<double>(*ms)) : QVariant();
    }
    case ColumnKind::Param: {
      auto it = run.params.find(column.key.toStdString());
      if (it == run.params.end()) return {};
      const QString text = QString::fromStdString(it->second);
      bool isNumber = false;
      const double number = text.trimmed().toDouble(&isNumber);
      if (isNumber && !std::isnan(number)) return number;
      return text;
    }
    case ColumnKind::Metric: {
      auto it = run.metrics.find(column.key.toStdString());
      if (it == run.metrics.end() || std::isnan(it->second)) return {};
      return it->second;
    }
  }
  return {};
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  const Column& column = m_columns[static_cast<std::size_t>(section)];
  if (role == Qt::DisplayRole) {
    switch (column.kind) {
      case ColumnKind::Name:
        return tr("Run");
      case ColumnKind::Status:
        return tr("Status");
      case ColumnKind::Started:
        return tr("Started");
      case ColumnKind::Duration:
        return tr("Duration");
      case ColumnKind::Param:
      case ColumnKind::Metric:
        return column.key;
    }
  }
  if (role == Qt::ToolTipRole) {
    if (column.kind == ColumnKind::Param) return tr("Parameter %1").arg(column.key);
    if (column.kind == ColumnKind::Metric) return tr("Metric %1 (latest value)").arg(column.key);
  }
  if (role == Qt::TextAlignmentRole) {
    return QVariant::fromValue<int>(Qt::AlignVCenter |
                                    (isNumeric(column) ? Qt::AlignRight : Qt::AlignLeft));
  }
  return QAbstractTableModel::headerData(section, orientation, role);
}

}  // namespace geih::ui
