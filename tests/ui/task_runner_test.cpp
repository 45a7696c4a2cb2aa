// TaskRunner: results, failures, cancellation and progress, all delivered on the GUI thread.
#include <atomic>
#include <stdexcept>
#include <thread>

#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include "core/common/error.h"
#include "ui/common/progress_panel.h"
#include "ui/common/task_runner.h"

using geih::ui::ProgressPanel;
using geih::ui::TaskResult;
using geih::ui::TaskRunner;

class TaskRunnerTest : public QObject {
  Q_OBJECT

 private slots:
  void returnsTheValueOnTheGuiThread() {
    TaskRunner runner;
    QSignalSpy busy(&runner, &TaskRunner::busyChanged);
    std::optional<TaskResult> result;
    QThread* doneThread = nullptr;
    QThread* workThread = nullptr;
    runner.start(
        QStringLiteral("answer"),
        [&workThread](geih::Progress&) {
          workThread = QThread::currentThread();
          return QVariant(42);
        },
        [&](const TaskResult& r) {
          result = r;
          doneThread = QThread::currentThread();
        });
    QVERIFY(runner.isBusy());
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->ok());
    QCOMPARE(result->value.toInt(), 42);
    QCOMPARE(doneThread, QThread::currentThread());
    QVERIFY(workThread != QThread::currentThread());
    QTRY_COMPARE(busy.count(), 2);
    QCOMPARE(busy.at(0).at(0).toBool(), true);
    QCOMPARE(busy.at(1).at(0).toBool(), false);
    QVERIFY(!runner.isBusy());
  }

  void turnsExceptionsIntoFailures() {
    TaskRunner runner;
    std::vector<TaskResult> results;
    auto collect = [&results](const TaskResult& r) { results.push_back(r); };
    runner.start(
        QStringLiteral("geih error"),
        [](geih::Progress&) -> QVariant { throw geih::InputError("bad row 3 in x.csv"); }, collect);
    runner.start(
        QStringLiteral("std error"),
        [](geih::Progress&) -> QVariant { throw std::runtime_error("boom"); }, collect);
    runner.start(
        QStringLiteral("anything"), [](geih::Progress&) -> QVariant { throw 7; }, collect);
    QTRY_COMPARE(results.size(), std::size_t{3});
    QStringList messages;
    for (const TaskResult& r : results) {
      QCOMPARE(r.status, TaskResult::Status::Failed);
      messages << r.message;
    }
    QVERIFY(messages.contains(QStringLiteral("bad row 3 in x.csv")));
    QVERIFY(messages.contains(QStringLiteral("boom")));
  }

  void cancelsThroughProgress() {
    TaskRunner runner;
    std::atomic<bool> started{false};
    std::optional<TaskResult> result;
    const int id = runner.start(
        QStringLiteral("endless"),
        [&started](geih::Progress& progress) -> QVariant {
          started = true;
          for (;;) {
            progress.checkCancelled();
            std::this_thread::yield();
          }
        },
        [&](const TaskResult& r) { result = r; });
    QTRY_VERIFY(started.load());
    runner.cancel(id);
    QTRY_VERIFY(result.has_value());
    QCOMPARE(result->status, TaskResult::Status::Cancelled);
  }

  void forwardsProgressToTheGuiThread() {
    TaskRunner runner;
    ProgressPanel panel(&runner);
    QSignalSpy progress(&runner, &TaskRunner::progressChanged);
    std::atomic<bool> release{false};
    std::optional<TaskResult> result;
    runner.start(
        QStringLiteral("Counting"),
        [&release](geih::Progress& p) {
          p.report(0.25, "first quarter");
          p.report(0.25, "first quarter");  // unchanged: not forwarded again
          p.report(0.5, "half");
          while (!release.load()) std::this_thread::yield();
          return QVariant();
        },
        [&](const TaskResult& r) { result = r; });
    QTRY_COMPARE(progress.count(), 2);
    QCOMPARE(progress.at(0).at(1).toInt(), 25);
    QCOMPARE(progress.at(0).at(2).toString(), QStringLiteral("first quarter"));
    QCOMPARE(progress.at(1).at(1).toInt(), 50);
    QCOMPARE(panel.percent(), 50);
    QCOMPARE(panel.text(), QStringLiteral("Counting: half"));
    release = true;
    QTRY_VERIFY(result.has_value());
    QCOMPARE(panel.shownTask(), 0);
  }

  void skipsTheCallbackWhenItsContextIsGone() {
    TaskRunner runner;
    std::atomic<bool> release{false};
    bool called = false;
    auto* context = new QObject;
    runner.start(
        QStringLiteral("orphan"),
        [&release](geih::Progress&) {
          while (!release.load()) std::this_thread::yield();
          return QVariant(1);
        },
        [&called](const TaskResult&) { called = true; }, context);
    delete context;
    release = true;
    QTRY_VERIFY(!runner.isBusy());
    QVERIFY(!called);
  }

  void destructionCancelsAndWaits() {
    std::atomic<bool> started{false};
    std::atomic<bool> ended{false};
    {
      TaskRunner runner;
      runner.start(QStringLiteral("long"), [&](geih::Progress& progress) -> QVariant {
        started = true;
        for (;;) {
          if (progress.isCancelled()) {
            ended = true;
            progress.checkCancelled();
          }
          std::this_thread::yield();
        }
      });
      QTRY_VERIFY(started.load());
    }
    QVERIFY(ended.load());
  }
};

QTEST_MAIN(TaskRunnerTest)
#include "task_runner_test.moc"
