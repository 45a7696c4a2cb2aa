#include "ui/drift/drift_panel.h"

#include <filesystem>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include "core/common/atomic_file.h"
#include "core/common/time_util.h"
#include "core/geo/raster_stack.h"
#include "core/pipeline/drift_check.h"
#include "core/report/drift_html_report.h"
#include "core/store/registry.h"
#include "ui/common/task_runner.h"
#include "ui/report/pdf_export.h"

namespace geih::ui {

namespace {

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

// A number that sorts as a number in the table.
QTableWidgetItem* numberItem(double value, bool show) {
  auto* item = new QTableWidgetItem;
  if (show) item->setData(Qt::DisplayRole, value);
  return item;
}

}  // namespace

DriftPanel::DriftPanel(TaskRunner* runner, QWidget* parent)
    : QWidget(parent),
      m_runner(runner),
      m_reference(new QComboBox(this)),
      m_current(new QComboBox(this)),
      m_model(new QComboBox(this)),
      m_run(new QPushButton(tr("Check drift"), this)),
      m_export(new QPushButton(tr("Export report…"), this)),
      m_banner(new QLabel(tr("Choose the reference and current data, then Check drift."), this)),
      m_table(new QTableWidget(0, 7, this)),
      m_chart(new QChartView(this)) {
  for (QComboBox* box : {m_reference, m_current, m_model}) {
    box->setEditable(true);  // a CSV path may be typed
    box->setMinimumContentsLength(18);
  }
  m_model->setToolTip(tr("Optional: a registered model; its predictions are tested too"));
  const QString filter = tr("Tables or rasters (*.csv *.tif *.tiff *.vrt *.img *.nc);;CSV (*.csv);;"
                            "Rasters (*.tif *.tiff *.vrt *.img *.nc)");
  auto browseFor = [this, filter](QComboBox* box, const QString& title) {
    auto* button = new QPushButton(tr("…"), this);
    button->setToolTip(tr("Choose a CSV file, or a raster to compare two dates of one place"));
    button->setMaximumWidth(32);
    connect(button, &QPushButton::clicked, this, [this, box, title, filter] {
      const QString file = QFileDialog::getOpenFileName(this, title, {}, filter);
      if (!file.isEmpty()) box->setCurrentText(file);
    });
    return button;
  };
  auto* choosers = new QHBoxLayout;
  choosers->addWidget(new QLabel(tr("Reference"), this));
  choosers->addWidget(m_reference, 1);
  choosers->addWidget(browseFor(m_reference, tr("Reference data")));
  choosers->addWidget(new QLabel(tr("Current"), this));
  choosers->addWidget(m_current, 1);
  choosers->addWidget(browseFor(m_current, tr("Current data")));
  choosers->addWidget(new QLabel(tr("Model"), this));
  choosers->addWidget(m_model, 1);
  choosers->addWidget(m_run);
  choosers->addWidget(m_export);

  m_banner->setMargin(8);
  m_banner->setWordWrap(true);  // a long verdict must not widen the window
  m_banner->setAutoFillBackground(true);
  m_table->setHorizontalHeaderLabels(
      {tr("Feature"), tr("Type"), tr("Test"), tr("Statistic"), tr("p-value"), tr("Threshold"), tr("Drift")});
  m_table->verticalHeader()->setVisible(false);
  m_table->horizontalHeader()->setStretchLastSection(true);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->setSortingEnabled(true);
  m_chart->setRenderHint(QPainter::Antialiasing);
  m_chart->chart()->setTitle(tr("Select a feature"));

  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->addWidget(m_table);
  splitter->addWidget(m_chart);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 1);
  m_chart->setMinimumWidth(360);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(choosers);
  layout->addWidget(m_banner);
  layout->addWidget(splitter, 1);

  connect(m_run, &QPushButton::clicked, this, qOverload<>(&DriftPanel::runCheck));
  connect(m_export, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export drift report"),
                                                      QStringLiteral("drift_report.html"),
                                                      tr("HTML (*.html);;PDF (*.pdf)"));
    if (!path.isEmpty()) exportReport(path);
  });
  connect(m_table, &QTableWidget::currentCellChanged, this,
          [this](int row, int, int, int) { showHistogram(row); });
  m_export->setEnabled(false);
}

