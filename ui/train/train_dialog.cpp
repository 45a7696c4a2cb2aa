#include "ui/train/train_dialog.h"

#include <fstream>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/common/error.h"
#include "core/ml/learner_registry.h"
#include "core/table/csv_reader.h"
#include "ui/train/param_form.h"

namespace geih::ui {

QStringList csvColumns(const QString& path, QString* error) {
  std::ifstream file(path.toStdString(), std::ios::binary);
  if (!file) {
    if (error) *error = QObject::tr("cannot open %1").arg(path);
    return {};
  }
  // The header and a few rows are enough to name the columns.
  std::string text(64 * 1024, '\0');
  file.read(text.data(), std::streamsize(text.size()));
  text.resize(std::size_t(file.gcount()));
  const std::size_t lastBreak = text.rfind('\n');
  if (lastBreak != std::string::npos && file.gcount() == 64 * 1024) text.resize(lastBreak + 1);
  try {
    const table::CsvReadResult result = table::parseCsv(text, path.toStdString());
    QStringList columns;
    for (const std::string& name : result.table.columnNames()) columns << QString::fromStdString(name);
    return columns;
  } catch (const std::exception& failure) {
    if (error) *error = QString::fromStdString(failure.what());
    return {};
  }
}

TrainDialog::TrainDialog(const QList<QPair<QString, QStringList>>& datasets,
                         const QString& experiment, QWidget* parent)
    : QDialog(parent),
      m_data(new QComboBox(this)),
      m_target(new QComboBox(this)),
      m_task(new QComboBox(this)),
      m_model(new QComboBox(this)),
      m_params(new ParamForm(this)),
      m_cv(new QComboBox(this)),
      m_folds(new QSpinBox(this)),
      m_cvColumnA(new QComboBox(this)),
      m_cvColumnB(new QComboBox(this)),
      m_cvColumnsLabel(new QLabel(this)),
      m_testFraction(new QDoubleSpinBox(this)),
      m_experiment(new QLineEdit(experiment.isEmpty() ? QStringLiteral("default") : experiment, this)),
      m_runName(new QLineEdit(this)),
      m_exclude(new QLineEdit(this)),
      m_datasets(datasets) {
  setWindowTitle(tr("Train a model"));
  for (const auto& [reference, columns] : datasets) m_data->addItem(reference);
  auto* browse = new QPushButton(tr("CSV…"), this);
  auto* dataRow = new QHBoxLayout;
  dataRow->addWidget(m_data, 1);
  dataRow->addWidget(browse);
  m_task->addItems({QStringLiteral("auto"), QStringLiteral("binary"), QStringLiteral("regression")});
  m_task->setToolTip(tr("auto: binary when the target holds only 0/1, else regression"));
  for (const std::string& kind : ml::learnerKinds()) m_model->addItem(QString::fromStdString(kind));
  m_cv->addItems({tr("none"), QStringLiteral("kfold"), QStringLiteral("stratified"),
                  QStringLiteral("timeseries"), QStringLiteral("spatial")});
  m_folds->setRange(2, 20);
  m_folds->setValue(5);
  m_testFraction->setRange(0.05, 0.9);
  m_testFraction->setSingleStep(0.05);
  m_testFraction->setValue(0.2);
  m_exclude->setPlaceholderText(tr("columns to leave out, comma separated"));
  m_runName->setPlaceholderText(tr("default: the model and the changed parameters"));

  auto* form = new QFormLayout;
  form->addRow(tr("Data"), dataRow);
  form->addRow(tr("Target"), m_target);
  form->addRow(tr("Task"), m_task);
  form->addRow(tr("Leave out"), m_exclude);
  form->addRow(tr("Test share"), m_testFraction);
  form->addRow(tr("Model"), m_model);
  auto* cvRow = new QHBoxLayout;
  cvRow->addWidget(m_cv, 1);
  cvRow->addWidget(new QLabel(tr("folds"), this));
  cvRow->addWidget(m_folds);
  form->addRow(tr("Cross-validation"), cvRow);
  auto* cvColumns = new QHBoxLayout;
  cvColumns->addWidget(m_cvColumnsLabel);
  cvColumns->addWidget(m_cvColumnA, 1);
  cvColumns->addWidget(m_cvColumnB, 1);
  form->addRow(QString(), cvColumns);
  form->addRow(tr("Experiment"), m_experiment);
  form->addRow(tr("Run name"), m_runName);

  auto* paramsBox = new QGroupBox(tr("Parameters"), this);
  auto* scroll = new QScrollArea(paramsBox);
  scroll->setWidget(m_params);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* paramsLayout = new QVBoxLayout(paramsBox);
  paramsLayout->addWidget(scroll);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Train"));
  auto* layout = new QHBoxLayout;
  auto* left = new QVBoxLayout;
  left->addLayout(form);
  left->addStretch(1);
  layout->addLayout(left, 1);
  layout->addWidget(paramsBox, 1);
  auto* outer = new QVBoxLayout(this);
  outer->addLayout(layout, 1);
  outer->addWidget(buttons);

  connect(browse, &QPushButton::clicked, this, &TrainDialog::browse);
  connect(m_data, &QComboBox::currentIndexChanged, this, &TrainDialog::dataChanged);
  connect(m_model, &QComboBox::currentIndexChanged, this, &TrainDialog::modelChanged);
  connect(m_cv, &QComboBox::currentIndexChanged, this, &TrainDialog::cvChanged);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  dataChanged();
  modelChanged();
  cvChanged();
  resize(900, 560);
}

void TrainDialog::setData(const QString& data, const QStringList& columns) {
  int index = m_data->findText(data);
  if (index < 0) {
    m_datasets.append({data, columns});
    m_data->addItem(data);
    index = m_data->count() - 1;
  }
  m_data->setCurrentIndex(index);
  dataChanged();
}

void TrainDialog::browse() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Training data"), QString(),
                                                    tr("CSV files (*.csv);;All files (*)"));
  if (path.isEmpty()) return;
  setData(path, csvColumns(path));
}

