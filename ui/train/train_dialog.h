// The Train dialog: data (a registered dataset or a CSV file), target (the file's columns), task,
// model kind, its parameters (a ParamForm generated from the learner's schema), cross-validation,
// experiment and run name. request() builds the pipeline::TrainRequest the main window then runs
// as a background job (progress and Cancel in the progress panel).
#pragma once

#include <QDialog>

#include "core/pipeline/training_job.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace geih::ui {

class ParamForm;

class TrainDialog : public QDialog {
  Q_OBJECT

 public:
  // `datasets`: the workspace's datasets, "dataset:NAME@VERSION" -> column names;
  // `experiment`: preselected.
  TrainDialog(const QList<QPair<QString, QStringList>>& datasets, const QString& experiment,
              QWidget* parent = nullptr);

  // Throws InputError for a form the training job would refuse (no data, no target).
  pipeline::TrainRequest request() const;

  // Chooses the data (a "dataset:" reference or a CSV path) and fills the target chooser from
  // the file's header; `columns` is given when the caller already knows them.
  void setData(const QString& data, const QStringList& columns);
  QComboBox* dataChooser() const { return m_data; }
  QComboBox* targetChooser() const { return m_target; }
  QComboBox* modelChooser() const { return m_model; }
  QComboBox* cvChooser() const { return m_cv; }
  ParamForm* paramForm() const { return m_params; }

 private:
  void browse();
  void dataChanged();
  void modelChanged();
  void cvChanged();

  QComboBox* m_data;
  QComboBox* m_target;
  QComboBox* m_task;
  QComboBox* m_model;
  ParamForm* m_params;
  QComboBox* m_cv;
  QSpinBox* m_folds;
  QComboBox* m_cvColumnA;
  QComboBox* m_cvColumnB;
  QLabel* m_cvColumnsLabel;
  QDoubleSpinBox* m_testFraction;
  QLineEdit* m_experiment;
  QLineEdit* m_runName;
  QLineEdit* m_exclude;
  QList<QPair<QString, QStringList>> m_datasets;
};

// The column names of a CSV file, from its first lines; empty (with `error` set) when unreadable.
QStringList csvColumns(const QString& path, QString* error = nullptr);

}  // namespace geih::ui
