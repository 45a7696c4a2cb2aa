#include "ui/store/experiments_model.h"

#include <QDateTime>

namespace geih::ui {

ExperimentsModel::ExperimentsModel(QObject* parent) : QAbstractListModel(parent) {}

void ExperimentsModel::setExperiments(std::vector<store::Experiment> experiments) {
  beginResetModel();
  m_experiments = std::move(experiments);
  endResetModel();
}

int ExperimentsModel::rowOf(std::int64_t experimentId) const {
  for (std::size_t i = 0; i < m_experiments.size(); ++i) {
    if (m_experiments[i].id == experimentId) return static_cast<int>(i);
  }
  return -1;
}

int ExperimentsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_experiments.size());
}

QVariant ExperimentsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const store::Experiment& experiment = m_experiments[static_cast<std::size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
      return QString::fromStdString(experiment.name);
    case Qt::ToolTipRole: {
      QString tip =
          QStringLiteral("<b>%1</b><br>%2")
              .arg(QString::fromStdString(experiment.name).toHtmlEscaped(),
                   experiment.runCount == 1 ? tr("1 run") : tr("%1 runs").arg(experiment.runCount));
      if (experiment.createdMs > 0) {
        tip +=
            QStringLiteral("<br>") + tr("Created %1")
                                         .arg(QDateTime::fromMSecsSinceEpoch(experiment.createdMs)
                                                  .toString(QStringLiteral("yyyy-MM-dd HH:mm")));
      }
      if (!experiment.description.empty()) {
        tip +=
            QStringLiteral("<br>") + QString::fromStdString(experiment.description).toHtmlEscaped();
      }
      return tip;
    }
    case IdRole:
      return QVariant::fromValue<qint64>(experiment.id);
    case RunCountRole:
      return QVariant::fromValue<qulonglong>(experiment.runCount);
    case DescriptionRole:
      return QString::fromStdString(experiment.description);
    default:
      return {};
  }
}

QVariant ExperimentsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (section == 0 && orientation == Qt::Horizontal && role == Qt::DisplayRole) {
    return tr("Experiment");
  }
  return QAbstractListModel::headerData(section, orientation, role);
}

QHash<int, QByteArray> ExperimentsModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractListModel::roleNames();
  names[IdRole] = "experimentId";
  names[RunCountRole] = "runCount";
  names[DescriptionRole] = "description";
  return names;
}

}  // namespace geih::ui
