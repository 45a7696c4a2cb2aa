#include <gtest/gtest.h>

#include <cmath>

#include "core/common/error.h"
#include "core/table/table.h"

namespace geih::table {
namespace {

TEST(ColumnTest, TypedAccessMissingAndText) {
  const Column n = Column::numeric("n", {1.5, std::nan("")});
  EXPECT_EQ(n.missingCount(), 1u);
  EXPECT_EQ(n.textAt(0), "1.5");
  EXPECT_EQ(n.textAt(1), "");
  EXPECT_THROW(n.codes(), InputError);
  const Column c = Column::categoricalFromStrings("c", {"b", "a", "b"});
  EXPECT_EQ(c.dictionary(), (std::vector<std::string>{"b", "a"}));
  EXPECT_DOUBLE_EQ(c.numberAt(1), 1.0);
  EXPECT_THROW(Column::categorical("bad", {0, 3}, {"x"}), InputError);
  EXPECT_THROW(Column::boolean("bad", {2}), InputError);
  const Column b = Column::boolean("b", {1, kMissingBool});
  EXPECT_EQ(b.textAt(0), "true");
  EXPECT_TRUE(std::isnan(b.numberAt(1)));
}

TEST(TableTest, AddSelectAndErrorsNameTheColumn) {
  Table t;
  t.addColumn(Column::numeric("a", {1, 2, 3}));
  t.addColumn(Column::categoricalFromStrings("b", {"x", "y", "z"}));
  EXPECT_THROW(t.addColumn(Column::numeric("a", {1, 2, 3})), InputError);
  EXPECT_THROW(t.addColumn(Column::numeric("c", {1, 2})), InputError);
  try {
    t.column("zz");
    FAIL();
  } catch (const NotFound& error) {
    EXPECT_NE(std::string(error.what()).find("available: a, b"), std::string::npos);
  }
  const std::vector<std::size_t> rows = {2, 0};
  const Table picked = t.selectRows(rows);
  EXPECT_EQ(picked.rowCount(), 2u);
  EXPECT_EQ(picked.column("b").textAt(0), "z");
  EXPECT_DOUBLE_EQ(picked.column("a").numbers()[1], 1.0);
  const Table only = t.selectColumns({"b"});
  EXPECT_EQ(only.columnNames(), (std::vector<std::string>{"b"}));
}

}  // namespace
}  // namespace geih::table
