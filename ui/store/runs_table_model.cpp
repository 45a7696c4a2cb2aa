#include "ui/store/runs_table_model.h"

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

constexpr int kFixedColumns = 4;

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
  return QString::number(value, 'f', 4);
}

QString RunsTableModel::hiddenId(ColumnKind kind, const QString& key) {
  return (kind == ColumnKind::Param ? QStringLiteral("param:") : QStringLiteral("metric:")) + key;
}

void RunsTableModel::setRuns(std::vector<store::RunSummary> runs) {
  beginResetModel();
  m_runs = std::move(runs);
  std::set<std::string> params;
  std::set<std::string> metrics;
  for (const store::RunSummary& run : m_runs) {
    for (const auto& [key, value] : run.params) params.insert(key);
    for (const auto& [key, value] : run.metrics) metrics.insert(key);
  }
  m_paramKeys.clear();
  m_metricKeys.clear();
  for (const std::string& key : params) m_paramKeys << QString::fromStdString(key);
  for (const std::string& key : metrics) m_metricKeys << QString::fromStdString(key);
  m_columns = visibleColumns();
  endResetModel();
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
    if (!m_hidden.contains(hiddenId(ColumnKind::Param, key))) {
      columns.push_back({ColumnKind::Param, key});
    }
  }
  for (const QString& key : m_metricKeys) {
    if (!m_hidden.contains(hiddenId(ColumnKind::Metric, key))) {
      columns.push_back({ColumnKind::Metric, key});
    }
  }
  return columns;
}

void RunsTableModel::setColumnVisible(ColumnKind kind, const QString& key, bool visible) {
  if (kind != ColumnKind::Param && kind != ColumnKind::Metric) return;
  if (visible == isColumnVisible(kind, key)) return;
  if (!visible) {
    const int column = columnOf(kind, key);
    if (column < 0) {
      m_hidden.insert(hiddenId(kind, key));
      return;
    }
    beginRemoveColumns({}, column, column);
    m_hidden.insert(hiddenId(kind, key));
    m_columns.erase(m_columns.begin() + column);
    endRemoveColumns();
    return;
  }
  m_hidden.remove(hiddenId(kind, key));
  std::vector<Column> columns = visibleColumns();
  const Column wanted{kind, key};
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == wanted) {
      beginInsertColumns({}, static_cast<int>(i), static_cast<int>(i));
      m_columns = std::move(columns);
      endInsertColumns();
      return;
    }
  }
}

bool RunsTableModel::isColumnVisible(ColumnKind kind, const QString& key) const {
  if (kind != ColumnKind::Param && kind != ColumnKind::Metric) return true;
  return !m_hidden.contains(hiddenId(kind, key));
}

int RunsTableModel::columnOf(ColumnKind kind, const QString& key) const {
  const Column wanted{kind, (kind == ColumnKind::Param || kind == ColumnKind::Metric) ? key
                                                                                       : QString()};
  for (std::size_t i = 0; i < m_columns.size(); ++i) {
    if (m_columns[i] == wanted) return static_cast<int>(i);
  }
  return -1;
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
      const bool numeric =
          column.kind == ColumnKind::Metric || column.kind == ColumnKind::Duration ||
          (column.kind == ColumnKind::Param &&
           sortData(run, column).typeId() == QMetaType::Double);
      return QVariant::fromValue<int>(Qt::AlignVCenter |
                                      (numeric ? Qt::AlignRight : Qt::AlignLeft));
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
    const bool numeric = column.kind == ColumnKind::Metric || column.kind == ColumnKind::Duration;
    return QVariant::fromValue<int>(Qt::AlignVCenter | (numeric ? Qt::AlignRight : Qt::AlignLeft));
  }
  return QAbstractTableModel::headerData(section, orientation, role);
}

}  // namespace geih::ui
