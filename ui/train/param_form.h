// A form generated from a learner's params schema: a spin box per Int (with its bounds), a number
// field per Double, a check box per Bool, a combo per Choice, each filled with the default and the
// help as tooltip.
// values() returns only the entries that differ from the defaults (so a run's name and params say
// what the user changed).
#pragma once

#include <map>
#include <vector>

#include <QWidget>

#include "core/ml/params.h"

class QFormLayout;

namespace geih::ui {

class ParamForm : public QWidget {
  Q_OBJECT

 public:
  explicit ParamForm(QWidget* parent = nullptr);

  void setSchema(const std::vector<ml::ParamSpec>& schema);
  ml::ParamMap values() const;
  // The editor of a parameter (QSpinBox, QLineEdit, QCheckBox or QComboBox), or null.
  QWidget* editor(const std::string& name) const;

 private:
  QFormLayout* m_layout;
  std::vector<ml::ParamSpec> m_schema;
  std::map<std::string, QWidget*> m_editors;
};

}  // namespace geih::ui
