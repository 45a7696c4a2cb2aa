#include "core/table/csv_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "core/table/csv_reader.h"

namespace geih::table {
namespace {

TEST(CsvWriterTest, QuotesOnlyWhenNeededAndWritesMissingAsEmpty) {
  Table t;
  t.addColumn(Column::numeric("x", {1.5, std::nan("")}));
  t.addColumn(Column::categoricalFromStrings("s", {"a,b", "say \"hi\""}));
  EXPECT_EQ(toCsv(t), "x,s\n1.5,\"a,b\"\n,\"say \"\"hi\"\"\"\n");
}

TEST(CsvWriterTest, RoundTripKeepsEveryDoubleBitForBitAndAllTypes) {
  Table t;
  t.addColumn(Column::numeric("v", {0.1, 1.0 / 3.0, -2.5e-300, 123456789.123456789, 1e300}));
  t.addColumn(Column::categoricalFromStrings("c", {"x", "line\nbreak", "x", "z", "y"},
                                             {false, false, true, false, false}));
  t.addColumn(Column::boolean("b", {1, 0, kMissingBool, 1, 0}));
  const auto path = std::filesystem::temp_directory_path() / "geih_csv_writer_test.csv";
  writeCsv(t, path);
  const Table back = readCsv(path).table;
  std::filesystem::remove(path);
  ASSERT_EQ(back.rowCount(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(back.column("v").numbers()[i], t.column("v").numbers()[i]);
    EXPECT_EQ(back.column("c").textAt(i), t.column("c").textAt(i));
    EXPECT_EQ(back.column("b").isMissing(i), t.column("b").isMissing(i));
  }
  EXPECT_EQ(back.column("b").type(), ColumnType::Boolean);
  EXPECT_TRUE(back.column("c").isMissing(2));
}

}  // namespace
}  // namespace geih::table
