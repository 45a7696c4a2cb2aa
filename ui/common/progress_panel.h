// The status-bar view of the task runner: what runs, how far it is, and a Cancel button.
// Hidden while nothing runs; appears only for work that takes longer than a blink.
#pragma once

#include <QWidget>

#include "ui/common/task_runner.h"

class QLabel;
class QProgressBar;
class QTimer;
class QToolButton;

namespace geih::ui {

class ProgressPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ProgressPanel(TaskRunner* runner, QWidget* parent = nullptr);

  // The task whose progress is shown (the newest running one), or 0.
  int shownTask() const { return m_shownTask; }
  QString text() const;
  int percent() const;

 private:
  void onTaskStarted(int taskId, const QString& title);
  void onProgress(int taskId, int percent, const QString& stage);
  void onTaskFinished(int taskId);
  void showTask(int taskId);

  TaskRunner* m_runner;
  QLabel* m_label;
  QProgressBar* m_bar;
  QToolButton* m_cancel;
  QTimer* m_showDelay;
  int m_shownTask = 0;
  QList<int> m_running;  // oldest first
};

}  // namespace geih::ui
