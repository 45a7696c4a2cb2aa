#include "ui/eval/run_insights_widget.h"

#include <algorithm>
#include <cmath>

#include <QBarCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QBarSet>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include "core/store/workspace.h"
#include "ui/common/task_runner.h"

namespace geih::ui {
namespace {

constexpr std::size_t kTopFeatures = 20;

QChartView* makeView(QWidget* parent) {
  auto* view = new QChartView(new QChart, parent);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumHeight(220);
  return view;
}

void replaceChart(QChartView* view, QChart* chart) {
  QChart* old = view->chart();
  view->setChart(chart);
  delete old;
}

std::vector<double> numbers(const nlohmann::json& array) {
  std::vector<double> out;
  if (!array.is_array()) return out;
  for (const auto& value : array) out.push_back(value.is_number() ? value.get<double>() : NAN);
  return out;
}

// Axis bounds with a little margin, over the finite values of both spans.
std::pair<double, double> bounds(const std::vector<double>& a, const std::vector<double>& b = {}) {
  double low = INFINITY, high = -INFINITY;
  for (const auto* values : {&a, &b}) {
    for (const double v : *values) {
      if (!std::isfinite(v)) continue;
      low = std::min(low, v);
      high = std::max(high, v);
    }
  }
  if (!std::isfinite(low)) return {0, 1};
  const double pad = high > low ? 0.05 * (high - low) : 1.0;
  return {low - pad, high + pad};
}

}  // namespace

RunInsightsWidget::RunInsightsWidget(TaskRunner* runner, QWidget* parent)
    : QWidget(parent),
      m_runner(runner),
      m_message(new QLabel(tr("Select a run"), this)),
      m_importanceKind(new QComboBox(this)),
      m_foldMetric(new QComboBox(this)),
      m_importance(makeView(this)),
      m_folds(makeView(this)),
      m_fit(makeView(this)),
      m_residuals(makeView(this)) {
  qRegisterMetaType<RunInsights>();
  auto* controls = new QHBoxLayout;
  controls->addWidget(m_message, 1);
  controls->addWidget(new QLabel(tr("Importance"), this));
  controls->addWidget(m_importanceKind);
  controls->addWidget(new QLabel(tr("CV metric"), this));
  controls->addWidget(m_foldMetric);
  auto* grid = new QGridLayout;
  grid->addWidget(m_importance, 0, 0);
  grid->addWidget(m_folds, 0, 1);
  grid->addWidget(m_fit, 1, 0);
  grid->addWidget(m_residuals, 1, 1);
  grid->setColumnStretch(0, 1);
  grid->setColumnStretch(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(controls);
  layout->addLayout(grid, 1);
  connect(m_importanceKind, &QComboBox::currentTextChanged, this, [this] { drawImportance(); });
  connect(m_foldMetric, &QComboBox::currentTextChanged, this, [this] { drawFolds(); });
  show(RunInsights{});
}

void RunInsightsWidget::setWorkspace(const QString& root) {
  m_root = root;
  show(RunInsights{});
}

void RunInsightsWidget::showRun(const QString& runId) {
  if (m_task) m_runner->cancel(m_task);
  m_task = 0;
  if (runId.isEmpty() || m_root.isEmpty()) {
    show(RunInsights{});
    return;
  }
  const QString root = m_root;
  m_task = m_runner->start(
      tr("Reading run insights"),
      [root, runId](Progress&) { return QVariant::fromValue(read(root, runId)); },
      [this](const TaskResult& result) {
        // A cancelled read was replaced by a newer one, which shows its run when it ends.
        if (result.status == TaskResult::Status::Cancelled) return;
        m_task = 0;
        if (!result.ok()) {
          show(RunInsights{});
          m_message->setText(result.message);
          return;
        }
        show(result.value.value<RunInsights>());
      },
      this);
}

RunInsights RunInsightsWidget::read(const QString& root, const QString& runId) {
  const store::Workspace workspace =
      store::Workspace::open(root.toStdString(), store::OpenMode::MustExist);
  const store::RunDetail detail = workspace.runDetail(runId.toStdString());
  RunInsights insights;
  insights.runId = QString::fromStdString(detail.summary.id);
  insights.runName = QString::fromStdString(detail.summary.name);
  for (const store::CurveRecord& curve : workspace.curves(detail.summary.id)) {
    nlohmann::json json;
    try {
      json = nlohmann::json::parse(curve.json);
    } catch (const nlohmann::json::exception&) {
      continue;  // a curve another tool wrote in another shape: nothing to draw
    }
    if (curve.name == "importance_gain" || curve.name == "importance_permutation") {
      const QString kind = curve.name == "importance_gain" ? QStringLiteral("gain")
                                                           : QStringLiteral("permutation");
      const auto features = json.value("features", nlohmann::json::array());
      const std::vector<double> values = numbers(json.value("importance", nlohmann::json::array()));
      const std::vector<double> spreads = numbers(json.value("std", nlohmann::json::array()));
      std::vector<RunInsights::Bar>& bars = insights.importance[kind];
      for (std::size_t i = 0; i < features.size() && i < values.size(); ++i) {
        if (!features[i].is_string()) continue;
        bars.push_back({QString::fromStdString(features[i].get<std::string>()), values[i],
                        i < spreads.size() ? spreads[i] : 0.0});
      }
      if (kind == QLatin1String("permutation")) {
        insights.permutationMetric = QString::fromStdString(json.value("metric", std::string()));
      }
    } else if (curve.name == "pred_vs_actual") {
      insights.actual = numbers(json.value("actual", nlohmann::json::array()));
      insights.predicted = numbers(json.value("predicted", nlohmann::json::array()));
    } else if (curve.name == "residuals") {
      insights.residual = numbers(json.value("residual", nlohmann::json::array()));
    }
  }
  for (const std::string& key : detail.metricKeys) {
    if (key.rfind("cv_", 0) != 0 || key.ends_with("_mean") || key.ends_with("_std")) {
      continue;
    }
    std::vector<double> values;
    for (const store::MetricPoint& point : workspace.metricHistory(detail.summary.id, key)) {
      values.push_back(point.value);
    }
    if (values.size() > 1) insights.folds[QString::fromStdString(key.substr(3))] = values;
  }
  return insights;
}

void RunInsightsWidget::show(const RunInsights& insights) {
  m_insights = insights;
  const QString keepImportance = m_importanceKind->currentText();
  const QString keepMetric = m_foldMetric->currentText();
  {
    const QSignalBlocker blockImportance(m_importanceKind);
    const QSignalBlocker blockMetric(m_foldMetric);
    m_importanceKind->clear();
    for (const auto& [kind, bars] : insights.importance) m_importanceKind->addItem(kind);
    const int permutation = m_importanceKind->findText(QStringLiteral("permutation"));
    const int keep = m_importanceKind->findText(keepImportance);
    m_importanceKind->setCurrentIndex(keep >= 0 ? keep : std::max(permutation, 0));
    m_foldMetric->clear();
    for (const auto& [metric, values] : insights.folds) m_foldMetric->addItem(metric);
    int metric = m_foldMetric->findText(keepMetric);
    if (metric < 0) metric = m_foldMetric->findText(QStringLiteral("roc_auc"));
    if (metric < 0) metric = m_foldMetric->findText(QStringLiteral("r2"));
    m_foldMetric->setCurrentIndex(std::max(metric, 0));
  }
  m_importanceKind->setEnabled(m_importanceKind->count() > 1);
  m_foldMetric->setEnabled(m_foldMetric->count() > 1);
  if (insights.runId.isEmpty()) {
    m_message->setText(tr("Select a run to see what it learned"));
  } else {
    QStringList what;
    if (!insights.importance.empty()) what << tr("feature importance");
    if (!insights.folds.empty()) what << tr("cross-validation folds");
    if (!insights.actual.empty()) what << tr("predicted vs actual");
    m_message->setText(what.isEmpty() ? tr("%1: no importance, folds or fit data (older run?)")
                                            .arg(insights.runName)
                                      : tr("%1: %2").arg(insights.runName, what.join(", ")));
  }
  drawImportance();
  drawFolds();
  drawRegression();
  emit loaded(insights.runId);
}

void RunInsightsWidget::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  // Charts laid out while the tab was hidden come up empty: draw again now that it shows.
  drawImportance();
  drawFolds();
  drawRegression();
}

void RunInsightsWidget::drawImportance() {
  const auto it = m_insights.importance.find(m_importanceKind->currentText());
  m_importance->setVisible(it != m_insights.importance.end() && !it->second.empty());
  if (!m_importance->isVisible()) return;
  const std::vector<RunInsights::Bar>& bars = it->second;
  const std::size_t shown = std::min(kTopFeatures, bars.size());
  auto* set = new QBarSet(it->first);
  set->setColor(QColor(0x2b, 0x7b, 0xba));
  QStringList names;
  // Bottom to top: the most important feature ends up at the top of the chart.
  for (std::size_t i = shown; i-- > 0;) {
    *set << bars[i].value;
    names << bars[i].feature;
  }
  auto* series = new QHorizontalBarSeries;
  series->append(set);
  auto* chart = new QChart;
  chart->addSeries(series);
  const QString metric = it->first == QLatin1String("permutation") && !m_insights.permutationMetric.isEmpty()
                             ? tr(" (drop in %1 when shuffled)").arg(m_insights.permutationMetric)
                             : it->first == QLatin1String("gain") ? tr(" (share of split gain)") : QString();
  chart->setTitle(tr("Feature importance%1").arg(metric));
  auto* y = new QBarCategoryAxis;
  y->append(names);
  y->setTruncateLabels(false);
  QFont small = y->labelsFont();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  y->setLabelsFont(small);
  auto* x = new QValueAxis;
  // From 0 (or the most negative importance: shuffling a useless feature can help by chance).
  double low = 0, high = 0;
  for (std::size_t i = 0; i < shown; ++i) {
    low = std::min(low, bars[i].value);
    high = std::max(high, bars[i].value);
  }
  const double pad = 0.05 * std::max(high - low, 1e-12);
  x->setRange(low < 0 ? low - pad : 0.0, high + pad);
  chart->addAxis(y, Qt::AlignLeft);
  chart->addAxis(x, Qt::AlignBottom);
  series->attachAxis(y);
  series->attachAxis(x);
  chart->legend()->hide();
  replaceChart(m_importance, chart);
}

void RunInsightsWidget::drawFolds() {
  const auto it = m_insights.folds.find(m_foldMetric->currentText());
  m_folds->setVisible(it != m_insights.folds.end());
  if (!m_folds->isVisible()) return;
  const std::vector<double>& values = it->second;
  double mean = 0;
  for (const double v : values) mean += v / double(values.size());
  auto* points = new QLineSeries;
  points->setName(it->first);
  points->setPointsVisible(true);
  auto* average = new QLineSeries;
  average->setName(tr("mean %1").arg(mean, 0, 'f', 4));
  average->setPen(QPen(QColor(0xe8, 0x71, 0x0a), 1.5, Qt::DashLine));
  for (std::size_t f = 0; f < values.size(); ++f) points->append(double(f + 1), values[f]);
  average->append(1, mean);
  average->append(double(values.size()), mean);
  auto* chart = new QChart;
  chart->setTitle(tr("Cross-validation: %1 per fold").arg(it->first));
  chart->addSeries(points);
  chart->addSeries(average);
  auto* x = new QValueAxis;
  // Integer ticks 0 .. n + 1, the folds at 1 .. n.
  x->setRange(0, double(values.size()) + 1);
  x->setTickCount(int(values.size()) + 2);
  x->setLabelFormat(QStringLiteral("%d"));
  x->setTitleText(tr("fold"));
  auto* y = new QValueAxis;
  const auto [low, high] = bounds(values);
  y->setRange(low, high);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (auto* series : {points, average}) {
    series->attachAxis(x);
    series->attachAxis(y);
  }
  chart->legend()->setAlignment(Qt::AlignBottom);
  replaceChart(m_folds, chart);
}

void RunInsightsWidget::drawRegression() {
  const bool fit = !m_insights.actual.empty() && m_insights.actual.size() == m_insights.predicted.size();
  m_fit->setVisible(fit);
  m_residuals->setVisible(fit && m_insights.residual.size() == m_insights.predicted.size());
  if (!fit) return;
  auto scatter = [](const QString& name) {
    auto* series = new QScatterSeries;
    series->setName(name);
    series->setMarkerSize(5);
    series->setColor(QColor(0x2b, 0x7b, 0xba, 140));
    series->setBorderColor(Qt::transparent);
    return series;
  };
  {
    auto* points = scatter(tr("test rows"));
    for (std::size_t i = 0; i < m_insights.actual.size(); ++i) {
      points->append(m_insights.actual[i], m_insights.predicted[i]);
    }
    const auto [low, high] = bounds(m_insights.actual, m_insights.predicted);
    auto* identity = new QLineSeries;
    identity->setName(tr("y = x"));
    identity->setPen(QPen(Qt::gray, 1, Qt::DashLine));
    identity->append(low, low);
    identity->append(high, high);
    auto* chart = new QChart;
    chart->setTitle(tr("Predicted vs actual"));
    chart->addSeries(points);
    chart->addSeries(identity);
    auto* x = new QValueAxis;
    x->setRange(low, high);
    x->setTitleText(tr("actual"));
    auto* y = new QValueAxis;
    y->setRange(low, high);
    y->setTitleText(tr("predicted"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries* series : {static_cast<QAbstractSeries*>(points),
                                    static_cast<QAbstractSeries*>(identity)}) {
      series->attachAxis(x);
      series->attachAxis(y);
    }
    chart->legend()->hide();
    replaceChart(m_fit, chart);
  }
  if (!m_residuals->isVisible()) return;
  auto* points = scatter(tr("residuals"));
  for (std::size_t i = 0; i < m_insights.predicted.size(); ++i) {
    points->append(m_insights.predicted[i], m_insights.residual[i]);
  }
  const auto [xLow, xHigh] = bounds(m_insights.predicted);
  const auto [yLow, yHigh] = bounds(m_insights.residual);
  auto* zero = new QLineSeries;
  zero->setPen(QPen(Qt::gray, 1, Qt::DashLine));
  zero->append(xLow, 0);
  zero->append(xHigh, 0);
  auto* chart = new QChart;
  chart->setTitle(tr("Residuals (actual - predicted)"));
  chart->addSeries(points);
  chart->addSeries(zero);
  auto* x = new QValueAxis;
  x->setRange(xLow, xHigh);
  x->setTitleText(tr("predicted"));
  auto* y = new QValueAxis;
  y->setRange(std::min(yLow, -1e-9), std::max(yHigh, 1e-9));
  y->setTitleText(tr("residual"));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (QAbstractSeries* series : {static_cast<QAbstractSeries*>(points),
                                  static_cast<QAbstractSeries*>(zero)}) {
    series->attachAxis(x);
    series->attachAxis(y);
  }
  chart->legend()->hide();
  replaceChart(m_residuals, chart);
}

}  // namespace geih::ui
