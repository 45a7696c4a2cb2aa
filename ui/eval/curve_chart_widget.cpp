#include "ui/eval/curve_chart_widget.h"

#include <cmath>

#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSet>
#include <QStackedWidget>
#include <QValueAxis>

namespace geih::ui {

namespace {

QString defaultMessage() {
  return CurveChartWidget::tr(
      "Select one or more runs in the table to overlay their ROC and precision-recall curves.");
}

QChart* makeChart(const QString& title, const QString& xTitle, const QString& yTitle) {
  auto* chart = new QChart;
  chart->setTitle(title);
  QFont titleFont = chart->titleFont();
  titleFont.setBold(true);
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
  chart->setTitleFont(titleFont);
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setBackgroundRoundness(0);
  chart->setMargins(QMargins(6, 6, 6, 6));
  // The legend floats inside the plot area (see placeLegend), listing one run per line, so long
  // run names are never elided.
  QLegend* legend = chart->legend();
  legend->setVisible(true);
  legend->detachFromChart();
  legend->setAlignment(Qt::AlignLeft);  // detached: one column, entries left-aligned
  legend->setShowToolTips(true);
  legend->setBackgroundVisible(true);
  legend->setBrush(QColor(255, 255, 255, 230));
  legend->setPen(QPen(QColor(0, 0, 0, 50)));

  auto makeAxis = [](const QString& axisTitle) {
    auto* axis = new QValueAxis;
    axis->setRange(0.0, 1.0);
    axis->setTickCount(6);
    axis->setMinorTickCount(1);
    axis->setLabelFormat(QStringLiteral("%.1f"));
    axis->setTitleText(axisTitle);
    QPen grid = axis->minorGridLinePen();
    grid.setColor(QColor(0, 0, 0, 18));
    axis->setMinorGridLinePen(grid);
    return axis;
  };
  chart->addAxis(makeAxis(xTitle), Qt::AlignBottom);
  chart->addAxis(makeAxis(yTitle), Qt::AlignLeft);
  return chart;
}

void attach(QChart* chart, QLineSeries* series) {
  chart->addSeries(series);
  for (QAbstractAxis* axis : chart->axes()) series->attachAxis(axis);
}

QList<QPointF> toPoints(const eval::Curve& curve) {
  QList<QPointF> points;
  points.reserve(static_cast<qsizetype>(curve.points.size()));
  for (const eval::CurvePoint& point : curve.points) points.append(QPointF(point.x, point.y));
  return points;
}

// Puts the legend in a corner of the plot area where the curves rarely are, sized to its entries.
void placeLegend(QChart* chart, Qt::Corner corner, qsizetype entries) {
  QLegend* legend = chart->legend();
  const QRectF plot = chart->plotArea();
  constexpr qreal kInset = 8;
  legend->setVisible(entries > 0);
  if (entries == 0) return;
  // The legend's own size hint is that of its widest entry; stack the entries one per line.
  qreal left = 0, top = 0, right = 0, bottom = 0;
  legend->layout()->getContentsMargins(&left, &top, &right, &bottom);
  const QSizeF entry =
      legend->effectiveSizeHint(Qt::PreferredSize) - QSizeF(left + right, top + bottom);
  QSizeF size(entry.width() + left + right + 2, entry.height() * entries + top + 2 * bottom + 2);
  size = size.boundedTo(QSizeF(plot.width() - 2 * kInset, plot.height() - 2 * kInset));
  const qreal x = (corner == Qt::BottomRightCorner || corner == Qt::TopRightCorner)
                      ? plot.right() - kInset - size.width()
                      : plot.left() + kInset;
  const qreal y = (corner == Qt::BottomRightCorner || corner == Qt::BottomLeftCorner)
                      ? plot.bottom() - kInset - size.height()
                      : plot.top() + kInset;
  legend->setGeometry(QRectF(QPointF(x, y), size));
  legend->update();
}

QStringList seriesNames(const QList<QLineSeries*>& series) {
  QStringList names;
  for (const QLineSeries* line : series) names << line->name();
  return names;
}

}  // namespace

CurveChartWidget::CurveChartWidget(QWidget* parent)
    : QWidget(parent),
      m_stack(new QStackedWidget(this)),
      m_placeholder(new QLabel(defaultMessage(), this)),
      m_rocChart(makeChart(tr("ROC curve"), tr("False positive rate"), tr("True positive rate"))),
      m_prChart(makeChart(tr("Precision-recall curve"), tr("Recall"), tr("Precision"))),
      m_rocView(new QChartView(m_rocChart, this)),
      m_prView(new QChartView(m_prChart, this)),
      m_chance(new QLineSeries) {
  m_placeholder->setAlignment(Qt::AlignCenter);
  m_placeholder->setWordWrap(true);
  m_placeholder->setForegroundRole(QPalette::PlaceholderText);

  m_chance->setName(tr("Chance"));
  m_chance->append(0.0, 0.0);
  m_chance->append(1.0, 1.0);
  QPen chancePen(QColor(0x9e, 0x9e, 0x9e));
  chancePen.setStyle(Qt::DashLine);
  chancePen.setWidthF(1.2);
  m_chance->setPen(chancePen);
  attach(m_rocChart, m_chance);
  for (QLegendMarker* marker : m_rocChart->legend()->markers(m_chance)) marker->setVisible(false);

  // ROC curves hug the top-left, PR curves the top and right: the free corners take the legends.
  connect(m_rocChart, &QChart::plotAreaChanged, this,
          [this] { placeLegend(m_rocChart, Qt::BottomRightCorner, m_rocSeries.size()); });
  connect(m_prChart, &QChart::plotAreaChanged, this,
          [this] { placeLegend(m_prChart, Qt::BottomLeftCorner, m_prSeries.size()); });

  for (QChartView* view : {m_rocView, m_prView}) {
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(320, 280);
  }

  auto* charts = new QWidget(this);
  auto* chartsLayout = new QHBoxLayout(charts);
  chartsLayout->setContentsMargins(0, 0, 0, 0);
  chartsLayout->setSpacing(4);
  chartsLayout->addWidget(m_rocView, 1);
  chartsLayout->addWidget(m_prView, 1);

  m_stack->addWidget(m_placeholder);
  m_stack->addWidget(charts);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_stack);
}

