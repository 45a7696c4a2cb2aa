// The window notices what another process writes: a run created through a second connection
// (as the CLI would) makes the session report a change and the reloaded snapshot shows it.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/store/workspace.h"
#include "ui/common/task_runner.h"
#include "ui/store/workspace_session.h"

using namespace geih;

class WorkspaceWatchTest : public QObject {
  Q_OBJECT

 private slots:
  void changesByAnotherConnectionAreNoticed() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.filePath(QStringLiteral("ws"));
    (void)store::Workspace::open(root.toStdString());
    ui::TaskRunner runner;
    ui::WorkspaceSession session(&runner);
    QSignalSpy opened(&session, &ui::WorkspaceSession::opened);
    session.open(root);
    QVERIFY(opened.wait(10000));
    QCOMPARE(session.snapshot().experiments.size(), std::size_t(0));

    QSignalSpy changed(&session, &ui::WorkspaceSession::changedOutside);
    session.watchForChanges(50);
    QTest::qWait(200);  // the watcher opens its connection and sees the current version
    QCOMPARE(changed.count(), 0);  // nothing written yet: no false alarm

    {
      store::Workspace other = store::Workspace::open(root.toStdString());
      other.createRun(other.experimentIdByName("from-the-cli", true));
    }
    QVERIFY(changed.wait(5000));
    session.reload();
    QVERIFY(opened.wait(10000));
    QCOMPARE(session.snapshot().experiments.size(), std::size_t(1));
    QTest::qWait(300);
    QCOMPARE(changed.count(), 1);  // reading does not count as a change
  }
};

QTEST_MAIN(WorkspaceWatchTest)
#include "workspace_watch_test.moc"
