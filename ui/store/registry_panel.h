// The model registry in the window: registered models on the left; the selected model's versions
// (stage and alias badges, run, ROC AUC) with Promote…, Archive and Rollback; and the model's
// audit history. Every read and change runs through the TaskRunner on a worker that opens its own
// Workspace; Promote… first shows each gate as pass/fail and the metric difference against the
// current Production version (PromoteDialog) and refuses a forced promotion without a reason.
#pragma once

#include <optional>
#include <vector>

#include <QMetaType>
#include <QPointer>
#include <QWidget>

#include "core/store/registry.h"

class QLabel;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace geih::ui {

class TaskRunner;

// What the panel shows of one model, read by a worker.
struct RegistrySnapshot {
  std::vector<std::string> models;
  std::optional<store::RegisteredModel> selected;
  std::map<std::string, double> aucByRun;  // roc_auc of each version's run
  std::vector<store::AuditEntry> audit;
  std::map<int, std::vector<std::string>> openAlerts;  // version -> rules of its open alerts
};

class RegistryPanel : public QWidget {
  Q_OBJECT

 public:
  explicit RegistryPanel(TaskRunner* runner, QWidget* parent = nullptr);

  // Reads the registry of the workspace at `root` (empty: clears).
  void setWorkspace(const QString& root);
  void reload();
  void selectModel(const QString& name);

  // The actions behind the buttons, usable without the dialogs (and in tests): each runs as a
  // job, then reloads; `finished` reports the outcome (ok, and the error's text).
  void promote(int version, store::Stage stage, const QString& reason, bool force);
  void archive(int version, const QString& reason);
  void rollback(const QString& reason);

  QListWidget* modelList() const { return m_models; }
  QTableWidget* versionsTable() const { return m_versions; }
  QTableWidget* auditTable() const { return m_audit; }
  QString currentModel() const { return m_model; }
  std::optional<int> selectedVersion() const;

 signals:
  void loaded();
  void finished(bool ok, const QString& message);
  // "Risk map…" for the selected version: `reference` is NAME@VERSION.
  void riskMapRequested(const QString& reference);

 private:
  void show(const RegistrySnapshot& snapshot);
  void runChange(const QString& title, std::function<void(store::Registry&)> change);
  void openPromoteDialog();
  void updateButtons();

  QPointer<TaskRunner> m_runner;
  QString m_root;
  QString m_model;
  std::optional<RegistrySnapshot> m_snapshot;
  QListWidget* m_models;
  QLabel* m_title;
  QTableWidget* m_versions;
  QTableWidget* m_audit;
  QPushButton* m_promote;
  QPushButton* m_archive;
  QPushButton* m_rollback;
  QPushButton* m_riskMap;
  int m_generation = 0;
  bool m_filling = false;
};

}  // namespace geih::ui

Q_DECLARE_METATYPE(geih::ui::RegistrySnapshot)