QColor CurveChartWidget::runColor(int index) {
  // Tableau 10: distinct, readable on white, kind to most colour-blind viewers.
  static const QColor kPalette[] = {QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b),
                                    QColor(0xe1, 0x57, 0x59), QColor(0x76, 0xb7, 0xb2),
                                    QColor(0x59, 0xa1, 0x4f), QColor(0xed, 0xc9, 0x48),
                                    QColor(0xb0, 0x7a, 0xa1), QColor(0xff, 0x9d, 0xa7),
                                    QColor(0x9c, 0x75, 0x5f), QColor(0xba, 0xb0, 0xac)};
  constexpr int kCount = static_cast<int>(std::size(kPalette));
  return kPalette[((index % kCount) + kCount) % kCount];
}

void CurveChartWidget::removeRunSeries() {
  for (QLineSeries* series : m_rocSeries) {
    m_rocChart->removeSeries(series);
    delete series;
  }
  for (QLineSeries* series : m_prSeries) {
    m_prChart->removeSeries(series);
    delete series;
  }
  m_rocSeries.clear();
  m_prSeries.clear();
  m_runCount = 0;
}

void CurveChartWidget::clear(const QString& message) {
  removeRunSeries();
  m_placeholder->setText(message.isEmpty() ? defaultMessage() : message);
  m_stack->setCurrentIndex(0);
}

void CurveChartWidget::setCurves(const std::vector<RunCurves>& curves) {
  removeRunSeries();

  // Runs with the same name are told apart by the start of their id.
  QSet<QString> seen;
  QSet<QString> duplicated;
  for (const RunCurves& run : curves) {
    if (seen.contains(run.runName)) duplicated.insert(run.runName);
    seen.insert(run.runName);
  }

  int index = 0;
  for (const RunCurves& run : curves) {
    QString label = run.runName.isEmpty() ? run.runId.left(8) : run.runName;
    if (duplicated.contains(run.runName)) label += QStringLiteral(" [%1]").arg(run.runId.left(6));
    QPen pen(runColor(index++));
    pen.setWidthF(2.0);

    if (!run.roc.points.empty()) {
      auto* series = new QLineSeries;
      series->setName(std::isfinite(run.auc) ? tr("%1 (AUC %2)").arg(label).arg(run.auc, 0, 'f', 3)
                                             : label);
      series->replace(toPoints(run.roc));
      series->setPen(pen);
      attach(m_rocChart, series);
      m_rocSeries.append(series);
    }
    if (!run.pr.points.empty()) {
      auto* series = new QLineSeries;
      series->setName(std::isfinite(run.ap) ? tr("%1 (AP %2)").arg(label).arg(run.ap, 0, 'f', 3)
                                            : label);
      series->replace(toPoints(run.pr));
      series->setPen(pen);
      attach(m_prChart, series);
      m_prSeries.append(series);
    }
  }
  m_runCount = static_cast<int>(curves.size());

  placeLegend(m_rocChart, Qt::BottomRightCorner, m_rocSeries.size());
  placeLegend(m_prChart, Qt::BottomLeftCorner, m_prSeries.size());

  if (m_rocSeries.isEmpty() && m_prSeries.isEmpty()) {
    m_placeholder->setText(curves.empty()
                               ? defaultMessage()
                               : tr("The selected runs have no stored ROC or PR curves. "
                                    "Curves are logged by `geih train` and `geih eval`."));
    m_stack->setCurrentIndex(0);
  } else {
    m_stack->setCurrentIndex(1);
  }
}

QStringList CurveChartWidget::rocSeriesNames() const { return seriesNames(m_rocSeries); }

QStringList CurveChartWidget::prSeriesNames() const { return seriesNames(m_prSeries); }

bool CurveChartWidget::isShowingCharts() const { return m_stack->currentIndex() == 1; }

}  // namespace geih::ui