void DriftPanel::setWorkspace(const QString& root) {
  m_root = root;
  if (!m_runner || root.isEmpty()) return;
  const std::filesystem::path path = toPath(root);
  m_runner->start(
      tr("Listing datasets"),
      [path](Progress&) {
        store::Workspace workspace = store::Workspace::open(path, store::OpenMode::MustExist);
        QStringList datasets;  // "dataset:NAME@VERSION"
        QStringList models;    // "NAME@production"
        for (const store::DatasetRecord& dataset : workspace.listDatasets()) {
          datasets << QStringLiteral("dataset:%1@%2")
                                  .arg(QString::fromStdString(dataset.name))
                                  .arg(dataset.version);
        }
        for (const store::RegisteredModel& model : store::Registry(workspace).listModels()) {
          for (const store::ModelVersion& version : model.versions) {
            if (version.stage == store::Stage::Production) {
              models << QString::fromStdString(model.name) + "@production";
            }
          }
        }
        QVariantMap choices;
        choices[QStringLiteral("datasets")] = datasets;
        choices[QStringLiteral("models")] = models;
        return QVariant(choices);
      },
      [this](const TaskResult& result) {
        if (!result.ok()) return;
        const QVariantMap choices = result.value.toMap();
        m_reference->clear();
        m_current->clear();
        m_model->clear();
        const QStringList datasets = choices.value(QStringLiteral("datasets")).toStringList();
        m_reference->addItems(datasets);
        m_current->addItems(datasets);
        m_model->addItem(QString());
        m_model->addItems(choices.value(QStringLiteral("models")).toStringList());
        // Datasets come newest first: compare the newest with the oldest by default.
        m_reference->setCurrentIndex(m_reference->count() - 1);
        m_current->setCurrentIndex(0);
        if (m_model->count() > 1) m_model->setCurrentIndex(1);
      },
      this);
}

void DriftPanel::runCheck() {
  runCheck(m_reference->currentText().trimmed(), m_current->currentText().trimmed(),
           m_model->currentText().trimmed());
}

void DriftPanel::runCheck(const QString& reference, const QString& current, const QString& model) {
  if (!m_runner) return;
  if (reference.isEmpty() || current.isEmpty()) {
    m_banner->setText(tr("Choose both the reference and the current data."));
    return;
  }
  if (isRasterPath(reference) && isRasterPath(current)) {
    runRasterCheck(reference, current);
    return;
  }
  if (m_task) m_runner->cancel(m_task);
  m_run->setEnabled(false);
  m_banner->setText(tr("Checking…"));
  const std::filesystem::path root = toPath(m_root);
  const bool hasRoot = !m_root.isEmpty();
  pipeline::DriftCheckRequest request;
  request.reference = reference.toStdString();
  request.current = current.toStdString();
  request.model = model.toStdString();
  m_task = m_runner->start(
      tr("Checking drift"),
      [root, hasRoot, request](Progress& progress) {
        std::optional<store::Workspace> workspace;
        if (hasRoot) workspace.emplace(store::Workspace::open(root, store::OpenMode::MustExist));
        const pipeline::DriftCheck check =
            pipeline::runDriftCheck(workspace ? &*workspace : nullptr, request, progress);
        DriftResult result{check.report, QString::fromStdString(check.referenceDescription),
                           QString::fromStdString(check.currentDescription),
                           QString::fromStdString(check.modelDescription)};
        return QVariant::fromValue(result);
      },
      [this](const TaskResult& result) {
        if (!taskSucceeded(result, tr("Could not check drift: %1"))) return;
        show(result.value.value<DriftResult>());
        emit checked(true, {});
      },
      this);
}

bool DriftPanel::taskSucceeded(const TaskResult& result, const QString& failure) {
  m_task = 0;
  m_run->setEnabled(true);
  if (result.status == TaskResult::Status::Cancelled) {
    m_banner->setText(tr("Cancelled."));
    return false;
  }
  if (!result.ok()) {
    m_banner->setText(failure.arg(result.message));
    QPalette palette = m_banner->palette();
    palette.setColor(QPalette::Window, QColor(0xff, 0xf3, 0xe0));
    m_banner->setPalette(palette);
    emit checked(false, result.message);
    return false;
  }
  return true;
}

bool isRasterPath(const QString& path) {
  static const QStringList kExtensions = {".tif", ".tiff", ".vrt", ".img", ".nc"};
  for (const QString& extension : kExtensions) {
    if (path.endsWith(extension, Qt::CaseInsensitive)) return true;
  }
  return false;
}

