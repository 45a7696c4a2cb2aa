// CurveChartWidget: one line per run in each chart, named with AUC / AP, plus the chance line.
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>
#include <QtTest>

#include "core/eval/curves.h"
#include "ui/eval/curve_chart_widget.h"

using geih::eval::Curve;
using geih::ui::CurveChartWidget;
using geih::ui::RunCurves;

namespace {

Curve makeCurve(const std::string& kind, std::vector<std::pair<double, double>> points) {
  Curve curve;
  curve.kind = kind;
  for (auto [x, y] : points) curve.points.push_back({x, y, 0.5});
  return curve;
}

RunCurves makeRun(const QString& name, int rocPoints, double auc, double ap) {
  RunCurves run;
  run.runId = name + QStringLiteral("0123456789abcdef");
  run.runName = name;
  std::vector<std::pair<double, double>> roc;
  for (int i = 0; i < rocPoints; ++i) {
    const double x = static_cast<double>(i) / (rocPoints - 1);
    roc.emplace_back(x, std::sqrt(x));
  }
  run.roc = makeCurve("roc", roc);
  run.pr = makeCurve("pr", {{0, 1}, {0.5, 0.8}, {1, 0.4}});
  run.auc = auc;
  run.ap = ap;
  return run;
}

}  // namespace

class CurveChartTest : public QObject {
  Q_OBJECT

 private slots:
  void overlaysTwoRuns() {
    CurveChartWidget widget;
    widget.setCurves({makeRun("gbdt", 5, 0.8734, 0.61), makeRun("logistic", 4, 0.8, 0.5)});

    QCOMPARE(widget.runCount(), 2);
    QVERIFY(widget.isShowingCharts());
    QCOMPARE(widget.rocRunSeries().size(), 2);
    QCOMPARE(widget.prRunSeries().size(), 2);
    QCOMPARE(widget.rocSeriesNames(), (QStringList{"gbdt (AUC 0.873)", "logistic (AUC 0.800)"}));
    QCOMPARE(widget.prSeriesNames(), (QStringList{"gbdt (AP 0.610)", "logistic (AP 0.500)"}));
    QCOMPARE(widget.rocRunSeries()[0]->count(), 5);
    QCOMPARE(widget.rocRunSeries()[1]->count(), 4);
    QCOMPARE(widget.prRunSeries()[0]->count(), 3);
    QCOMPARE(widget.rocRunSeries()[1]->at(3), QPointF(1.0, 1.0));

    // The chance line is the one extra series of the ROC chart, and not in the legend.
    QCOMPARE(widget.rocChart()->series().size(), 3);
    QCOMPARE(widget.prChart()->series().size(), 2);
    QVERIFY(widget.rocChart()->series().contains(widget.chanceLine()));
    QCOMPARE(widget.chanceLine()->count(), 2);
    for (QLegendMarker* marker : widget.rocChart()->legend()->markers(widget.chanceLine())) {
      QVERIFY(!marker->isVisible());
    }

    // Same colour for a run in both charts, different colours between runs.
    QCOMPARE(widget.rocRunSeries()[0]->pen().color(), widget.prRunSeries()[0]->pen().color());
    QVERIFY(widget.rocRunSeries()[0]->pen().color() != widget.rocRunSeries()[1]->pen().color());
  }

  void axesAndTitles() {
    CurveChartWidget widget;
    const auto rocX = qobject_cast<QValueAxis*>(widget.rocChart()->axes(Qt::Horizontal).value(0));
    const auto rocY = qobject_cast<QValueAxis*>(widget.rocChart()->axes(Qt::Vertical).value(0));
    const auto prX = qobject_cast<QValueAxis*>(widget.prChart()->axes(Qt::Horizontal).value(0));
    const auto prY = qobject_cast<QValueAxis*>(widget.prChart()->axes(Qt::Vertical).value(0));
    QVERIFY(rocX && rocY && prX && prY);
    QCOMPARE(rocX->titleText(), QStringLiteral("False positive rate"));
    QCOMPARE(rocY->titleText(), QStringLiteral("True positive rate"));
    QCOMPARE(prX->titleText(), QStringLiteral("Recall"));
    QCOMPARE(prY->titleText(), QStringLiteral("Precision"));
    QCOMPARE(rocX->min(), 0.0);
    QCOMPARE(rocX->max(), 1.0);
    QVERIFY(!widget.rocChart()->title().isEmpty());
    QVERIFY(widget.rocChart()->legend()->isVisible());
  }

  void replacingWithOneRunLeavesOneSeries() {
    CurveChartWidget widget;
    widget.setCurves({makeRun("a", 3, 0.7, 0.6), makeRun("b", 3, 0.6, 0.5)});
    widget.setCurves({makeRun("c", 6, 0.9, 0.8)});
    QCOMPARE(widget.rocRunSeries().size(), 1);
    QCOMPARE(widget.prRunSeries().size(), 1);
    QCOMPARE(widget.rocChart()->series().size(), 2);  // the run + the chance line
    QCOMPARE(widget.rocSeriesNames(), QStringList{"c (AUC 0.900)"});
    QCOMPARE(widget.rocRunSeries()[0]->count(), 6);
  }

  void unknownScoresAndDuplicateNames() {
    CurveChartWidget widget;
    RunCurves first = makeRun("same", 3, 0.7, 0.6);
    RunCurves second = makeRun("same", 3, 0.6, 0.5);
    second.runId = QStringLiteral("ffffff00000000000000000000000000");
    second.auc = std::nan("");
    widget.setCurves({first, second});
    QCOMPARE(widget.rocSeriesNames(), (QStringList{"same [same01] (AUC 0.700)", "same [ffffff]"}));
  }

  void clearShowsThePlaceholder() {
    CurveChartWidget widget;
    widget.setCurves({makeRun("a", 3, 0.7, 0.6)});
    widget.clear();
    QCOMPARE(widget.rocRunSeries().size(), 0);
    QCOMPARE(widget.rocChart()->series().size(), 1);
    QVERIFY(!widget.isShowingCharts());

    // Runs without curves: nothing to draw, the placeholder says so.
    RunCurves empty;
    empty.runId = QStringLiteral("abc");
    empty.runName = QStringLiteral("no-curves");
    widget.setCurves({empty});
    QCOMPARE(widget.runCount(), 1);
    QCOMPARE(widget.rocRunSeries().size(), 0);
    QVERIFY(!widget.isShowingCharts());
  }
};

QTEST_MAIN(CurveChartTest)
#include "curve_chart_test.moc"
