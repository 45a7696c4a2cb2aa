// The runs table's context menu: show the selected runs' curves or compare them, tag them, rename one, move them
// to the trash, or register one as a new version of a registered model. Each change runs as a
// TaskRunner job on its own Workspace; `changed` is emitted when it succeeded (the window then
// reloads), `failed` with a readable message otherwise.
#pragma once

#include <QObject>
#include <QPoint>
#include <QStringList>

class QWidget;

namespace geih::ui {

class TaskRunner;

class RunActions : public QObject {
  Q_OBJECT

 public:
  RunActions(TaskRunner* runner, QWidget* parent);

  void showMenu(const QPoint& globalPosition, const QStringList& runIds, const QString& root);

  // The actions themselves (the menu asks for their input first); public for tests.
  int tag(const QString& root, const QStringList& runIds, const QString& key, const QString& value);
  int rename(const QString& root, const QString& runId, const QString& name);
  int trash(const QString& root, const QStringList& runIds);
  int registerModel(const QString& root, const QString& runId, const QString& model);

 signals:
  void changed(const QString& what);
  void failed(const QString& title, const QString& message);
  void showCurvesRequested();
  void compareRequested();

 private:
  int run(const QString& title, std::function<QString(const std::string& root)> change,
          const QString& root);

  TaskRunner* m_runner;
  QWidget* m_parent;
};

}  // namespace geih::ui
