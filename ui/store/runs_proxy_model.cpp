#include "ui/store/runs_proxy_model.h"

#include "ui/store/runs_table_model.h"

namespace geih::ui {

namespace {

bool isNumber(const QVariant& value) {
  switch (value.typeId()) {
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
      return true;
    default:
      return false;
  }
}

}  // namespace

RunsProxyModel::RunsProxyModel(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(RunsTableModel::SortRole);
  setSortCaseSensitivity(Qt::CaseInsensitive);
  setDynamicSortFilter(true);
}

bool RunsProxyModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  const QVariant l = left.data(sortRole());
  const QVariant r = right.data(sortRole());
  const bool lMissing = !l.isValid();
  const bool rMissing = !r.isValid();
  // Missing values sort last in either order: the view reverses the comparison when descending.
  if (lMissing || rMissing) {
    if (lMissing && rMissing) return false;
    return lMissing ? sortOrder() == Qt::DescendingOrder : sortOrder() == Qt::AscendingOrder;
  }
  const bool lNumber = isNumber(l);
  const bool rNumber = isNumber(r);
  if (lNumber && rNumber) return l.toDouble() < r.toDouble();
  if (lNumber != rNumber) return lNumber;
  return QString::compare(l.toString(), r.toString(), sortCaseSensitivity()) < 0;
}

}  // namespace geih::ui
