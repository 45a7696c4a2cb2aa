#include "core/table/csv_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/common/error.h"
#include "core/table/csv_writer.h"

namespace geih::table {
namespace {

CsvReadResult parse(std::string_view text, CsvOptions options = {}) {
  return parseCsv(text, "t.csv", options);
}

std::string errorOf(std::string_view text, CsvOptions options = {}) {
  try {
    parse(text, options);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

TEST(CsvReaderTest, InfersNumericCategoricalAndBooleanColumns) {
  const auto result = parse("a,b,c\n1,x,true\n2.5,y,FALSE\n-3e2,x,True\n");
  const Table& t = result.table;
  ASSERT_EQ(t.rowCount(), 3u);
  EXPECT_EQ(t.column("a").type(), ColumnType::Numeric);
  EXPECT_EQ(t.column("b").type(), ColumnType::Categorical);
  EXPECT_EQ(t.column("c").type(), ColumnType::Boolean);
  EXPECT_DOUBLE_EQ(t.column("a").numbers()[2], -300.0);
  EXPECT_EQ(t.column("b").dictionary(), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(t.column("b").codes()[2], 0);
  EXPECT_EQ(
      std::vector<std::int8_t>(t.column("c").booleans().begin(), t.column("c").booleans().end()),
      (std::vector<std::int8_t>{1, 0, 1}));
  EXPECT_TRUE(result.warnings.empty());
}

TEST(CsvReaderTest, QuotesCommasDoubledQuotesAndEmbeddedNewlines) {
  const auto t = parse("name,note\n\"Smith, J\",\"said \"\"hi\"\"\"\n\"two\nlines\",plain\n").table;
  ASSERT_EQ(t.rowCount(), 2u);
  EXPECT_EQ(t.column("name").textAt(0), "Smith, J");
  EXPECT_EQ(t.column("note").textAt(0), "said \"hi\"");
  EXPECT_EQ(t.column("name").textAt(1), "two\nlines");
  EXPECT_EQ(t.column("note").textAt(1), "plain");
}

TEST(CsvReaderTest, CrlfBomAndNoTrailingNewline) {
  const auto t = parse("\xEF\xBB\xBFx,y\r\n1,2\r\n3,4").table;
  EXPECT_EQ(t.columnNames(), (std::vector<std::string>{"x", "y"}));
  ASSERT_EQ(t.rowCount(), 2u);
  EXPECT_DOUBLE_EQ(t.column("y").numbers()[0], 2.0);
  EXPECT_DOUBLE_EQ(t.column("y").numbers()[1], 4.0);
}

TEST(CsvReaderTest, MissingTokensBecomeMissingInEveryType) {
  const auto t = parse("n,c,b\nNA,x,true\n1,,NA\n,N/A,false\n2,null,\n").table;
  EXPECT_EQ(t.column("n").type(), ColumnType::Numeric);
  EXPECT_TRUE(std::isnan(t.column("n").numbers()[0]));
  EXPECT_TRUE(std::isnan(t.column("n").numbers()[2]));
  EXPECT_EQ(t.column("n").missingCount(), 2u);
  EXPECT_EQ(t.column("c").type(), ColumnType::Categorical);
  EXPECT_EQ(t.column("c").missingCount(), 3u);
  EXPECT_EQ(t.column("b").type(), ColumnType::Boolean);
  EXPECT_EQ(t.column("b").missingCount(), 2u);
}

TEST(CsvReaderTest, ForcedCategoricalKeepsNumberLikeText) {
  CsvOptions options;
  options.categoricalColumns = {"zip"};
  const auto t = parse("zip,v\n01234,1\n98765,2\n", options).table;
  EXPECT_EQ(t.column("zip").type(), ColumnType::Categorical);
  EXPECT_EQ(t.column("zip").textAt(0), "01234");
  CsvOptions unknown;
  unknown.categoricalColumns = {"zz"};
  EXPECT_NE(errorOf("a\n1\n", unknown).find("zz"), std::string::npos);
}

TEST(CsvReaderTest, BadRowIsSkippedWithItsLineNumber) {
  const auto result = parse("a,b\n1,2\n\"x\ny\",3,4\n5,6\n");
  ASSERT_EQ(result.table.rowCount(), 2u);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0].line, 3u);  // the bad record starts on line 3
  EXPECT_EQ(result.warnings[0].file, "t.csv");
  EXPECT_NE(result.warnings[0].message.find("expected 2 fields, found 3"), std::string::npos);
  EXPECT_DOUBLE_EQ(result.table.column("b").numbers()[1], 6.0);
}

TEST(CsvReaderTest, StrictModeAndFatalErrorsNameFileAndLine) {
  CsvOptions strict;
  strict.strict = true;
  EXPECT_NE(errorOf("a,b\n1,2\n3\n", strict).find("t.csv:3"), std::string::npos);
  EXPECT_NE(errorOf("a,b\n1,2\n3,\"4\n5,6\n").find("t.csv:3"), std::string::npos);
  EXPECT_NE(errorOf("a,b\n1,2\n3,\"4\n5,6\n").find("unterminated"), std::string::npos);
  EXPECT_NE(errorOf("a,a\n1,2\n").find("duplicate column name 'a'"), std::string::npos);
  EXPECT_NE(errorOf("a,,c\n1,2,3\n").find("header field 2 is empty"), std::string::npos);
  EXPECT_NE(errorOf("").find("empty"), std::string::npos);
  EXPECT_NE(errorOf("\n\n").find("empty"), std::string::npos);
  EXPECT_NE(errorOf("a,b\n\"1\"x,2\n").find("t.csv:2"), std::string::npos);
  CsvOptions few;
  few.maxBadRows = 1;
  EXPECT_NE(errorOf("a,b\n1\n2\n3,4\n", few).find("wrong number of fields"), std::string::npos);
}

TEST(CsvReaderTest, HeaderOnlyGivesEmptyNumericColumns) {
  for (const char* text : {"a,b\n", "a,b", "a,b\r\n"}) {
    const auto t = parse(text).table;
    ASSERT_EQ(t.columnCount(), 2u) << text;
    EXPECT_EQ(t.rowCount(), 0u);
    EXPECT_EQ(t.column("b").type(), ColumnType::Numeric);
  }
}

TEST(CsvReaderTest, MalformedHeaderIsAnInputErrorWithItsLine) {
  EXPECT_NE(errorOf("a,\"b\n1,2\n").find("t.csv:1: unterminated"), std::string::npos);
  EXPECT_NE(errorOf("\n\na,\"b\"x\n1,2\n").find("t.csv:3:"), std::string::npos);
}

TEST(CsvReaderTest, SpacesAroundUnquotedFieldsAreTrimmed) {
  const auto t = parse("  a , b ,c\n 1 , x ,\" y \"\n2,x , y\n").table;
  EXPECT_EQ(t.columnNames(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(t.column("a").type(), ColumnType::Numeric);
  EXPECT_DOUBLE_EQ(t.column("a").numbers()[0], 1.0);
  EXPECT_EQ(t.column("b").dictionary(), (std::vector<std::string>{"x"}));
  EXPECT_EQ(t.column("c").textAt(0), " y ");  // quoted: kept as written
  EXPECT_EQ(t.column("c").textAt(1), "y");
}

TEST(CsvReaderTest, NumberSyntax) {
  const auto t = parse("a\n1\n+2.5\n-3e-2\n.5\n7.\ninf\n-inf\n").table;
  ASSERT_EQ(t.column("a").type(), ColumnType::Numeric);
  const std::vector<double> expected = {1, 2.5, -0.03, 0.5, 7, INFINITY, -INFINITY};
  const auto values = t.column("a").numbers();
  EXPECT_EQ(std::vector<double>(values.begin(), values.end()), expected);
  for (const char* text :
       {"a\n1\n+-1\n", "a\n1\n0x10\n", "a\n1\n1e\n", "a\n1\n1.5.2\n", "a\n1\n1 2\n"}) {
    EXPECT_EQ(parse(text).table.column("a").type(), ColumnType::Categorical) << text;
  }
  EXPECT_EQ(parse("a\n1\n+-1\n").table.column("a").textAt(1), "+-1");
}

TEST(CsvReaderTest, NumericMissingTokenIsMissingNotANumber) {
  CsvOptions options;
  options.missingTokens = {"", "-999"};
  const auto t = parse("a,b\n1,-999\n-999,2\n3,4\n", options).table;
  EXPECT_EQ(t.column("a").type(), ColumnType::Numeric);
  EXPECT_TRUE(std::isnan(t.column("a").numbers()[1]));
  EXPECT_TRUE(std::isnan(t.column("b").numbers()[0]));
  EXPECT_DOUBLE_EQ(t.column("b").numbers()[2], 4.0);
  // "NA" is not a missing token here, so the column is text.
  EXPECT_EQ(parse("a\n1\nNA\n", options).table.column("a").type(), ColumnType::Categorical);
}

TEST(CsvReaderTest, QuotedMissingTokensAreMissingInBothPasses) {
  const auto t = parse("n,c\n\"NA\",x\n2,\"NA\"\n\"\",\"\"\n").table;
  EXPECT_EQ(t.column("n").type(), ColumnType::Numeric);
  EXPECT_EQ(t.column("n").missingCount(), 2u);
  EXPECT_EQ(t.column("c").type(), ColumnType::Categorical);
  EXPECT_EQ(t.column("c").missingCount(), 2u);
  EXPECT_EQ(t.column("c").dictionary(), (std::vector<std::string>{"x"}));
}

TEST(CsvReaderTest, BlankLinesAreSkippedButCountForLineNumbers) {
  const auto result = parse("\n  \na\n1\n\n\r\n3\n\nx,y\n");
  ASSERT_EQ(result.table.rowCount(), 2u);
  EXPECT_DOUBLE_EQ(result.table.column("a").numbers()[1], 3.0);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0].line, 9u);
  // One text column: a blank line is not an empty value.
  const auto text = parse("s\nx\n\ny\n").table;
  EXPECT_EQ(text.rowCount(), 2u);
  EXPECT_EQ(text.column("s").textAt(1), "y");
}

TEST(CsvReaderTest, OtherDelimitersAndClassicMacLineEnds) {
  CsvOptions tabs;
  tabs.delimiter = '\t';
  const auto t = parse("a\tb\n1,5\t2\n", tabs).table;
  EXPECT_EQ(t.column("a").textAt(0), "1,5");
  EXPECT_DOUBLE_EQ(t.column("b").numbers()[0], 2.0);
  const auto mac = parse("a,b\r1,2\r3,4\r").table;
  ASSERT_EQ(mac.rowCount(), 2u);
  EXPECT_DOUBLE_EQ(mac.column("b").numbers()[1], 4.0);
}

TEST(CsvReaderTest, ReadsAFileFromDisk) {
  const auto path = std::filesystem::temp_directory_path() / "geih_csv_reader_test.csv";
  {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    ASSERT_NE(file, nullptr);
    std::fputs("id,kind\n1,a\n2,b\n", file);
    std::fclose(file);
  }
  const auto result = readCsv(path);
  std::filesystem::remove(path);
  EXPECT_EQ(result.table.rowCount(), 2u);
  EXPECT_EQ(result.table.column("kind").textAt(1), "b");
}

TEST(CsvReaderTest, ParallelParseEqualsSequentialParse) {
  // ~3 MB of numbers and one categorical column: large enough to be split into chunks.
  std::string text = "id,value,label,group\n";
  for (int i = 0; i < 120000; ++i) {
    text += std::to_string(i) + "," + std::to_string(i * 0.001 - 7.25) + "," +
            std::to_string(i % 3 == 0) + "," + (i % 5 == 0 ? "g" + std::to_string(i % 7) : "") +
            "\n";
  }
  text += "1,2\n";  // one bad row at the very end
  CsvOptions one;
  one.threads = 1;
  CsvOptions many;
  many.threads = 4;
  const auto a = parse(text, one);
  const auto b = parse(text, many);
  ASSERT_EQ(a.table.rowCount(), 120000u);
  ASSERT_EQ(b.table.rowCount(), 120000u);
  for (const std::string name : {"id", "value", "label"}) {
    const auto x = a.table.column(name).numbers();
    const auto y = b.table.column(name).numbers();
    ASSERT_TRUE(std::equal(x.begin(), x.end(), y.begin())) << name;
  }
  for (std::size_t row = 0; row < 120000; row += 997) {
    EXPECT_EQ(a.table.column("group").textAt(row), b.table.column("group").textAt(row));
  }
  ASSERT_EQ(a.warnings.size(), 1u);
  ASSERT_EQ(b.warnings.size(), 1u);
  EXPECT_EQ(a.warnings[0].line, 120002u);
  EXPECT_EQ(b.warnings[0].line, 120002u);
}

TEST(CsvReaderTest, ParallelParseOfMixedTextWithBadRowsEqualsSequentialParse) {
  // Bad rows, blank lines, missing values and a column that turns to text deep into the file,
  // spread over every chunk: line numbers and values must not depend on the thread count.
  std::string text = "x,cover,y,late\n";
  std::vector<std::size_t> badLines;
  std::size_t line = 1;
  for (int i = 0; i < 150000; ++i) {
    ++line;
    if (i % 9973 == 5) {
      text += "1,2\n";
      badLines.push_back(line);
      continue;
    }
    if (i % 7919 == 3) {
      text += "\n";
      continue;
    }
    text += std::to_string(i * 0.25) + "," + (i % 4 ? "forest" : "urban") + "," +
            (i % 11 == 0 ? std::string("NA") : std::to_string(-i)) + "," +
            (i == 140000 ? std::string("text") : std::to_string(i % 5)) + "\n";
  }
  CsvOptions one;
  one.threads = 1;
  CsvOptions many;
  many.threads = 3;
  const auto a = parse(text, one);
  const auto b = parse(text, many);
  ASSERT_EQ(a.warnings.size(), badLines.size());
  ASSERT_EQ(b.warnings.size(), badLines.size());
  for (std::size_t k = 0; k < badLines.size(); ++k) {
    EXPECT_EQ(a.warnings[k].line, badLines[k]);
    EXPECT_EQ(b.warnings[k].line, badLines[k]);
  }
  ASSERT_EQ(a.table.rowCount(), b.table.rowCount());
  EXPECT_EQ(a.table.column("late").type(), ColumnType::Categorical);
  EXPECT_EQ(b.table.column("late").type(), ColumnType::Categorical);
  EXPECT_EQ(a.table.column("y").type(), ColumnType::Numeric);
  for (std::size_t c = 0; c < a.table.columnCount(); ++c) {
    for (std::size_t row = 0; row < a.table.rowCount(); ++row) {
      ASSERT_EQ(a.table.column(c).textAt(row), b.table.column(c).textAt(row)) << c << " " << row;
    }
  }
  EXPECT_DOUBLE_EQ(a.table.column("x").numbers()[0], 0.0);
  EXPECT_EQ(a.table.column("y").missingCount(), b.table.column("y").missingCount());
}

TEST(CsvReaderTest, MissingFileAndFolderAreInputErrorsNamingThePath) {
  try {
    readCsv("/nonexistent/geih/data.csv");
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/geih/data.csv"), std::string::npos);
  }
  EXPECT_THROW(readCsv(std::filesystem::temp_directory_path()), InputError);
}

}  // namespace
}  // namespace geih::table
