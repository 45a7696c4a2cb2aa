// What a run learned, as charts: feature importance (permutation or gain, top 20, horizontal
// bars), the cross-validation metric per fold with its mean, and for regression runs predicted vs
// actual (with the y = x line) and residuals vs predicted. Read from the run's curves and metric
// histories on a TaskRunner job; each chart is hidden when the run has no data for it.
#pragma once

#include <map>
#include <vector>

#include <QMetaType>
#include <QString>
#include <QWidget>

class QChartView;
class QComboBox;
class QLabel;

namespace geih::ui {

class TaskRunner;

struct RunInsights {
  QString runId;
  QString runName;
  // "permutation" / "gain" -> (feature, importance, std) largest first.
  struct Bar {
    QString feature;
    double value = 0;
    double spread = 0;
  };
  std::map<QString, std::vector<Bar>> importance;
  QString permutationMetric;
  std::map<QString, std::vector<double>> folds;  // metric -> value per fold
  std::vector<double> actual, predicted, residual;
};

class RunInsightsWidget : public QWidget {
  Q_OBJECT

 public:
  explicit RunInsightsWidget(TaskRunner* runner, QWidget* parent = nullptr);

  void setWorkspace(const QString& root);
  // Reads and shows the run's insights (an empty id clears).
  void showRun(const QString& runId);
  // What is shown (tests).
  const RunInsights& insights() const { return m_insights; }
  QChartView* importanceChart() const { return m_importance; }
  QChartView* foldChart() const { return m_folds; }
  QChartView* fitChart() const { return m_fit; }
  QChartView* residualChart() const { return m_residuals; }
  QComboBox* importanceChooser() const { return m_importanceKind; }

  // Reads the insights of a run from a workspace (runs on the job thread; public for tests).
  static RunInsights read(const QString& root, const QString& runId);

 signals:
  void loaded(const QString& runId);

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void show(const RunInsights& insights);
  void drawImportance();
  void drawFolds();
  void drawRegression();

  TaskRunner* m_runner;
  QString m_root;
  int m_task = 0;
  RunInsights m_insights;
  QLabel* m_message;
  QComboBox* m_importanceKind;
  QComboBox* m_foldMetric;
  QChartView* m_importance;
  QChartView* m_folds;
  QChartView* m_fit;
  QChartView* m_residuals;
};

}  // namespace geih::ui

Q_DECLARE_METATYPE(geih::ui::RunInsights)