void DriftPanel::runRasterCheck(const QString& reference, const QString& current) {
  if (m_task) m_runner->cancel(m_task);
  m_run->setEnabled(false);
  m_banner->setText(tr("Comparing the rasters tile by tile…"));
  const std::filesystem::path referencePath = toPath(reference);
  const std::filesystem::path currentPath = toPath(current);
  // Under the workspace's maps/ when there is one, else beside the current raster.
  const std::filesystem::path folder = m_root.isEmpty() ? currentPath.parent_path() : toPath(m_root) / "maps";
  const std::filesystem::path output = folder / ("drift_" + referencePath.stem().string() + "_vs_" +
                                                 currentPath.stem().string() + ".tif");
  m_task = m_runner->start(
      tr("Drift map"),
      [referencePath, currentPath, output, reference, current](Progress& progress) {
        std::filesystem::create_directories(output.parent_path());
        const geo::RasterStack a = geo::RasterStack::open(referencePath);
        const geo::RasterStack b = geo::RasterStack::open(currentPath);
        RasterDriftResult result{geo::writeRasterDriftMap(a, b, {}, output, progress), reference, current};
        return QVariant::fromValue(result);
      },
      [this](const TaskResult& result) {
        if (!taskSucceeded(result, tr("Could not compare the rasters: %1"))) return;
        showRaster(result.value.value<RasterDriftResult>());
        emit checked(true, {});
      },
      this);
}

void DriftPanel::showRaster(const RasterDriftResult& result) {
  m_result.reset();
  m_export->setEnabled(false);
  const geo::RasterDriftSummary& summary = result.summary;
  const QString path = QString::fromStdU16String(summary.path.u16string());
  m_banner->setText(tr("<b>Drift map</b> of %1 x %2 tiles (%3 valid): on average %4% of the features drifted in a "
                       "tile (PSI ≥ 0.1). Reference %5; current %6. Written to %7 and shown on the Map page.")
                        .arg(summary.tilesX)
                        .arg(summary.tilesY)
                        .arg(summary.validTiles)
                        .arg(summary.meanShareDrifted * 100, 0, 'f', 1)
                        .arg(result.reference.toHtmlEscaped(), result.current.toHtmlEscaped(), path.toHtmlEscaped()));
  QPalette palette = m_banner->palette();
  palette.setColor(QPalette::Window, summary.meanShareDrifted > 0 ? QColor(0xfd, 0xec, 0xea) : QColor(0xe8, 0xf5, 0xe9));
  m_banner->setPalette(palette);
  m_table->setSortingEnabled(false);
  m_table->setRowCount(0);
  for (const geo::FeatureDriftArea& feature : summary.features) {
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(feature.name)));
    m_table->setItem(row, 1, new QTableWidgetItem(tr("raster")));
    m_table->setItem(row, 2, new QTableWidgetItem(tr("PSI by tile (mean)")));
    m_table->setItem(row, 3, numberItem(feature.meanStatistic, true));
    m_table->setItem(row, 4, numberItem(0, false));
    m_table->setItem(row, 5, numberItem(0.1, true));
    const double share = summary.validTiles ? double(feature.driftedTiles) / double(summary.validTiles) : 0.0;
    auto* verdict = new QTableWidgetItem(tr("%1% of tiles").arg(share * 100, 0, 'f', 1));
    m_table->setItem(row, 6, verdict);
    if (feature.driftedTiles > 0) {
      for (int c = 0; c < m_table->columnCount(); ++c) m_table->item(row, c)->setBackground(QColor(0xff, 0xeb, 0xe6));
      verdict->setForeground(QColor(0xc6, 0x28, 0x28));
    }
  }
  m_table->setSortingEnabled(true);
  m_table->resizeColumnsToContents();
  m_chartFeature.clear();
  m_chart->chart()->setTitle(tr("The drift map is on the Map page"));
  emit driftMapWritten(path);
}

