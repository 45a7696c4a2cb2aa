// The Compare tab: the selected runs side by side (store::compareRuns) — params with differing
// values shaded, metrics with the best value bold and green, the datasets each run used — with
// "Only differences" to hide what all runs share, and below it the history of one metric (its
// value per step, e.g. fold scores or boosting rounds) as one line per run. Read on a TaskRunner
// job; at most kMaxRuns runs are compared.
#pragma once

#include <map>
#include <vector>

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QWidget>

#include "core/store/records.h"
#include "core/store/run_comparison.h"

class QChartView;
class QCheckBox;
class QComboBox;
class QLabel;
class QTableWidget;

namespace geih::ui {

class TaskRunner;

struct RunCompareData {
  store::RunComparison comparison;
  // metric key -> per run (in comparison order) its history; only keys with more than one step.
  std::map<std::string, std::vector<std::vector<store::MetricPoint>>> histories;
};

class RunCompareWidget : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kMaxRuns = 12;

  explicit RunCompareWidget(TaskRunner* runner, QWidget* parent = nullptr);

  void setWorkspace(const QString& root);
  // Reads and shows these runs (fewer than two: a hint instead).
  void showRuns(const QStringList& runIds);

  QTableWidget* table() const { return m_table; }
  QCheckBox* onlyDifferences() const { return m_onlyDifferences; }
  QComboBox* historyChooser() const { return m_historyKey; }
  QChartView* historyChart() const { return m_history; }
  const RunCompareData& data() const { return m_data; }

  // The job's work (public for tests).
  static RunCompareData read(const QString& root, const QStringList& runIds);

 signals:
  void loaded();

 private:
  void show(const RunCompareData& data);
  void fillTable();
  void showHistory(const QString& key);

  TaskRunner* m_runner;
  QString m_root;
  int m_task = 0;
  QLabel* m_message;
  QCheckBox* m_onlyDifferences;
  QTableWidget* m_table;
  QComboBox* m_historyKey;
  QChartView* m_history;
  RunCompareData m_data;
};

}  // namespace geih::ui

Q_DECLARE_METATYPE(geih::ui::RunCompareData)
