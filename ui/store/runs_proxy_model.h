// Sorting (and, later, filtering) of the runs table. Sorts by RunsTableModel::SortRole: numbers
// numerically, text case-insensitively, numbers before text, and missing values last whichever
// the sort order.
#pragma once

#include <QSortFilterProxyModel>

namespace geih::ui {

class RunsProxyModel : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  explicit RunsProxyModel(QObject* parent = nullptr);

 protected:
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
};

}  // namespace geih::ui
