// Everything about one run: a summary line, its params, latest metrics, tags, the datasets it
// used (role, version, rows, hash) and its artifacts. Fed a store::RunDetail value.
#pragma once

#include <QWidget>

#include "core/store/records.h"

class QLabel;
class QStackedWidget;
class QTableWidget;

namespace geih::ui {

class RunDetailWidget : public QWidget {
  Q_OBJECT

 public:
  explicit RunDetailWidget(QWidget* parent = nullptr);

  void setRunDetail(const store::RunDetail& detail);
  // Shows the placeholder, e.g. when no run is selected.
  void clear();
  // Empty when cleared.
  QString runId() const { return m_runId; }

  QTableWidget* paramsTable() const { return m_params; }
  QTableWidget* metricsTable() const { return m_metrics; }
  QTableWidget* tagsTable() const { return m_tags; }
  QTableWidget* datasetsTable() const { return m_datasets; }
  QTableWidget* artifactsTable() const { return m_artifacts; }

 private:
  QStackedWidget* m_stack;
  QLabel* m_title;
  QLabel* m_meta;
  QTableWidget* m_params;
  QTableWidget* m_metrics;
  QTableWidget* m_tags;
  QTableWidget* m_datasets;
  QTableWidget* m_artifacts;
  QString m_runId;
};

}  // namespace geih::ui
