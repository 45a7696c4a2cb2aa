// The experiments of the workspace as a list on the left of the main window: name and run count.
// Choosing one announces its id.
#pragma once

#include <cstdint>
#include <vector>

#include <QWidget>

#include "core/store/records.h"

class QListView;
class QLabel;

namespace geih::ui {

class ExperimentsModel;

class ExperimentsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ExperimentsPanel(QWidget* parent = nullptr);

  void setExperiments(std::vector<store::Experiment> experiments);
  // Makes it current (and announces it); false when no experiment has that id.
  bool selectExperiment(std::int64_t experimentId);
  // -1 when none is current.
  std::int64_t currentExperimentId() const;

  ExperimentsModel* model() const { return m_model; }
  QListView* view() const { return m_view; }

 signals:
  void currentExperimentChanged(qint64 experimentId);

 private:
  ExperimentsModel* m_model;
  QListView* m_view;
  QLabel* m_placeholder;
};

}  // namespace geih::ui
