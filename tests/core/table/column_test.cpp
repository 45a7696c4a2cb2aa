#include <gtest/gtest.h>

#include <cmath>

#include "core/common/error.h"
#include "core/table/table.h"

namespace geih::table {
namespace {

TEST(ColumnTest, TypedAccessMissingAndText) {
  const Column n = Column::numeric("n", {1.5, std::nan("")});
  EXPECT_EQ(n.size(), 2u);
  EXPECT_EQ(n.missingCount(), 1u);
  EXPECT_EQ(n.textAt(0), "1.5");
  EXPECT_EQ(n.textAt(1), "");
  EXPECT_THROW(n.codes(), InputError);
  EXPECT_THROW(n.booleans(), InputError);
  const Column c = Column::categoricalFromStrings("c", {"b", "a", "b"});
  EXPECT_EQ(c.dictionary(), (std::vector<std::string>{"b", "a"}));
  EXPECT_DOUBLE_EQ(c.numberAt(1), 1.0);
  EXPECT_THROW(c.numbers(), InputError);
  EXPECT_THROW(Column::categorical("bad", {0, 3}, {"x"}), InputError);
  EXPECT_THROW(Column::categorical("bad", {-2}, {"x"}), InputError);
  EXPECT_THROW(Column::boolean("bad", {2}), InputError);
  const Column b = Column::boolean("b", {1, kMissingBool});
  EXPECT_EQ(b.textAt(0), "true");
  EXPECT_DOUBLE_EQ(b.numberAt(0), 1.0);
  EXPECT_TRUE(std::isnan(b.numberAt(1)));
  EXPECT_TRUE(b.isMissing(1));
}

TEST(ColumnTest, CategoricalFromStringsMarksMissingAndKeepsFirstSeenOrder) {
  const Column c =
      Column::categoricalFromStrings("c", {"z", "", "a", "z"}, {false, true, false, false});
  EXPECT_EQ(c.dictionary(), (std::vector<std::string>{"z", "a"}));
  EXPECT_EQ(std::vector<std::int32_t>(c.codes().begin(), c.codes().end()),
            (std::vector<std::int32_t>{0, kMissingCode, 1, 0}));
  EXPECT_EQ(c.missingCount(), 1u);
  EXPECT_TRUE(std::isnan(c.numberAt(1)));
  EXPECT_EQ(c.textAt(1), "");
}

TEST(ColumnTest, SelectKeepsTheDictionaryAndRenamedKeepsValues) {
  const Column c = Column::categorical("c", {0, 1, 2, kMissingCode}, {"x", "y", "z"});
  const std::vector<std::size_t> rows = {3, 1, 1};
  const Column picked = c.select(rows);
  EXPECT_EQ(picked.dictionary(), c.dictionary());
  EXPECT_EQ(std::vector<std::int32_t>(picked.codes().begin(), picked.codes().end()),
            (std::vector<std::int32_t>{kMissingCode, 1, 1}));
  const Column renamed = c.renamed("d");
  EXPECT_EQ(renamed.name(), "d");
  EXPECT_EQ(renamed.textAt(2), "z");
  EXPECT_EQ(c.name(), "c");
}

TEST(ColumnTest, TypeNamesRoundTrip) {
  for (ColumnType type : {ColumnType::Numeric, ColumnType::Categorical, ColumnType::Boolean}) {
    EXPECT_EQ(columnTypeFromName(columnTypeName(type)), type);
  }
  EXPECT_THROW(columnTypeFromName("text"), InputError);
}

TEST(TableTest, AddSelectAndErrorsNameTheColumn) {
  Table t;
  EXPECT_EQ(t.rowCount(), 0u);
  t.addColumn(Column::numeric("a", {1, 2, 3}));
  t.addColumn(Column::categoricalFromStrings("b", {"x", "y", "z"}));
  EXPECT_THROW(t.addColumn(Column::numeric("a", {1, 2, 3})), InputError);
  EXPECT_THROW(t.addColumn(Column::numeric("c", {1, 2})), InputError);
  try {
    t.column("zz");
    FAIL();
  } catch (const NotFound& error) {
    EXPECT_NE(std::string(error.what()).find("unknown column 'zz' (available: a, b)"),
              std::string::npos);
  }
  EXPECT_EQ(t.indexOf("b"), 1u);
  EXPECT_FALSE(t.indexOf("zz").has_value());
  const std::vector<std::size_t> rows = {2, 0};
  const Table picked = t.selectRows(rows);
  EXPECT_EQ(picked.rowCount(), 2u);
  EXPECT_EQ(picked.column("b").textAt(0), "z");
  EXPECT_DOUBLE_EQ(picked.column("a").numbers()[1], 1.0);
  const Table only = t.selectColumns({"b"});
  EXPECT_EQ(only.columnNames(), (std::vector<std::string>{"b"}));
  EXPECT_THROW(t.selectColumns({"b", "nope"}), NotFound);
}

}  // namespace
}  // namespace geih::table
