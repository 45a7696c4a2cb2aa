// The runs table's context-menu actions, run as jobs on a real workspace: tag, rename, register,
// and move to the trash; a bad request (registering an unfinished run) is reported, not thrown.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QWidget>
#include <QtTest>

#include "core/pipeline/training_job.h"
#include "core/store/registry.h"
#include "core/store/workspace.h"
#include "core/table/csv_writer.h"
#include "core/table/synthetic_fire.h"
#include "ui/common/task_runner.h"
#include "ui/store/run_actions.h"

using namespace geih;

class RunActionsTest : public QObject {
  Q_OBJECT

 private slots:
  void tagRenameRegisterAndTrash() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.filePath(QStringLiteral("ws"));
    const std::string csv = dir.filePath(QStringLiteral("fire.csv")).toStdString();
    table::SyntheticFireOptions options;
    options.rows = 1500;
    table::writeCsv(table::makeSyntheticFireTable(options), csv);
    std::string finished, running;
    {
      store::Workspace ws = store::Workspace::open(root.toStdString());
      pipeline::TrainRequest request;
      request.dataFile = csv;
      request.target = "fire";
      request.exclude = {"x", "y", "day_of_year"};
      request.gitSearchFrom = dir.path().toStdString();
      finished = pipeline::runTraining(ws, request).runId;
      running = ws.createRun(ws.experimentIdByName("default", true));
    }
    ui::TaskRunner runner;
    QWidget parent;
    ui::RunActions actions(&runner, &parent);
    QSignalSpy changed(&actions, &ui::RunActions::changed);
    QSignalSpy failed(&actions, &ui::RunActions::failed);
    const QString id = QString::fromStdString(finished);

    actions.tag(root, {id}, QStringLiteral("region"), QStringLiteral("amazonia"));
    QVERIFY(changed.wait(10000));
    actions.rename(root, id, QStringLiteral("best so far"));
    QVERIFY(changed.wait(10000));
    actions.registerModel(root, id, QStringLiteral("fire-risk"));
    QVERIFY(changed.wait(10000));
    QVERIFY(changed.last().at(0).toString().contains(QStringLiteral("version 1")));
    actions.registerModel(root, QString::fromStdString(running), QStringLiteral("fire-risk"));
    QVERIFY(failed.wait(10000));  // an unfinished run has no model to register
    actions.trash(root, {id});
    QVERIFY(changed.wait(10000));

    store::Workspace ws = store::Workspace::open(root.toStdString());
    const store::RunDetail detail = ws.runDetail(finished);
    QCOMPARE(detail.summary.name, std::string("best so far"));
    QCOMPARE(detail.summary.tags.at("region"), std::string("amazonia"));
    QCOMPARE(store::Registry(ws).model("fire-risk").versions.size(), std::size_t(1));
    store::RunQuery active;
    QCOMPARE(ws.countRuns(active), std::size_t(1));  // only the running one is left active
  }
};

QTEST_MAIN(RunActionsTest)
#include "run_actions_test.moc"