void DriftPanel::show(const DriftResult& result) {
  m_result = result;
  const drift::DriftReport& report = result.report;
  m_banner->setText(
      tr("<b>%1</b>: %2 of %3 features drifted (%4%; the verdict is drift at %5%).  Reference %6; "
         "current %7%8")
          .arg(report.datasetDrift ? tr("Dataset drift detected") : tr("No dataset drift"))
          .arg(report.driftedCount)
          .arg(report.testedCount)
          .arg(report.shareDrifted * 100, 0, 'f', 1)
          .arg(report.driftShareThreshold * 100, 0, 'f', 0)
          .arg(result.reference.toHtmlEscaped(), result.current.toHtmlEscaped(),
               result.model.isEmpty() ? QString() : tr("; model %1").arg(result.model.toHtmlEscaped())));
  QPalette palette = m_banner->palette();
  palette.setColor(QPalette::Window,
                   report.datasetDrift ? QColor(0xfd, 0xec, 0xea) : QColor(0xe8, 0xf5, 0xe9));
  m_banner->setPalette(palette);

  m_table->setSortingEnabled(false);
  m_table->setRowCount(0);
  for (std::size_t i = 0; i < report.columns.size(); ++i) {
    const drift::ColumnDrift& column = report.columns[i];
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    auto* name = new QTableWidgetItem(QString::fromStdString(column.name));
    name->setData(Qt::UserRole, int(i));
    m_table->setItem(row, 0, name);
    m_table->setItem(row, 1, new QTableWidgetItem(QString::fromStdString(column.type)));
    m_table->setItem(row, 2, new QTableWidgetItem(QString::fromStdString(column.test)));
    m_table->setItem(row, 3, numberItem(column.statistic, column.error.empty()));
    m_table->setItem(row, 4, numberItem(column.pValue.value_or(0), column.pValue.has_value()));
    m_table->setItem(row, 5, numberItem(column.threshold, true));
    auto* verdict = new QTableWidgetItem(!column.error.empty() ? tr("not tested")
                                         : column.drifted      ? tr("DRIFT")
                                                               : tr("ok"));
    if (!column.error.empty()) verdict->setToolTip(QString::fromStdString(column.error));
    m_table->setItem(row, 6, verdict);
    if (column.drifted) {
      for (int c = 0; c < m_table->columnCount(); ++c) {
        m_table->item(row, c)->setBackground(QColor(0xff, 0xeb, 0xe6));
      }
      verdict->setForeground(QColor(0xc6, 0x28, 0x28));
    }
  }
  m_table->setSortingEnabled(true);
  m_table->sortItems(6, Qt::AscendingOrder);  // "DRIFT" sorts before "not tested" and "ok"
  m_table->resizeColumnsToContents();
  m_export->setEnabled(true);
  // The most drifted feature first in view.
  int first = -1;
  for (int row = 0; row < m_table->rowCount() && first < 0; ++row) {
    if (report.columns[std::size_t(m_table->item(row, 0)->data(Qt::UserRole).toInt())].drifted) first = row;
  }
  if (m_table->rowCount() > 0) m_table->selectRow(first >= 0 ? first : 0);
}

void DriftPanel::showHistogram(int row) {
  if (!m_result || row < 0 || row >= m_table->rowCount()) return;
  const auto index = std::size_t(m_table->item(row, 0)->data(Qt::UserRole).toInt());
  const drift::ColumnDrift& column = m_result->report.columns.at(index);
  m_chartFeature = QString::fromStdString(column.name);
  auto* chart = new QChart;
  chart->setTitle(m_chartFeature + (column.drifted ? tr(" — drifted") : QString()));
  auto* reference = new QBarSet(tr("reference"));
  auto* current = new QBarSet(tr("current"));
  reference->setColor(QColor(0x9a, 0xa5, 0xb1));
  current->setColor(QColor(0xe8, 0x71, 0x0a));
  QStringList labels;
  for (std::size_t k = 0; k < column.histogram.labels.size(); ++k) {
    *reference << column.histogram.reference[k] * 100;
    *current << column.histogram.current[k] * 100;
    // Numeric bins read "[a, b)"; the lower edge alone keeps 20 labels legible under the bars.
    QString label = QString::fromStdString(column.histogram.labels[k]);
    if (label.startsWith('[') && label.contains(',')) label = label.mid(1, label.indexOf(',') - 1);
    labels << label;
  }
  auto* series = new QBarSeries;
  series->append(reference);
  series->append(current);
  chart->addSeries(series);
  auto* x = new QBarCategoryAxis;
  x->append(labels);
  x->setLabelsAngle(-90);
  QFont small = x->labelsFont();
  small.setPointSizeF(small.pointSizeF() * 0.8);
  x->setLabelsFont(small);
  x->setTruncateLabels(false);
  auto* y = new QValueAxis;
  y->setTitleText(tr("share (%)"));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  series->attachAxis(x);
  series->attachAxis(y);
  chart->legend()->setAlignment(Qt::AlignTop);
  QChart* old = m_chart->chart();
  m_chart->setChart(chart);
  delete old;
}

bool DriftPanel::exportReport(const QString& path) {
  if (!m_result) return false;
  report::DriftReportContext context;
  context.reference = m_result->reference.toStdString();
  context.current = m_result->current.toStdString();
  context.model = m_result->model.toStdString();
  context.created = isoUtc(nowMillis());
  try {
    const std::string html = report::driftReportHtml(m_result->report, context);
    if (path.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive)) {
      writeHtmlAsPdf(html, toPath(path), context.title);
    } else {
      writeFileAtomic(toPath(path), html);
    }
  } catch (const std::exception& error) {
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Export drift report"),
                                tr("Could not write %1:\n%2").arg(path, QString::fromUtf8(error.what())),
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    return false;
  }
  return true;
}

}  // namespace geih::ui
