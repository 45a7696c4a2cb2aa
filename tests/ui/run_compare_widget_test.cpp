// The Compare tab on a real workspace: three runs with a shared and a differing param, AUC (higher
// is better) and log loss (lower is better), one dataset for all, and fold scores logged at
// steps. Checks what the table hides and marks, and the metric-history lines.
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "core/store/workspace.h"
#include "ui/common/task_runner.h"
#include "ui/store/run_compare_widget.h"

using geih::ui::RunCompareWidget;

namespace {

QStringList buildWorkspace(const std::filesystem::path& root) {
  using namespace geih::store;
  Workspace workspace = Workspace::open(root);
  const std::int64_t experiment = workspace.createExperiment("fire");
  std::ofstream(root / "data.csv") << "x,y\n1,0\n2,1\n";
  const auto dataset = workspace.registerDataset("fire_2024", root / "data.csv", "{}", "{}", 2);
  QStringList ids;
  const double aucs[] = {0.81, 0.86, 0.84};
  const double losses[] = {0.40, 0.35, 0.30};
  for (int i = 0; i < 3; ++i) {
    const std::string id = workspace.createRun(experiment, NewRun{"run " + std::to_string(i), {}, {}, {}, {}});
    workspace.logParam(id, "model", "gbdt");
    workspace.logParam(id, "learning_rate", std::to_string(0.05 * (i + 1)));
    workspace.logMetric(id, "roc_auc", aucs[i]);
    workspace.logMetric(id, "log_loss", losses[i]);
    for (int fold = 0; fold < 3; ++fold) workspace.logMetric(id, "fold_roc_auc", aucs[i] + 0.01 * fold, fold);
    workspace.linkDataset(id, dataset.id, "train");
    workspace.finishRun(id, RunStatus::Finished);
    ids << QString::fromStdString(id);
  }
  return ids;
}

int rowOf(QTableWidget* table, const QString& name) {
  for (int r = 0; r < table->rowCount(); ++r) {
    if (table->verticalHeaderItem(r)->text() == name) return r;
  }
  return -1;
}

}  // namespace

class RunCompareWidgetTest : public QObject {
  Q_OBJECT

 private slots:
  void comparesMarksAndPlotsHistories() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QStringList ids = buildWorkspace(std::filesystem::path(dir.path().toStdString()));
    geih::ui::TaskRunner runner;
    RunCompareWidget widget(&runner);
    widget.setWorkspace(dir.path());
    QSignalSpy loaded(&widget, &RunCompareWidget::loaded);
    widget.showRuns(ids);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > 0, 10000);

    QTableWidget* table = widget.table();
    QCOMPARE(table->columnCount(), 3);
    QVERIFY(widget.onlyDifferences()->isChecked());
    QCOMPARE(rowOf(table, "params.model"), -1);  // shared by all: hidden
    QCOMPARE(rowOf(table, "dataset.train"), -1);
    const int rate = rowOf(table, "params.learning_rate");
    QVERIFY(rate >= 0);
    QCOMPARE(table->item(rate, 1)->background().color(), QColor(0xff, 0xf3, 0xcd));
    const int auc = rowOf(table, "metrics.roc_auc");
    const int loss = rowOf(table, "metrics.log_loss");
    QVERIFY(auc >= 0 && loss >= 0);
    QVERIFY(table->item(auc, 1)->font().bold());   // 0.86: highest AUC
    QVERIFY(!table->item(auc, 0)->font().bold());
    QVERIFY(table->item(loss, 2)->font().bold());  // 0.30: lowest loss
    QVERIFY(!table->item(loss, 1)->font().bold());

    widget.onlyDifferences()->setChecked(false);
    QVERIFY(rowOf(table, "params.model") >= 0);
    QVERIFY(rowOf(table, "dataset.train") >= 0);

    QCOMPARE(widget.historyChooser()->count(), 1);
    QCOMPARE(widget.historyChooser()->currentText(), QStringLiteral("fold_roc_auc"));
    const auto series = widget.historyChart()->chart()->series();
    QCOMPARE(series.size(), 3);
    auto* line = qobject_cast<QLineSeries*>(series.at(1));
    QVERIFY(line);
    QCOMPARE(line->count(), 3);
    QCOMPARE(line->at(2), QPointF(2, 0.88));

    loaded.clear();
    widget.showRuns(ids.mid(0, 1));
    QCOMPARE(table->columnCount(), 0);
    QCOMPARE(widget.historyChooser()->count(), 0);
  }
};

QTEST_MAIN(RunCompareWidgetTest)
#include "run_compare_widget_test.moc"
