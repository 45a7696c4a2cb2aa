#include "ui/store/promote_dialog.h"

#include <set>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace geih::ui {

namespace {

const QColor kPass(0x2e, 0x7d, 0x32);
const QColor kFail(0xc6, 0x28, 0x28);

QTableWidget* makeTable(const QStringList& headers, QWidget* parent) {
  auto* table = new QTableWidget(0, int(headers.size()), parent);
  table->setHorizontalHeaderLabels(headers);
  table->verticalHeader()->setVisible(false);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionMode(QAbstractItemView::NoSelection);
  table->horizontalHeader()->setStretchLastSection(true);
  table->setShowGrid(false);
  return table;
}

bool lowerIsBetter(const std::string& key) {
  for (const std::string suffix : {"loss", "brier", "rmse", "mae", "mape"}) {
    if (key.size() >= suffix.size() &&
        key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

PromoteDialog::PromoteDialog(const PromotePlan& plan, QWidget* parent)
    : QDialog(parent),
      m_stage(new QComboBox(this)),
      m_gates(makeTable({tr("Gate"), tr("Result"), tr("Detail")}, this)),
      m_diff(makeTable({tr("Metric"), tr("This version"), tr("Production"), tr("Change")}, this)),
      m_reason(new QLineEdit(this)),
      m_force(new QCheckBox(tr("Force the promotion although gates fail (audited)"), this)),
      m_hint(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)) {
  setWindowTitle(tr("Promote %1 version %2").arg(QString::fromStdString(plan.model)).arg(plan.version));
  for (store::Stage stage : {store::Stage::Production, store::Stage::Staging, store::Stage::None,
                             store::Stage::Archived}) {
    m_stage->addItem(QString::fromStdString(store::stageName(stage)), int(stage));
  }

  for (const store::GateResult& gate : plan.gates) {
    const int row = m_gates->rowCount();
    m_gates->insertRow(row);
    m_gates->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(gate.rule)));
    auto* result = new QTableWidgetItem(gate.passed ? tr("PASS") : tr("FAIL"));
    result->setForeground(gate.passed ? kPass : kFail);
    QFont bold = result->font();
    bold.setBold(true);
    result->setFont(bold);
    m_gates->setItem(row, 1, result);
    m_gates->setItem(row, 2, new QTableWidgetItem(QString::fromStdString(gate.detail)));
    m_gatesPass = m_gatesPass && gate.passed;
  }
  if (plan.gates.empty()) {
    m_gates->insertRow(0);
    m_gates->setItem(0, 0, new QTableWidgetItem(tr("No gates are set for this model")));
  }
  m_gates->resizeColumnsToContents();

  std::set<std::string> keys;
  for (const auto& [key, value] : plan.candidateMetrics) keys.insert(key);
  for (const auto& [key, value] : plan.productionMetrics) keys.insert(key);
  for (const std::string& key : keys) {
    if (key.rfind("train_", 0) == 0 || key.find("rows") != std::string::npos) continue;
    const int row = m_diff->rowCount();
    m_diff->insertRow(row);
    m_diff->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(key)));
    auto candidate = plan.candidateMetrics.find(key);
    auto production = plan.productionMetrics.find(key);
    const auto text = [](double value) { return QString::number(value, 'f', 4); };
    m_diff->setItem(row, 1, new QTableWidgetItem(
                                candidate == plan.candidateMetrics.end() ? "–" : text(candidate->second)));
    m_diff->setItem(row, 2, new QTableWidgetItem(
                                production == plan.productionMetrics.end() ? "–" : text(production->second)));
    if (candidate != plan.candidateMetrics.end() && production != plan.productionMetrics.end()) {
      const double change = candidate->second - production->second;
      auto* item = new QTableWidgetItem((change >= 0 ? "+" : "") + text(change));
      const bool better = lowerIsBetter(key) ? change < 0 : change > 0;
      if (change != 0) item->setForeground(better ? kPass : kFail);
      m_diff->setItem(row, 3, item);
    }
  }
  m_diff->resizeColumnsToContents();

  auto* form = new QFormLayout;
  form->addRow(tr("Move to stage"), m_stage);
  m_reason->setPlaceholderText(tr("Why (kept in the audit log)"));
  form->addRow(tr("Reason"), m_reason);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(new QLabel(tr("<b>Gates</b> (checked for Production)"), this));
  layout->addWidget(m_gates);
  layout->addWidget(new QLabel(
      plan.productionVersion
          ? tr("<b>Against Production</b> (version %1)").arg(*plan.productionVersion)
          : tr("<b>Against Production</b> (none yet)"),
      this));
  layout->addWidget(m_diff);
  layout->addWidget(m_force);
  m_hint->setWordWrap(true);
  layout->addWidget(m_hint);
  layout->addWidget(m_buttons);
  connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(m_stage, &QComboBox::currentIndexChanged, this, &PromoteDialog::updateAcceptance);
  connect(m_reason, &QLineEdit::textChanged, this, &PromoteDialog::updateAcceptance);
  connect(m_force, &QCheckBox::toggled, this, &PromoteDialog::updateAcceptance);
  m_force->setVisible(!m_gatesPass);
  resize(640, 520);
  updateAcceptance();
}

store::Stage PromoteDialog::stage() const { return store::Stage(m_stage->currentData().toInt()); }
QString PromoteDialog::reason() const { return m_reason->text().trimmed(); }
bool PromoteDialog::force() const { return m_force->isChecked(); }

void PromoteDialog::updateAcceptance() {
  QString hint;
  bool ok = true;
  if (stage() == store::Stage::Production && !m_gatesPass) {
    if (!m_force->isChecked()) {
      ok = false;
      hint = tr("A gate fails: the promotion would be refused. Force it with a reason, or choose "
                "another stage.");
    } else if (reason().isEmpty()) {
      ok = false;
      hint = tr("A forced promotion needs a reason.");
    } else {
      hint = tr("The promotion will be recorded as forced, with your reason.");
    }
  }
  m_hint->setText(hint);
  m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

}  // namespace geih::ui
