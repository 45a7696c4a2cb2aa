#include "ui/store/run_actions.h"

#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QWidget>

#include "core/store/registry.h"
#include "core/store/workspace.h"
#include "ui/common/task_runner.h"

namespace geih::ui {

RunActions::RunActions(TaskRunner* runner, QWidget* parent)
    : QObject(parent), m_runner(runner), m_parent(parent) {}

void RunActions::showMenu(const QPoint& globalPosition, const QStringList& runIds,
                          const QString& root) {
  if (runIds.isEmpty() || root.isEmpty()) return;
  QMenu menu(m_parent);
  const bool one = runIds.size() == 1;
  menu.addAction(tr("Show ROC / PR curves of %n run(s)", nullptr, int(runIds.size())), this,
                 [this] { emit showCurvesRequested(); });
  if (runIds.size() >= 2) {
    menu.addAction(tr("Compare %n runs side by side", nullptr, int(runIds.size())), this,
                   [this] { emit compareRequested(); });
  }
  menu.addSeparator();
  menu.addAction(tr("Add tag…"), this, [this, runIds, root] {
    bool ok = false;
    const QString text = QInputDialog::getText(m_parent, tr("Add tag"),
                                               tr("Tag as KEY=VALUE, e.g. region=amazonia:"),
                                               QLineEdit::Normal, QString(), &ok);
    if (!ok) return;
    const int equals = int(text.indexOf('='));
    if (equals <= 0) {
      emit failed(tr("Add tag"), tr("'%1' is not KEY=VALUE").arg(text));
      return;
    }
    tag(root, runIds, text.left(equals).trimmed(), text.mid(equals + 1).trimmed());
  });
  QAction* renameAction = menu.addAction(tr("Rename…"), this, [this, runIds, root] {
    bool ok = false;
    const QString name = QInputDialog::getText(m_parent, tr("Rename run"), tr("New name:"),
                                               QLineEdit::Normal, QString(), &ok);
    if (ok && !name.trimmed().isEmpty()) rename(root, runIds.front(), name.trimmed());
  });
  renameAction->setEnabled(one);
  QAction* registerAction =
      menu.addAction(tr("Register as a model version…"), this, [this, runIds, root] {
        bool ok = false;
        const QString model = QInputDialog::getText(
            m_parent, tr("Register model"), tr("Registered model name (new or existing):"),
            QLineEdit::Normal, QStringLiteral("fire-risk"), &ok);
        if (ok && !model.trimmed().isEmpty()) registerModel(root, runIds.front(), model.trimmed());
      });
  registerAction->setEnabled(one);
  menu.addSeparator();
  menu.addAction(tr("Move %n run(s) to the trash", nullptr, int(runIds.size())), this,
                 [this, runIds, root] {
                   const auto answer = QMessageBox::question(
                       m_parent, tr("Move to the trash"),
                       tr("Move %n run(s) and their child runs to the trash? They can be "
                          "restored with geih runs restore.",
                          nullptr, int(runIds.size())));
                   if (answer == QMessageBox::Yes) trash(root, runIds);
                 });
  menu.exec(globalPosition);
}

int RunActions::run(const QString& title, std::function<QString(const std::string& root)> change,
                    const QString& root) {
  const std::string path = root.toStdString();
  return m_runner->start(
      title, [change, path](Progress&) { return QVariant(change(path)); },
      [this, title](const TaskResult& result) {
        if (result.ok()) {
          emit changed(result.value.toString());
        } else if (result.status == TaskResult::Status::Failed) {
          emit failed(title, result.message);
        }
      },
      this);
}

int RunActions::tag(const QString& root, const QStringList& runIds, const QString& key,
                    const QString& value) {
  QStringList ids = runIds;
  return run(
      tr("Tagging runs"),
      [ids, key, value](const std::string& path) {
        store::Workspace workspace = store::Workspace::open(path, store::OpenMode::MustExist);
        for (const QString& id : ids) workspace.setTag(id.toStdString(), key.toStdString(), value.toStdString());
        return QObject::tr("Tagged %n run(s) %1=%2", nullptr, int(ids.size())).arg(key, value);
      },
      root);
}

int RunActions::rename(const QString& root, const QString& runId, const QString& name) {
  return run(
      tr("Renaming a run"),
      [runId, name](const std::string& path) {
        store::Workspace workspace = store::Workspace::open(path, store::OpenMode::MustExist);
        workspace.renameRun(runId.toStdString(), name.toStdString());
        return QObject::tr("Renamed the run to %1").arg(name);
      },
      root);
}

int RunActions::trash(const QString& root, const QStringList& runIds) {
  QStringList ids = runIds;
  return run(
      tr("Moving runs to the trash"),
      [ids](const std::string& path) {
        store::Workspace workspace = store::Workspace::open(path, store::OpenMode::MustExist);
        std::size_t moved = 0;
        for (const QString& id : ids) moved += workspace.deleteRun(id.toStdString()).size();
        return QObject::tr("Moved %n run(s) to the trash", nullptr, int(moved));
      },
      root);
}

int RunActions::registerModel(const QString& root, const QString& runId, const QString& model) {
  return run(
      tr("Registering a model version"),
      [runId, model](const std::string& path) {
        store::Workspace workspace = store::Workspace::open(path, store::OpenMode::MustExist);
        const store::ModelVersion version =
            store::Registry(workspace).registerVersion(model.toStdString(), runId.toStdString());
        return QObject::tr("Registered %1 version %2").arg(model).arg(version.version);
      },
      root);
}

}  // namespace geih::ui
