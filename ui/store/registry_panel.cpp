#include "ui/store/registry_panel.h"

#include <filesystem>

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/store/monitoring_alerts.h"
#include "core/store/workspace.h"
#include "ui/common/task_runner.h"
#include "ui/store/promote_dialog.h"

namespace geih::ui {

namespace {

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

QColor stageColour(store::Stage stage) {
  switch (stage) {
    case store::Stage::Production: return QColor(0x2e, 0x7d, 0x32);
    case store::Stage::Staging: return QColor(0xef, 0x6c, 0x00);
    case store::Stage::Archived: return QColor(0x75, 0x75, 0x75);
    case store::Stage::None: break;
  }
  return QColor(0x42, 0x42, 0x42);
}

QTableWidget* makeTable(const QStringList& headers, QWidget* parent) {
  auto* table = new QTableWidget(0, int(headers.size()), parent);
  table->setHorizontalHeaderLabels(headers);
  table->verticalHeader()->setVisible(false);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setSelectionMode(QAbstractItemView::SingleSelection);
  table->horizontalHeader()->setStretchLastSection(true);
  table->setAlternatingRowColors(true);
  table->setShowGrid(false);
  return table;
}

QString timeText(std::int64_t ms) {
  return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

RegistrySnapshot readSnapshot(const std::filesystem::path& root, const std::string& model) {
  store::Workspace workspace = store::Workspace::open(root, store::OpenMode::MustExist);
  store::Registry registry(workspace);
  RegistrySnapshot snapshot;
  for (const store::RegisteredModel& registered : registry.listModels()) {
    snapshot.models.push_back(registered.name);
  }
  std::string name = model;
  if (name.empty() && !snapshot.models.empty()) name = snapshot.models.front();
  if (!name.empty() && std::find(snapshot.models.begin(), snapshot.models.end(), name) != snapshot.models.end()) {
    snapshot.selected = registry.model(name);
    for (const store::ModelVersion& version : snapshot.selected->versions) {
      const store::RunSummary run = workspace.runSummary(version.runId);
      if (auto it = run.metrics.find("roc_auc"); it != run.metrics.end()) {
        snapshot.aucByRun[version.runId] = it->second;
      }
    }
    snapshot.audit = registry.audit(name, 200);
    for (const store::Alert& alert : store::MonitoringAlerts(workspace).openAlerts(name)) {
      snapshot.openAlerts[alert.modelVersion].push_back(alert.rule + " (" + alert.message + ")");
    }
  }
  return snapshot;
}

PromotePlan readPlan(const std::filesystem::path& root, const std::string& model, int version) {
  store::Workspace workspace = store::Workspace::open(root, store::OpenMode::MustExist);
  store::Registry registry(workspace);
  PromotePlan plan;
  plan.model = model;
  plan.version = version;
  plan.gates = registry.evaluateGates(model, version);
  plan.candidateMetrics = workspace.runSummary(registry.version(model, version).runId).metrics;
  for (const store::ModelVersion& other : registry.model(model).versions) {
    if (other.stage == store::Stage::Production && other.version != version) {
      plan.productionVersion = other.version;
      plan.productionMetrics = workspace.runSummary(other.runId).metrics;
    }
  }
  return plan;
}

}  // namespace

RegistryPanel::RegistryPanel(TaskRunner* runner, QWidget* parent)
    : QWidget(parent),
      m_runner(runner),
      m_models(new QListWidget(this)),
      m_title(new QLabel(tr("No registered models"), this)),
      m_versions(makeTable({tr("Version"), tr("Stage"), tr("Aliases"), tr("Monitoring"), tr("ROC AUC"), tr("Run"),
                            tr("Registered"), tr("Description")},
                           this)),
      m_audit(makeTable({tr("When"), tr("Version"), tr("Action"), tr("From → to"), tr("Who"),
                         tr("Forced"), tr("Reason")},
                        this)),
      m_promote(new QPushButton(tr("Promote…"), this)),
      m_archive(new QPushButton(tr("Archive"), this)),
      m_rollback(new QPushButton(tr("Rollback"), this)),
      m_riskMap(new QPushButton(tr("Risk map…"), this)) {
  QFont bold = m_title->font();
  bold.setBold(true);
  m_title->setFont(bold);
  m_promote->setToolTip(tr("Move the selected version to a stage; Production checks the gates first"));
  m_rollback->setToolTip(tr("Restore the Production version the current one replaced"));
  m_riskMap->setToolTip(tr("Score a raster stack with the selected version"));
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_title, 1);
  buttons->addWidget(m_promote);
  buttons->addWidget(m_archive);
  buttons->addWidget(m_rollback);
  buttons->addWidget(m_riskMap);

