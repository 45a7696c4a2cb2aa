// Promote…: the target stage, every gate of the model evaluated for this version (pass / fail
// with the values compared), the metric differences against the current Production version, a
// reason, and Force (only when a gate fails, and only with a reason). The gates are computed by
// the caller (off the GUI thread) and handed in.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include <QDialog>

#include "core/store/registry.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace geih::ui {

struct PromotePlan {
  std::string model;
  int version = 0;
  std::vector<store::GateResult> gates;
  std::map<std::string, double> candidateMetrics;
  std::optional<int> productionVersion;
  std::map<std::string, double> productionMetrics;
};

class PromoteDialog : public QDialog {
  Q_OBJECT

 public:
  explicit PromoteDialog(const PromotePlan& plan, QWidget* parent = nullptr);

  store::Stage stage() const;
  QString reason() const;
  bool force() const;
  bool gatesPass() const { return m_gatesPass; }
  QTableWidget* gatesTable() const { return m_gates; }
  QTableWidget* diffTable() const { return m_diff; }

 private:
  void updateAcceptance();

  bool m_gatesPass = true;
  QComboBox* m_stage;
  QTableWidget* m_gates;
  QTableWidget* m_diff;
  QLineEdit* m_reason;
  QCheckBox* m_force;
  QLabel* m_hint;
  QDialogButtonBox* m_buttons;
};

}  // namespace geih::ui

Q_DECLARE_METATYPE(geih::ui::PromotePlan)