void TrainDialog::dataChanged() {
  QStringList columns;
  for (const auto& [reference, names] : m_datasets) {
    if (reference == m_data->currentText()) columns = names;
  }
  const QString previous = m_target->currentText();
  m_target->clear();
  m_target->addItems(columns);
  // A column named like a label is the likely target.
  for (const QString& guess : {previous, QStringLiteral("fire"), QStringLiteral("target"),
                               QStringLiteral("label"), QStringLiteral("y")}) {
    const int at = m_target->findText(guess);
    if (!guess.isEmpty() && at >= 0) {
      m_target->setCurrentIndex(at);
      break;
    }
  }
  for (QComboBox* box : {m_cvColumnA, m_cvColumnB}) {
    box->clear();
    box->addItems(columns);
  }
  if (m_cvColumnA->findText(QStringLiteral("x")) >= 0) m_cvColumnA->setCurrentText(QStringLiteral("x"));
  if (m_cvColumnB->findText(QStringLiteral("y")) >= 0) m_cvColumnB->setCurrentText(QStringLiteral("y"));
}

void TrainDialog::modelChanged() {
  m_params->setSchema(ml::makeLearner(m_model->currentText().toStdString())->paramsSchema());
}

void TrainDialog::cvChanged() {
  const QString kind = m_cv->currentText();
  m_folds->setEnabled(m_cv->currentIndex() > 0);
  const bool time = kind == QLatin1String("timeseries"), spatial = kind == QLatin1String("spatial");
  m_cvColumnsLabel->setText(time ? tr("time column") : spatial ? tr("x / y columns") : QString());
  m_cvColumnA->setVisible(time || spatial);
  m_cvColumnB->setVisible(spatial);
  m_cvColumnsLabel->setVisible(time || spatial);
}

pipeline::TrainRequest TrainDialog::request() const {
  pipeline::TrainRequest request;
  request.dataFile = m_data->currentText().toStdString();
  if (request.dataFile.empty()) throw InputError("choose the data to train on");
  request.target = m_target->currentText().toStdString();
  if (request.target.empty()) throw InputError("choose the target column");
  request.task = m_task->currentText().toStdString();
  request.model = m_model->currentText().toStdString();
  request.params = m_params->values();
  request.testFraction = m_testFraction->value();
  request.experiment = m_experiment->text().trimmed().toStdString();
  if (request.experiment.empty()) request.experiment = "default";
  request.runName = m_runName->text().trimmed().toStdString();
  for (const QString& column : m_exclude->text().split(',', Qt::SkipEmptyParts)) {
    request.exclude.push_back(column.trimmed().toStdString());
  }
  if (m_cv->currentIndex() > 0) {
    ml::CvSpec spec = ml::parseCvSpec(m_cv->currentText().toStdString() + ":" +
                                      std::to_string(m_folds->value()));
    spec.timeColumn = m_cvColumnA->currentText().toStdString();
    spec.xColumn = m_cvColumnA->currentText().toStdString();
    spec.yColumn = m_cvColumnB->currentText().toStdString();
    request.cv = spec;
  }
  return request;
}

}  // namespace geih::ui
