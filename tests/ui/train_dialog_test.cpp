// The Train dialog and the Insights tab: the parameter form is generated from a learner's schema,
// the dialog builds the training request, a training job started from the main window creates a
// finished run, and the insights of that run (importance, folds) are read and drawn.
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "core/store/workspace.h"
#include "core/table/csv_writer.h"
#include "core/table/synthetic_fire.h"
#include "ui/common/task_runner.h"
#include "ui/eval/run_insights_widget.h"
#include "ui/main_window.h"
#include "ui/store/workspace_session.h"
#include "ui/train/param_form.h"
#include "ui/train/train_dialog.h"

using namespace geih;

class TrainDialogTest : public QObject {
  Q_OBJECT

 private slots:
  void formFollowsTheSchema() {
    ui::ParamForm form;
    form.setSchema({ml::intParam("trees", 100, "how many", 1, 1000),
                    ml::doubleParam("rate", 1e-8, "step", 0, 1, true),
                    ml::boolParam("bootstrap", true, "draw rows"),
                    ml::choiceParam("criterion", "gini", "quality", {"gini", "entropy"})});
    auto* trees = qobject_cast<QSpinBox*>(form.editor("trees"));
    auto* rate = qobject_cast<QLineEdit*>(form.editor("rate"));
    auto* bootstrap = qobject_cast<QCheckBox*>(form.editor("bootstrap"));
    auto* criterion = qobject_cast<QComboBox*>(form.editor("criterion"));
    QVERIFY(trees && rate && bootstrap && criterion);
    QCOMPARE(trees->value(), 100);
    QCOMPARE(trees->maximum(), 1000);
    QCOMPARE(rate->text(), QStringLiteral("1e-08"));
    QVERIFY(bootstrap->isChecked());
    QCOMPARE(criterion->count(), 2);
    QCOMPARE(criterion->itemText(1), QStringLiteral("entropy"));
    QCOMPARE(trees->toolTip(), QStringLiteral("how many"));
    QVERIFY(form.values().empty());  // nothing changed from the defaults
    trees->setValue(250);
    criterion->setCurrentIndex(1);
    rate->setText(QStringLiteral("0.05"));
    const ml::ParamMap values = form.values();
    QCOMPARE(values.size(), std::size_t(3));
    QCOMPARE(values.at("trees"), std::string("250"));
    QCOMPARE(values.at("criterion"), std::string("entropy"));
    QCOMPARE(values.at("rate"), std::string("0.05"));
  }

  void dialogBuildsTheRequest() {
    ui::TrainDialog dialog({{QStringLiteral("dataset:fire@1"),
                             {QStringLiteral("temp"), QStringLiteral("x"), QStringLiteral("y"),
                              QStringLiteral("fire")}}},
                           QStringLiteral("season"));
    QCOMPARE(dialog.targetChooser()->currentText(), QStringLiteral("fire"));  // guessed
    dialog.modelChooser()->setCurrentText(QStringLiteral("gbdt"));
    QVERIFY(dialog.paramForm()->editor("max_leaves") != nullptr);  // the form follows the model
    qobject_cast<QSpinBox*>(dialog.paramForm()->editor("max_leaves"))->setValue(15);
    dialog.cvChooser()->setCurrentText(QStringLiteral("spatial"));
    const pipeline::TrainRequest request = dialog.request();
    QCOMPARE(request.dataFile, std::string("dataset:fire@1"));
    QCOMPARE(request.target, std::string("fire"));
    QCOMPARE(request.model, std::string("gbdt"));
    QCOMPARE(request.params.at("max_leaves"), std::string("15"));
    QCOMPARE(request.experiment, std::string("season"));
    QVERIFY(request.cv.has_value());
    QCOMPARE(request.cv->kind, ml::CvKind::Spatial);
    QCOMPARE(request.cv->xColumn, std::string("x"));
    QCOMPARE(request.cv->yColumn, std::string("y"));
  }

  void trainingFromTheWindowCreatesARunWithInsights() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString csv = dir.filePath(QStringLiteral("fire.csv"));
    table::SyntheticFireOptions options;
    options.rows = 3000;
    table::writeCsv(table::makeSyntheticFireTable(options), csv.toStdString());
    const QString root = dir.filePath(QStringLiteral("ws"));
    (void)store::Workspace::open(root.toStdString());

    ui::MainWindow window;
    QSignalSpy opened(&window, &ui::MainWindow::workspaceOpened);
    window.openWorkspace(root);
    QVERIFY(opened.wait(10000));
    QCOMPARE(ui::csvColumns(csv).contains(QStringLiteral("fire")), true);

    pipeline::TrainRequest request;
    request.dataFile = csv.toStdString();
    request.target = "fire";
    request.exclude = {"x", "y", "day_of_year"};
    request.model = "gbdt";
    request.params = {{"n_estimators", "20"}};
    request.experiment = "from-gui";
    ml::CvSpec cv = ml::parseCvSpec("stratified:3");
    request.cv = cv;
    QSignalSpy reopened(&window, &ui::MainWindow::workspaceOpened);
    window.startTraining(request);
    QVERIFY(reopened.wait(30000));  // the window reloads the workspace after the job

    const store::Workspace workspace = store::Workspace::open(root.toStdString());
    const auto runs = workspace.listRuns({});
    QCOMPARE(runs.size(), std::size_t(1));
    QCOMPARE(runs[0].status, store::RunStatus::Finished);
    QCOMPARE(runs[0].params.at("model"), std::string("gbdt"));

    const ui::RunInsights insights =
        ui::RunInsightsWidget::read(root, QString::fromStdString(runs[0].id));
    QVERIFY(insights.importance.count(QStringLiteral("gain")));
    QVERIFY(insights.importance.count(QStringLiteral("permutation")));
    const auto& gain = insights.importance.at(QStringLiteral("gain"));
    for (std::size_t i = 1; i < gain.size(); ++i) QVERIFY(gain[i - 1].value >= gain[i].value);
    QCOMPARE(insights.folds.at(QStringLiteral("roc_auc")).size(), std::size_t(3));
    QVERIFY(insights.actual.empty());  // a binary run has no regression fit

    window.insights()->showRun(QString::fromStdString(runs[0].id));
    QTRY_COMPARE_WITH_TIMEOUT(window.insights()->insights().runId,
                              QString::fromStdString(runs[0].id), 10000);
    QVERIFY(!window.insights()->importanceChart()->isHidden());
    QVERIFY(!window.insights()->foldChart()->isHidden());
    QVERIFY(window.insights()->fitChart()->isHidden());
  }
};

QTEST_MAIN(TrainDialogTest)
#include "train_dialog_test.moc"
