#include "ui/common/progress_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QTimer>
#include <QToolButton>

namespace geih::ui {

namespace {
constexpr int kShowDelayMs = 300;
}

ProgressPanel::ProgressPanel(TaskRunner* runner, QWidget* parent)
    : QWidget(parent),
      m_runner(runner),
      m_label(new QLabel(this)),
      m_bar(new QProgressBar(this)),
      m_cancel(new QToolButton(this)),
      m_showDelay(new QTimer(this)) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(6);
  layout->addWidget(m_label);
  layout->addWidget(m_bar);
  layout->addWidget(m_cancel);

  m_bar->setFixedWidth(160);
  m_bar->setMaximumHeight(16);
  m_bar->setTextVisible(false);
  m_cancel->setText(tr("Cancel"));
  m_cancel->setToolTip(tr("Stop the running work"));
  m_cancel->setAutoRaise(true);

  m_showDelay->setSingleShot(true);
  m_showDelay->setInterval(kShowDelayMs);
  connect(m_showDelay, &QTimer::timeout, this, [this] { setVisible(m_shownTask != 0); });
  connect(m_cancel, &QToolButton::clicked, this, [this] {
    m_runner->cancelAll();
    m_label->setText(tr("Cancelling…"));
    m_cancel->setEnabled(false);
  });

  connect(runner, &TaskRunner::taskStarted, this, &ProgressPanel::onTaskStarted);
  connect(runner, &TaskRunner::progressChanged, this, &ProgressPanel::onProgress);
  connect(runner, &TaskRunner::taskFinished, this, [this](int taskId) { onTaskFinished(taskId); });
  setVisible(false);
}

QString ProgressPanel::text() const { return m_label->text(); }

int ProgressPanel::percent() const { return m_bar->maximum() == 0 ? -1 : m_bar->value(); }

void ProgressPanel::onTaskStarted(int taskId, const QString& title) {
  m_running.append(taskId);
  showTask(taskId);
  m_label->setText(title);
  if (!isVisible() && !m_showDelay->isActive()) m_showDelay->start();
}

void ProgressPanel::onProgress(int taskId, int percent, const QString& stage) {
  if (taskId != m_shownTask) return;
  m_bar->setRange(0, 100);
  m_bar->setValue(percent);
  const QString title = m_runner->title(taskId);
  m_label->setText(stage.isEmpty() ? title : tr("%1: %2").arg(title, stage));
}

void ProgressPanel::onTaskFinished(int taskId) {
  m_running.removeAll(taskId);
  if (taskId != m_shownTask) return;
  if (m_running.isEmpty()) {
    m_shownTask = 0;
    m_showDelay->stop();
    setVisible(false);
    return;
  }
  showTask(m_running.last());
  m_label->setText(m_runner->title(m_shownTask));
}

void ProgressPanel::showTask(int taskId) {
  m_shownTask = taskId;
  m_bar->setRange(0, 0);  // busy indicator until the first report
  m_cancel->setEnabled(true);
}

}  // namespace geih::ui
