#include "ui/train/param_form.h"

#include <cmath>
#include <limits>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleValidator>
#include <QLineEdit>
#include <QLocale>
#include <QFormLayout>
#include <QSpinBox>

namespace geih::ui {

ParamForm::ParamForm(QWidget* parent) : QWidget(parent), m_layout(new QFormLayout(this)) {
  m_layout->setContentsMargins(0, 0, 0, 0);
}

void ParamForm::setSchema(const std::vector<ml::ParamSpec>& schema) {
  while (m_layout->rowCount() > 0) m_layout->removeRow(0);
  m_editors.clear();
  m_schema = schema;
  for (const ml::ParamSpec& spec : schema) {
    QWidget* editor = nullptr;
    const QString help = QString::fromStdString(spec.help);
    switch (spec.type) {
      case ml::ParamType::Int: {
        auto* box = new QSpinBox(this);
        box->setRange(int(std::max(spec.min.value_or(-1e9), -2e9)),
                      int(std::min(spec.max.value_or(2e9), 2e9)));
        box->setValue(std::stoi(spec.defaultValue));
        editor = box;
        break;
      }
      case ml::ParamType::Double: {
        // Text, not a spin box: values such as 1e-08 stay exact and readable; the learner's
        // schema checks the range when the form is used (with a message naming the parameter).
        auto* box = new QLineEdit(QString::fromStdString(spec.defaultValue), this);
        auto* validator = new QDoubleValidator(box);
        validator->setNotation(QDoubleValidator::ScientificNotation);
        validator->setLocale(QLocale::c());
        box->setValidator(validator);
        editor = box;
        break;
      }
      case ml::ParamType::Bool: {
        auto* box = new QCheckBox(this);
        box->setChecked(spec.defaultValue == "true");
        editor = box;
        break;
      }
      case ml::ParamType::Choice: {
        auto* box = new QComboBox(this);
        for (const std::string& choice : spec.choices) box->addItem(QString::fromStdString(choice));
        box->setCurrentText(QString::fromStdString(spec.defaultValue));
        editor = box;
        break;
      }
    }
    editor->setToolTip(help);
    editor->setObjectName(QString::fromStdString(spec.name));
    m_layout->addRow(QString::fromStdString(spec.name), editor);
    m_editors[spec.name] = editor;
  }
}

ml::ParamMap ParamForm::values() const {
  ml::ParamMap values;
  for (const ml::ParamSpec& spec : m_schema) {
    QWidget* editor = m_editors.at(spec.name);
    std::string text;
    bool changed = false;
    if (auto* box = qobject_cast<QSpinBox*>(editor)) {
      text = std::to_string(box->value());
      changed = box->value() != std::stoi(spec.defaultValue);
    } else if (auto* box = qobject_cast<QLineEdit*>(editor)) {
      text = box->text().trimmed().toStdString();
      bool parsed = false;
      const double value = box->text().trimmed().toDouble(&parsed);
      changed = !parsed || value != std::stod(spec.defaultValue);
    } else if (auto* box = qobject_cast<QCheckBox*>(editor)) {
      text = box->isChecked() ? "true" : "false";
      changed = text != spec.defaultValue;
    } else if (auto* box = qobject_cast<QComboBox*>(editor)) {
      text = box->currentText().toStdString();
      changed = text != spec.defaultValue;
    }
    if (changed) values[spec.name] = text;
  }
  return values;
}

QWidget* ParamForm::editor(const std::string& name) const {
  const auto it = m_editors.find(name);
  return it == m_editors.end() ? nullptr : it->second;
}

}  // namespace geih::ui
