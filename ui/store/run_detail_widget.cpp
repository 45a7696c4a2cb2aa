#include "ui/store/run_detail_widget.h"

#include <QDateTime>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/store/runs_table_model.h"

namespace geih::ui {

namespace {

QTableWidget* makeTable(const QStringList& headers, QWidget* parent) {
  auto* table = new QTableWidget(0, static_cast<int>(headers.size()), parent);
  table->setHorizontalHeaderLabels(headers);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setAlternatingRowColors(true);
  table->setShowGrid(false);
  table->setWordWrap(false);
  table->verticalHeader()->setVisible(false);
  table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
  table->horizontalHeader()->setStretchLastSection(true);
  table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  table->horizontalHeader()->setHighlightSections(false);
  return table;
}

QWidget* framed(const QString& title, QWidget* content, QWidget* parent) {
  auto* box = new QGroupBox(title, parent);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(content);
  return box;
}

QTableWidgetItem* item(const QString& text, Qt::Alignment alignment = Qt::AlignLeft) {
  auto* cell = new QTableWidgetItem(text);
  cell->setTextAlignment(alignment | Qt::AlignVCenter);
  cell->setToolTip(text);
  return cell;
}

void setRow(QTableWidget* table, int row, const QList<QTableWidgetItem*>& cells) {
  for (int c = 0; c < cells.size(); ++c) table->setItem(row, c, cells[c]);
}

void fitColumns(QTableWidget* table) {
  table->resizeColumnsToContents();
  QHeaderView* header = table->horizontalHeader();
  for (int c = 0; c + 1 < header->count(); ++c) {
    header->resizeSection(c, std::min(header->sectionSize(c) + 12, 260));
  }
}

QString formatBytes(std::int64_t bytes) {
  return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

template <typename Map>
void fillKeyValues(QTableWidget* table, const Map& map, bool numeric) {
  table->setRowCount(static_cast<int>(map.size()));
  int row = 0;
  for (const auto& [key, value] : map) {
    QString text;
    if constexpr (std::is_same_v<typename Map::mapped_type, double>) {
      text = RunsTableModel::formatMetric(value);
    } else {
      text = QString::fromStdString(value);
    }
    setRow(
        table, row++,
        {item(QString::fromStdString(key)), item(text, numeric ? Qt::AlignRight : Qt::AlignLeft)});
  }
  fitColumns(table);
}

}  // namespace

RunDetailWidget::RunDetailWidget(QWidget* parent)
    : QWidget(parent),
      m_stack(new QStackedWidget(this)),
      m_title(new QLabel(this)),
      m_meta(new QLabel(this)),
      m_params(makeTable({tr("Parameter"), tr("Value")}, this)),
      m_metrics(makeTable({tr("Metric"), tr("Value")}, this)),
      m_tags(makeTable({tr("Tag"), tr("Value")}, this)),
      m_datasets(makeTable({tr("Role"), tr("Dataset"), tr("Rows"), tr("SHA-256")}, this)),
      m_artifacts(makeTable({tr("Path"), tr("Size"), tr("Type")}, this)) {
  auto* placeholder =
      new QLabel(tr("Select a run to see its parameters, metrics, datasets and artifacts."), this);
  placeholder->setAlignment(Qt::AlignCenter);
  placeholder->setForegroundRole(QPalette::PlaceholderText);

  QFont titleFont = m_title->font();
  titleFont.setBold(true);
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
  m_title->setFont(titleFont);
  m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_meta->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_meta->setForegroundRole(QPalette::PlaceholderText);
  m_meta->setWordWrap(true);

  auto* inputs = new QSplitter(Qt::Vertical, this);
  inputs->addWidget(framed(tr("Datasets"), m_datasets, inputs));
  inputs->addWidget(framed(tr("Artifacts"), m_artifacts, inputs));
  inputs->setChildrenCollapsible(false);

  auto* columns = new QSplitter(Qt::Horizontal, this);
  columns->addWidget(framed(tr("Parameters"), m_params, columns));
  columns->addWidget(framed(tr("Metrics"), m_metrics, columns));
  columns->addWidget(framed(tr("Tags"), m_tags, columns));
  columns->addWidget(inputs);
  columns->setChildrenCollapsible(false);
  columns->setStretchFactor(0, 2);
  columns->setStretchFactor(1, 2);
  columns->setStretchFactor(2, 2);
  columns->setStretchFactor(3, 3);

  auto* content = new QWidget(this);
  auto* contentLayout = new QVBoxLayout(content);
  contentLayout->setContentsMargins(6, 6, 6, 6);
  contentLayout->setSpacing(4);
  contentLayout->addWidget(m_title);
  contentLayout->addWidget(m_meta);
  contentLayout->addWidget(columns, 1);

  m_stack->addWidget(placeholder);
  m_stack->addWidget(content);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_stack);
}

void RunDetailWidget::clear() {
  m_runId.clear();
  m_stack->setCurrentIndex(0);
  for (QTableWidget* table : {m_params, m_metrics, m_tags, m_datasets, m_artifacts}) {
    table->setRowCount(0);
  }
}

void RunDetailWidget::setRunDetail(const store::RunDetail& detail) {
  const store::RunSummary& run = detail.summary;
  m_runId = QString::fromStdString(run.id);
  m_title->setText(QString::fromStdString(run.name.empty() ? run.id : run.name));

  QStringList meta;
  meta << RunsTableModel::statusText(run.status);
  if (run.startMs > 0) {
    meta << tr("started %1")
                .arg(QDateTime::fromMSecsSinceEpoch(run.startMs)
                         .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
  }
  if (run.endMs && *run.endMs >= run.startMs) {
    meta << tr("took %1").arg(RunsTableModel::formatDuration(*run.endMs - run.startMs));
  }
  meta << tr("run %1").arg(m_runId);
  if (detail.seed) meta << tr("seed %1").arg(*detail.seed);
  if (!detail.gitCommit.empty()) {
    meta << tr("git %1").arg(QString::fromStdString(detail.gitCommit.substr(0, 10)));
  }
  if (!detail.configHash.empty()) {
    meta << tr("config %1").arg(QString::fromStdString(detail.configHash.substr(0, 12)));
  }
  if (!detail.parentRunId.empty()) {
    meta << tr("parent %1").arg(QString::fromStdString(detail.parentRunId.substr(0, 8)));
  }
  m_meta->setText(meta.join(QStringLiteral("  ·  ")));

  fillKeyValues(m_params, run.params, false);
  fillKeyValues(m_metrics, run.metrics, true);
  fillKeyValues(m_tags, run.tags, false);

  m_datasets->setRowCount(static_cast<int>(detail.datasets.size()));
  for (int row = 0; row < static_cast<int>(detail.datasets.size()); ++row) {
    const store::RunDataset& input = detail.datasets[static_cast<std::size_t>(row)];
    const store::DatasetRecord& dataset = input.dataset;
    auto* hash = item(QString::fromStdString(dataset.sha256.substr(0, 16)));
    hash->setToolTip(QString::fromStdString(dataset.sha256));
    setRow(m_datasets, row,
           {item(QString::fromStdString(input.role)),
            item(QStringLiteral("%1@%2")
                     .arg(QString::fromStdString(dataset.name))
                     .arg(dataset.version)),
            item(QLocale().toString(static_cast<qlonglong>(dataset.rows)), Qt::AlignRight), hash});
  }
  fitColumns(m_datasets);

  m_artifacts->setRowCount(static_cast<int>(detail.artifacts.size()));
  for (int row = 0; row < static_cast<int>(detail.artifacts.size()); ++row) {
    const store::ArtifactRecord& artifact = detail.artifacts[static_cast<std::size_t>(row)];
    auto* path = item(QString::fromStdString(artifact.path));
    path->setToolTip(
        tr("%1\nSHA-256 %2")
            .arg(QString::fromStdString(artifact.path), QString::fromStdString(artifact.sha256)));
    setRow(m_artifacts, row,
           {path, item(formatBytes(artifact.size), Qt::AlignRight),
            item(QString::fromStdString(artifact.mediaType))});
  }
  fitColumns(m_artifacts);

  m_stack->setCurrentIndex(1);
}

}  // namespace geih::ui
