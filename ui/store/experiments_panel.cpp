#include "ui/store/experiments_panel.h"

#include <QApplication>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

#include "ui/store/experiments_model.h"

namespace geih::ui {

namespace {

// Draws the experiment's name on the left and its run count, muted, on the right.
class ExperimentDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override {
    const QString count = index.data(ExperimentsModel::RunCountRole).toString();
    const int countWidth = option.fontMetrics.horizontalAdvance(count) + 16;

    QStyleOptionViewItem itemOption(option);
    initStyleOption(&itemOption, index);
    // Draw the background and the elided name in the space left of the count.
    const QRect full = itemOption.rect;
    QStyle* style = itemOption.widget ? itemOption.widget->style() : QApplication::style();
    QStyleOptionViewItem background(itemOption);
    background.text.clear();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, itemOption.widget);

    const QRect textRect = full.adjusted(10, 0, -countWidth, 0);
    const bool selected = itemOption.state & QStyle::State_Selected;
    const QPalette::ColorGroup group =
        itemOption.state & QStyle::State_Active ? QPalette::Active : QPalette::Inactive;
    painter->save();
    painter->setPen(
        itemOption.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
    painter->drawText(
        textRect, Qt::AlignVCenter | Qt::AlignLeft,
        option.fontMetrics.elidedText(itemOption.text, Qt::ElideRight, textRect.width()));
    QColor muted = itemOption.palette.color(
        group, selected ? QPalette::HighlightedText : QPalette::PlaceholderText);
    painter->setPen(muted);
    painter->drawText(full.adjusted(0, 0, -10, 0), Qt::AlignVCenter | Qt::AlignRight, count);
    painter->restore();
  }

  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(std::max(size.height(), option.fontMetrics.height()) + 12);
    return size;
  }
};

}  // namespace

ExperimentsPanel::ExperimentsPanel(QWidget* parent)
    : QWidget(parent),
      m_model(new ExperimentsModel(this)),
      m_view(new QListView(this)),
      m_placeholder(new QLabel(this)) {
  auto* title = new QLabel(tr("Experiments"), this);
  QFont titleFont = title->font();
  titleFont.setBold(true);
  title->setFont(titleFont);
  title->setContentsMargins(4, 4, 0, 4);

  m_view->setModel(m_model);
  m_view->setItemDelegate(new ExperimentDelegate(m_view));
  m_view->setSelectionMode(QAbstractItemView::SingleSelection);
  m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_view->setUniformItemSizes(true);
  m_view->setMinimumWidth(180);

  m_placeholder->setText(tr("No experiments yet.\nRun “geih demo” or “geih train” to create one."));
  m_placeholder->setWordWrap(true);
  m_placeholder->setAlignment(Qt::AlignCenter);
  m_placeholder->setForegroundRole(QPalette::PlaceholderText);
  m_placeholder->setVisible(false);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addWidget(title);
  layout->addWidget(m_view, 1);
  layout->addWidget(m_placeholder);

  connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            emit currentExperimentChanged(
                current.isValid() ? current.data(ExperimentsModel::IdRole).toLongLong() : -1);
          });
}

void ExperimentsPanel::setExperiments(std::vector<store::Experiment> experiments) {
  m_model->setExperiments(std::move(experiments));
  m_placeholder->setVisible(m_model->rowCount() == 0);
}

bool ExperimentsPanel::selectExperiment(std::int64_t experimentId) {
  const int row = m_model->rowOf(experimentId);
  if (row < 0) return false;
  m_view->selectionModel()->setCurrentIndex(m_model->index(row),
                                            QItemSelectionModel::ClearAndSelect);
  return true;
}

std::int64_t ExperimentsPanel::currentExperimentId() const {
  const QModelIndex current = m_view->selectionModel()->currentIndex();
  return current.isValid() ? current.data(ExperimentsModel::IdRole).toLongLong() : -1;
}

}  // namespace geih::ui