  auto* right = new QWidget(this);
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  rightLayout->addLayout(buttons);
  rightLayout->addWidget(m_versions, 3);
  rightLayout->addWidget(new QLabel(tr("<b>History</b>"), right));
  rightLayout->addWidget(m_audit, 2);

  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->addWidget(m_models);
  splitter->addWidget(right);
  splitter->setStretchFactor(1, 4);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(splitter);

  connect(m_models, &QListWidget::currentTextChanged, this, [this](const QString& name) {
    if (m_filling || name.isEmpty() || name == m_model) return;
    m_model = name;
    reload();
  });
  connect(m_versions, &QTableWidget::itemSelectionChanged, this, &RegistryPanel::updateButtons);
  connect(m_promote, &QPushButton::clicked, this, &RegistryPanel::openPromoteDialog);
  connect(m_archive, &QPushButton::clicked, this, [this] {
    if (const auto version = selectedVersion()) archive(*version, tr("archived from the workbench"));
  });
  connect(m_riskMap, &QPushButton::clicked, this, [this] {
    if (const auto version = selectedVersion()) {
      emit riskMapRequested(QStringLiteral("%1@%2").arg(m_model).arg(*version));
    }
  });
  connect(m_rollback, &QPushButton::clicked, this, [this] {
    bool ok = false;
    const QString reason = QInputDialog::getText(this, tr("Rollback %1").arg(m_model),
                                                 tr("Why roll back? (kept in the audit log)"),
                                                 QLineEdit::Normal, {}, &ok);
    if (ok) rollback(reason);
  });
  updateButtons();
}

void RegistryPanel::setWorkspace(const QString& root) {
  m_root = root;
  m_model.clear();
  reload();
}

void RegistryPanel::selectModel(const QString& name) {
  m_model = name;
  reload();
}

void RegistryPanel::reload() {
  if (!m_runner || m_root.isEmpty()) return;
  const int generation = ++m_generation;
  const std::filesystem::path root = toPath(m_root);
  const std::string model = m_model.toStdString();
  m_runner->start(
      tr("Reading the registry"),
      [root, model](Progress&) { return QVariant::fromValue(readSnapshot(root, model)); },
      [this, generation](const TaskResult& result) {
        if (generation != m_generation || !result.ok()) return;
        show(result.value.value<RegistrySnapshot>());
        emit loaded();
      },
      this);
}

void RegistryPanel::show(const RegistrySnapshot& snapshot) {
  m_snapshot = snapshot;
  m_filling = true;
  m_models->clear();
  for (const std::string& name : snapshot.models) m_models->addItem(QString::fromStdString(name));
  m_versions->setRowCount(0);
  m_audit->setRowCount(0);
  if (!snapshot.selected) {
    m_title->setText(snapshot.models.empty() ? tr("No registered models (register a run with "
                                                  "`geih models register`)")
                                             : QString());
    m_filling = false;
    updateButtons();
    return;
  }
  const store::RegisteredModel& model = *snapshot.selected;
  m_model = QString::fromStdString(model.name);
  const auto items = m_models->findItems(m_model, Qt::MatchExactly);
  if (!items.isEmpty()) m_models->setCurrentItem(items.front());
  m_title->setText(tr("%1 — %2 versions").arg(m_model).arg(model.versions.size()));
  for (const store::ModelVersion& version : model.versions) {
    const int row = m_versions->rowCount();
    m_versions->insertRow(row);
    auto* number = new QTableWidgetItem(QString::number(version.version));
    number->setData(Qt::UserRole, version.version);
    m_versions->setItem(row, 0, number);
    auto* stage = new QTableWidgetItem(QString::fromStdString(store::stageName(version.stage)));
    stage->setForeground(Qt::white);
    stage->setBackground(stageColour(version.stage));
    stage->setTextAlignment(Qt::AlignCenter);
    m_versions->setItem(row, 1, stage);
    QStringList aliases;
    for (const std::string& alias : version.aliases) aliases << "@" + QString::fromStdString(alias);
    m_versions->setItem(row, 2, new QTableWidgetItem(aliases.join(' ')));
    auto* monitoring = new QTableWidgetItem;
    if (const auto alerts = snapshot.openAlerts.find(version.version); alerts != snapshot.openAlerts.end()) {
      monitoring->setText(tr("needs retraining (%1)").arg(alerts->second.size()));
      monitoring->setForeground(Qt::white);
      monitoring->setBackground(QColor(0xc6, 0x28, 0x28));
      QStringList rules;
      for (const std::string& rule : alerts->second) rules << QString::fromStdString(rule);
      monitoring->setToolTip(tr("Open alerts (geih monitor clear to clear):\n%1").arg(rules.join('\n')));
    }
    m_versions->setItem(row, 3, monitoring);
    const auto auc = snapshot.aucByRun.find(version.runId);
    m_versions->setItem(row, 4, new QTableWidgetItem(
                                    auc == snapshot.aucByRun.end() ? QString() : QString::number(auc->second, 'f', 4)));
    m_versions->setItem(row, 5, new QTableWidgetItem(QString::fromStdString(version.runId.substr(0, 8))));
    m_versions->setItem(row, 6, new QTableWidgetItem(timeText(version.createdMs)));
    m_versions->setItem(row, 7, new QTableWidgetItem(QString::fromStdString(version.description)));
  }
  for (const store::AuditEntry& entry : snapshot.audit) {
    const int row = m_audit->rowCount();
    m_audit->insertRow(row);
    m_audit->setItem(row, 0, new QTableWidgetItem(timeText(entry.timeMs)));
    m_audit->setItem(row, 1, new QTableWidgetItem(entry.version ? QString::number(*entry.version) : QString()));
    m_audit->setItem(row, 2, new QTableWidgetItem(QString::fromStdString(entry.action)));
    m_audit->setItem(row, 3, new QTableWidgetItem(
                                 entry.fromStage.empty() && entry.toStage.empty()
                                     ? QString()
                                     : QString::fromStdString(entry.fromStage + " → " + entry.toStage)));
    m_audit->setItem(row, 4, new QTableWidgetItem(QString::fromStdString(entry.user)));
    m_audit->setItem(row, 5, new QTableWidgetItem(entry.forced ? tr("yes") : QString()));
    m_audit->setItem(row, 6, new QTableWidgetItem(QString::fromStdString(entry.reason)));
  }
  m_versions->resizeColumnsToContents();
  m_audit->resizeColumnsToContents();
  m_filling = false;
  updateButtons();
}

std::optional<int> RegistryPanel::selectedVersion() const {
  const auto rows = m_versions->selectionModel()->selectedRows();
  if (rows.isEmpty()) return std::nullopt;
  return m_versions->item(rows.front().row(), 0)->data(Qt::UserRole).toInt();
}

void RegistryPanel::updateButtons() {
  const bool version = selectedVersion().has_value();
  m_promote->setEnabled(version);
  m_archive->setEnabled(version);
  m_riskMap->setEnabled(version);
  m_rollback->setEnabled(m_snapshot && m_snapshot->selected);
}

void RegistryPanel::runChange(const QString& title, std::function<void(store::Registry&)> change) {
  if (!m_runner || m_root.isEmpty()) return;
  const std::filesystem::path root = toPath(m_root);
  m_runner->start(
      title,
      [root, change](Progress&) {
        store::Workspace workspace = store::Workspace::open(root, store::OpenMode::MustExist);
        store::Registry registry(workspace);
        change(registry);
        return QVariant();
      },
      [this](const TaskResult& result) {
        emit finished(result.ok(), result.message);
        if (!result.ok() && result.status == TaskResult::Status::Failed && isVisible()) {
          auto* box = new QMessageBox(QMessageBox::Warning, tr("Registry"), result.message,
                                      QMessageBox::Ok, this);
          box->setAttribute(Qt::WA_DeleteOnClose);
          box->open();
        }
        reload();
      },
      this);
}

void RegistryPanel::promote(int version, store::Stage stage, const QString& reason, bool force) {
  const std::string model = m_model.toStdString();
  const std::string why = reason.toStdString();
  runChange(tr("Promoting %1 version %2").arg(m_model).arg(version),
            [model, version, stage, why, force](store::Registry& registry) {
              registry.transition(model, version, stage, why, force);
            });
}

void RegistryPanel::archive(int version, const QString& reason) {
  promote(version, store::Stage::Archived, reason, false);
}

void RegistryPanel::rollback(const QString& reason) {
  const std::string model = m_model.toStdString();
  const std::string why = reason.toStdString();
  runChange(tr("Rolling back %1").arg(m_model),
            [model, why](store::Registry& registry) { registry.rollback(model, why); });
}

void RegistryPanel::openPromoteDialog() {
  const auto version = selectedVersion();
  if (!version || !m_runner) return;
  const std::filesystem::path root = toPath(m_root);
  const std::string model = m_model.toStdString();
  const int number = *version;
  m_runner->start(
      tr("Checking the gates"),
      [root, model, number](Progress&) { return QVariant::fromValue(readPlan(root, model, number)); },
      [this](const TaskResult& result) {
        if (!result.ok()) {
          emit finished(false, result.message);
          return;
        }
        const PromotePlan plan = result.value.value<PromotePlan>();
        auto* dialog = new PromoteDialog(plan, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this, [this, dialog, plan] {
          promote(plan.version, dialog->stage(), dialog->reason(), dialog->force());
        });
        dialog->open();
      },
      this);
}

}  // namespace geih::ui
