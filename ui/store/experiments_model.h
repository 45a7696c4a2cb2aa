// The experiments of a workspace as a list: one row per store::Experiment, shown as its name,
// with the run count and id under custom roles.
#pragma once

#include <cstdint>
#include <vector>

#include <QAbstractListModel>

#include "core/store/records.h"

namespace geih::ui {

class ExperimentsModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role {
    IdRole = Qt::UserRole + 1,  // qint64
    RunCountRole,               // qulonglong
    DescriptionRole,            // QString
  };

  explicit ExperimentsModel(QObject* parent = nullptr);

  void setExperiments(std::vector<store::Experiment> experiments);
  const std::vector<store::Experiment>& experiments() const { return m_experiments; }
  const store::Experiment& experiment(int row) const { return m_experiments.at(row); }
  // -1 when no experiment has that id.
  int rowOf(std::int64_t experimentId) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

 private:
  std::vector<store::Experiment> m_experiments;
};

}  // namespace geih::ui
