// ROC and precision-recall curves of several runs overlaid, side by side (Qt Charts). One line per
// run in each chart, named after the run with its AUC / AP, in a colour kept across both charts;
// the ROC chart also has the dashed chance diagonal (not a run, not in the legend).
#pragma once

#include <vector>

#include <QList>
#include <QString>
#include <QWidget>

#include "ui/eval/run_curves.h"

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QStackedWidget;

namespace geih::ui {

class CurveChartWidget : public QWidget {
  Q_OBJECT

 public:
  explicit CurveChartWidget(QWidget* parent = nullptr);

  // Replaces the overlaid runs. A run without points in one of its curves gets no line there.
  void setCurves(const std::vector<RunCurves>& curves);
  // Removes every run and shows `message` (the default invites to select runs).
  void clear(const QString& message = {});

  int runCount() const { return m_runCount; }
  QChart* rocChart() const { return m_rocChart; }
  QChart* prChart() const { return m_prChart; }
  // The runs' lines, in the order given to setCurves (without the chance line).
  QList<QLineSeries*> rocRunSeries() const { return m_rocSeries; }
  QList<QLineSeries*> prRunSeries() const { return m_prSeries; }
  QStringList rocSeriesNames() const;
  QStringList prSeriesNames() const;
  QLineSeries* chanceLine() const { return m_chance; }
  // True when the charts (not the placeholder) are shown.
  bool isShowingCharts() const;

  // The colour of the i-th overlaid run (a qualitative palette, repeating after 10).
  static QColor runColor(int index);

 private:
  void removeRunSeries();

  QStackedWidget* m_stack;
  QLabel* m_placeholder;
  QChart* m_rocChart;
  QChart* m_prChart;
  QChartView* m_rocView;
  QChartView* m_prView;
  QLineSeries* m_chance;
  QList<QLineSeries*> m_rocSeries;
  QList<QLineSeries*> m_prSeries;
  int m_runCount = 0;
};

}  // namespace geih::ui
