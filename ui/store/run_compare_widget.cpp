#include "ui/store/run_compare_widget.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include "core/store/workspace.h"
#include "ui/common/task_runner.h"

namespace geih::ui {

namespace {
const QColor kDiffers(0xff, 0xf3, 0xcd);
const QColor kBest(0x1b, 0x5e, 0x20);

QString numberText(double value) {
  if (std::abs(value) >= 100 && value == std::floor(value)) return QString::number(qlonglong(value));
  return QString::number(value, 'g', 6);
}
}  // namespace

RunCompareWidget::RunCompareWidget(TaskRunner* runner, QWidget* parent)
    : QWidget(parent),
      m_runner(runner),
      m_message(new QLabel(tr("Select two runs or more to compare them."), this)),
      m_onlyDifferences(new QCheckBox(tr("Only differences"), this)),
      m_table(new QTableWidget(this)),
      m_historyKey(new QComboBox(this)),
      m_history(new QChartView(new QChart, this)) {
  qRegisterMetaType<RunCompareData>();
  m_onlyDifferences->setChecked(true);
  m_onlyDifferences->setToolTip(tr("Hide params, metrics and data that every run shares"));
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setAlternatingRowColors(false);
  m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  m_history->setRenderHint(QPainter::Antialiasing);
  m_history->setMinimumHeight(180);
  m_historyKey->setToolTip(tr("A metric logged at several steps (fold scores, boosting rounds)"));

  auto* top = new QHBoxLayout;
  top->addWidget(m_message, 1);
  top->addWidget(m_onlyDifferences);
  auto* historyBar = new QHBoxLayout;
  historyBar->addWidget(new QLabel(tr("Metric history:"), this));
  historyBar->addWidget(m_historyKey, 1);
  auto* lower = new QWidget(this);
  auto* lowerLayout = new QVBoxLayout(lower);
  lowerLayout->setContentsMargins(0, 0, 0, 0);
  lowerLayout->addLayout(historyBar);
  lowerLayout->addWidget(m_history, 1);
  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(m_table);
  splitter->addWidget(lower);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(splitter, 1);

  connect(m_onlyDifferences, &QCheckBox::toggled, this, [this] { fillTable(); });
  connect(m_historyKey, &QComboBox::currentTextChanged, this, &RunCompareWidget::showHistory);
}

void RunCompareWidget::setWorkspace(const QString& root) {
  m_root = root;
  show(RunCompareData{});
}

void RunCompareWidget::showRuns(const QStringList& runIds) {
  if (m_task) m_runner->cancel(m_task);
  m_task = 0;
  if (runIds.size() < 2 || m_root.isEmpty()) {
    show(RunCompareData{});
    return;
  }
  const QString root = m_root;
  const QStringList ids = runIds.mid(0, kMaxRuns);
  m_task = m_runner->start(
      tr("Comparing runs"), [root, ids](Progress&) { return QVariant::fromValue(read(root, ids)); },
      [this](const TaskResult& result) {
        if (result.status == TaskResult::Status::Cancelled) return;
        m_task = 0;
        if (!result.ok()) {
          show(RunCompareData{});
          m_message->setText(result.message);
          return;
        }
        show(result.value.value<RunCompareData>());
      },
      this);
}

RunCompareData RunCompareWidget::read(const QString& root, const QStringList& runIds) {
  const store::Workspace workspace = store::Workspace::open(root.toStdString(), store::OpenMode::MustExist);
  std::vector<std::string> ids;
  for (const QString& id : runIds) ids.push_back(id.toStdString());
  RunCompareData data;
  data.comparison = store::compareRuns(workspace, ids);
  std::set<std::string> keys;
  std::vector<store::RunDetail> details;
  for (const auto& run : data.comparison.runs) {
    details.push_back(workspace.runDetail(run.id));
    keys.insert(details.back().metricKeys.begin(), details.back().metricKeys.end());
  }
  for (const std::string& key : keys) {
    std::vector<std::vector<store::MetricPoint>> perRun;
    bool steps = false;
    for (const auto& run : data.comparison.runs) {
      perRun.push_back(workspace.metricHistory(run.id, key));
      steps = steps || perRun.back().size() > 1;
    }
    if (steps) data.histories[key] = std::move(perRun);
  }
  return data;
}

void RunCompareWidget::show(const RunCompareData& data) {
  m_data = data;
  const std::size_t runs = m_data.comparison.runs.size();
  m_message->setText(runs < 2 ? tr("Select two runs or more to compare them.")
                              : tr("%1 runs side by side: differing params shaded, best metric in bold green.").arg(runs));
  fillTable();
  const QString current = m_historyKey->currentText();
  m_historyKey->blockSignals(true);
  m_historyKey->clear();
  for (const auto& [key, series] : m_data.histories) m_historyKey->addItem(QString::fromStdString(key));
  const int keep = m_historyKey->findText(current);
  m_historyKey->setCurrentIndex(keep >= 0 ? keep : (m_historyKey->count() ? 0 : -1));
  m_historyKey->blockSignals(false);
  m_historyKey->setEnabled(m_historyKey->count() > 0);
  showHistory(m_historyKey->currentText());
  emit loaded();
}

void RunCompareWidget::fillTable() {
  const auto& comparison = m_data.comparison;
  m_table->clear();
  m_table->setColumnCount(int(comparison.runs.size()));
  QStringList headers;
  for (const auto& run : comparison.runs) {
    headers << QStringLiteral("%1\n%2").arg(QString::fromStdString(run.name), QString::fromStdString(run.id.substr(0, 8)));
  }
  m_table->setHorizontalHeaderLabels(headers);
  QStringList rowNames;
  std::vector<const store::ComparisonRow*> shown;
  for (const auto& row : comparison.rows) {
    if (m_onlyDifferences->isChecked() && !row.differs) continue;
    shown.push_back(&row);
  }
  m_table->setRowCount(int(shown.size()));
  using Kind = store::ComparisonRow::Kind;
  for (int r = 0; r < int(shown.size()); ++r) {
    const store::ComparisonRow& row = *shown[std::size_t(r)];
    const char* prefix = row.kind == Kind::Param ? "params." : row.kind == Kind::Metric ? "metrics." : "dataset.";
    rowNames << QString::fromLatin1(prefix) + QString::fromStdString(row.key);
    for (int c = 0; c < int(row.text.size()); ++c) {
      auto* item = new QTableWidgetItem;
      const auto& text = row.text[std::size_t(c)];
      if (!text) {
        item->setText(QStringLiteral("–"));
        item->setForeground(Qt::gray);
      } else if (row.kind == Kind::Metric) {
        item->setText(numberText(*row.number[std::size_t(c)]));
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (std::find(row.best.begin(), row.best.end(), std::size_t(c)) != row.best.end()) {
          QFont bold = item->font();
          bold.setBold(true);
          item->setFont(bold);
          item->setForeground(kBest);
          item->setToolTip(tr("Best of the compared runs"));
        }
      } else if (row.kind == Kind::Dataset) {
        const std::string& value = *text;
        item->setText(QString::fromStdString(value.substr(0, value.rfind(' ') + 13)));
        item->setToolTip(QString::fromStdString(value));
      } else {
        item->setText(QString::fromStdString(*text));
      }
      if (row.differs && row.kind != Kind::Metric) item->setBackground(kDiffers);
      m_table->setItem(r, c, item);
    }
  }
  m_table->setVerticalHeaderLabels(rowNames);
  m_table->resizeColumnsToContents();
}

void RunCompareWidget::showHistory(const QString& key) {
  auto* chart = new QChart;
  chart->legend()->setAlignment(Qt::AlignRight);
  const auto it = m_data.histories.find(key.toStdString());
  if (it != m_data.histories.end()) {
    chart->setTitle(tr("%1 by step").arg(key));
    auto* x = new QValueAxis;
    auto* y = new QValueAxis;
    x->setTitleText(tr("step"));
    x->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double lowX = INFINITY, highX = -INFINITY, lowY = INFINITY, highY = -INFINITY;
    for (std::size_t r = 0; r < it->second.size(); ++r) {
      auto* series = new QLineSeries;
      series->setName(QString::fromStdString(m_data.comparison.runs[r].name));
      for (const store::MetricPoint& point : it->second[r]) {
        series->append(double(point.step), point.value);
        lowX = std::min(lowX, double(point.step));
        highX = std::max(highX, double(point.step));
        lowY = std::min(lowY, point.value);
        highY = std::max(highY, point.value);
      }
      chart->addSeries(series);
      series->attachAxis(x);
      series->attachAxis(y);
    }
    if (std::isfinite(lowX)) {
      x->setRange(lowX, std::max(highX, lowX + 1));
      const double pad = highY > lowY ? (highY - lowY) * 0.05 : std::max(1e-6, std::abs(highY) * 0.05);
      y->setRange(lowY - pad, highY + pad);
    }
  } else {
    chart->setTitle(tr("No metric of these runs was logged at several steps"));
  }
  QChart* old = m_history->chart();
  m_history->setChart(chart);
  delete old;
}

}  // namespace geih::ui
