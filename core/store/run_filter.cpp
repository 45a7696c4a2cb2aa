// The run filter language (see run_filter.h): a lexer with columns, a recursive-descent parser
// that writes SQL as it goes, and the ORDER BY compiler sharing the key syntax.
#include "core/store/run_filter.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <optional>

#include "core/common/error.h"

namespace geih::store {
namespace {

enum class TokenKind { Key, Number, String, LeftParen, RightParen, Comma, Operator, End };

struct Token {
  TokenKind kind = TokenKind::End;
  std::string text;        // as written (Key: with backticks removed; String: unescaped)
  std::size_t column = 1;  // 1-based
  std::size_t length = 0;  // in the source text
  double number = 0;
  bool keyWasQuoted = false;
};

constexpr std::size_t kMaxDepth = 100;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool isKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::End:
      return "end of input";
    case TokenKind::String:
      return "'" + token.text + "'";
    default:
      return "'" + token.text + "'";
  }
}

class Lexer {
 public:
  Lexer(std::string_view text, std::string_view what) : m_text(text), m_what(what) {}

  [[noreturn]] void fail(const std::string& message, std::size_t column) const {
    std::string shown(m_text);
    for (char& c : shown) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    throw InputError(std::string(m_what) + ": " + message + " at column " + std::to_string(column) +
                     "\n  " + shown + "\n  " + std::string(column - 1, ' ') + "^");
  }

  std::vector<Token> tokens() {
    std::vector<Token> out;
    std::size_t i = 0;
    const std::size_t n = m_text.size();
    while (true) {
      while (i < n && std::isspace(static_cast<unsigned char>(m_text[i]))) ++i;
      Token token;
      token.column = i + 1;
      if (i >= n) {
        out.push_back(token);
        return out;
      }
      const char c = m_text[i];
      const std::size_t start = i;
      if (c == '(' || c == ')' || c == ',') {
        token.kind = c == '('   ? TokenKind::LeftParen
                     : c == ')' ? TokenKind::RightParen
                                : TokenKind::Comma;
        token.text = std::string(1, c);
        ++i;
      } else if (c == '=' || c == '!' || c == '<' || c == '>') {
        token.kind = TokenKind::Operator;
        const std::string two(m_text.substr(i, 2));
        if (two == "<=" || two == ">=" || two == "!=" || two == "==" || two == "<>") {
          token.text = two == "==" ? "=" : two == "<>" ? "!=" : two;
          i += 2;
        } else if (c == '!') {
          fail("'!' must be followed by '=' (use NOT to negate)", token.column);
        } else {
          token.text = std::string(1, c);
          ++i;
        }
      } else if (c == '\'' || c == '"') {
        token.kind = TokenKind::String;
        ++i;
        bool closed = false;
        while (i < n) {
          if (m_text[i] == c) {
            if (i + 1 < n && m_text[i + 1] == c) {
              token.text += c;
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          token.text += m_text[i++];
        }
        if (!closed)
          fail("unterminated string (close it with " + std::string(1, c) + ")", token.column);
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 ((c == '-' || c == '+' || c == '.') && i + 1 < n &&
                  (std::isdigit(static_cast<unsigned char>(m_text[i + 1])) ||
                   m_text[i + 1] == '.'))) {
        token.kind = TokenKind::Number;
        std::size_t j = i;
        if (m_text[j] == '-' || m_text[j] == '+') ++j;
        while (j < n && (std::isalnum(static_cast<unsigned char>(m_text[j])) || m_text[j] == '.' ||
                         m_text[j] == '_' ||
                         ((m_text[j] == '-' || m_text[j] == '+') &&
                          (m_text[j - 1] == 'e' || m_text[j - 1] == 'E')))) {
          ++j;
        }
        token.text = std::string(m_text.substr(i, j - i));
        errno = 0;
        char* end = nullptr;
        token.number = std::strtod(token.text.c_str(), &end);
        if (end != token.text.c_str() + token.text.size() || errno == ERANGE ||
            token.text.find_first_of("xXnN") != std::string::npos) {
          fail("'" + token.text + "' is not a number", token.column);
        }
        i = j;
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '`') {
        token.kind = TokenKind::Key;
        while (i < n && (isKeyChar(m_text[i]) || m_text[i] == '`')) {
          if (m_text[i] == '`') {
            const std::size_t open = i;
            const std::size_t close = m_text.find('`', i + 1);
            if (close == std::string_view::npos) fail("unterminated `quoted` name", open + 1);
            token.text += std::string(m_text.substr(i + 1, close - i - 1));
            token.keyWasQuoted = true;
            i = close + 1;
          } else {
            token.text += m_text[i++];
          }
        }
      } else {
        fail("unexpected character '" + std::string(1, c) + "'", token.column);
      }
      token.length = i - start;
      out.push_back(std::move(token));
    }
  }

 private:
  std::string_view m_text;
  std::string_view m_what;
};

enum class KeyKind { Metric, Param, Tag, Attribute, Dataset };
enum class ValueType { Number, Text };

struct Key {
  KeyKind kind = KeyKind::Metric;
  std::string name;    // metric/param/tag key
  std::string column;  // attributes and datasets: the SQL column
  ValueType type = ValueType::Number;
  bool isStatus = false;
};

constexpr const char* kValidPrefixes = "metrics., params., tags., attributes., datasets.";
constexpr const char* kValidAttributes =
    "status, name, run_id, start_time, end_time, duration, experiment_id, parent_run_id, note, lifecycle_stage";

Key parseKey(const Lexer& lexer, const Token& token) {
  if (token.kind != TokenKind::Key) {
    lexer.fail(
        "expected a key like metrics.NAME, params.NAME, tags.NAME, attributes.NAME or "
        "datasets.name, found " +
            describe(token),
        token.column);
  }
  const std::size_t dot = token.text.find('.');
  if (dot == std::string::npos) {
    lexer.fail("'" + token.text + "' is not a key; keys start with one of " + kValidPrefixes,
               token.column);
  }
  const std::string prefix = lower(token.text.substr(0, dot));
  const std::string name = token.text.substr(dot + 1);
  if (name.empty()) lexer.fail("'" + token.text + "' names no key after the '.'", token.column);
  Key key;
  key.name = name;
  if (prefix == "metrics" || prefix == "metric") {
    key.kind = KeyKind::Metric;
  } else if (prefix == "params" || prefix == "param") {
    key.kind = KeyKind::Param;
    key.type = ValueType::Text;
  } else if (prefix == "tags" || prefix == "tag") {
    key.kind = KeyKind::Tag;
    key.type = ValueType::Text;
  } else if (prefix == "attributes" || prefix == "attribute" || prefix == "attr" ||
             prefix == "run") {
    key.kind = KeyKind::Attribute;
    const std::string attribute = lower(name);
    if (attribute == "status") {
      key.column = "runs.status";
      key.type = ValueType::Text;
      key.isStatus = true;
    } else if (attribute == "name" || attribute == "run_name") {
      key.column = "runs.name";
      key.type = ValueType::Text;
    } else if (attribute == "run_id" || attribute == "id") {
      key.column = "runs.id";
      key.type = ValueType::Text;
    } else if (attribute == "start_time") {
      key.column = "runs.start_ms";
    } else if (attribute == "end_time") {
      key.column = "runs.end_ms";
    } else if (attribute == "duration") {
      key.column = "(runs.end_ms - runs.start_ms)";  // NULL while running, so sorted last
    } else if (attribute == "experiment_id") {
      key.column = "runs.experiment_id";
    } else if (attribute == "parent_run_id") {
      key.column = "runs.parent_run_id";
      key.type = ValueType::Text;
    } else if (attribute == "note") {
      key.column = "runs.note";
      key.type = ValueType::Text;
    } else if (attribute == "lifecycle_stage") {
      key.column = "(CASE WHEN runs.deleted_ms IS NULL THEN 'active' ELSE 'deleted' END)";
      key.type = ValueType::Text;
    } else {
      lexer.fail("unknown attribute '" + name + "' (valid: " + kValidAttributes + ")",
                 token.column);
    }
  } else if (prefix == "datasets" || prefix == "dataset") {
    key.kind = KeyKind::Dataset;
    key.type = ValueType::Text;
    const std::string field = lower(name);
    if (field == "name") {
      key.column = "d.name";
    } else if (field == "sha256" || field == "digest") {
      key.column = "d.sha256";
    } else if (field == "role" || field == "context") {
      key.column = "rd.role";
    } else {
      lexer.fail("unknown dataset field '" + name + "' (valid: name, sha256, role)", token.column);
    }
  } else {
    lexer.fail(
        "unknown key prefix '" + token.text.substr(0, dot) + "' (valid: " + kValidPrefixes + ")",
        token.column);
  }
  return key;
}

bool isKeyword(const Token& token, std::string_view word) {
  return token.kind == TokenKind::Key && !token.keyWasQuoted && lower(token.text) == word;
}

// LIKE pattern -> GLOB pattern, so that LIKE is case-sensitive as in MLflow.
std::string likeToGlob(const std::string& pattern) {
  std::string glob;
  for (char c : pattern) {
    switch (c) {
      case '%':
        glob += '*';
        break;
      case '_':
        glob += '?';
        break;
      case '*':
        glob += "[*]";
        break;
      case '?':
        glob += "[?]";
        break;
      case '[':
        glob += "[[]";
        break;
      default:
        glob += c;
    }
  }
  return glob;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : m_lexer(text, "filter"), m_tokens(m_lexer.tokens()) {}

  FilterTree parse() {
    if (peek().kind == TokenKind::End) return std::move(m_tree);
    expression(0);
    if (peek().kind == TokenKind::RightParen) {
      m_lexer.fail("unbalanced ')' (no matching '(')", peek().column);
    }
    if (peek().kind != TokenKind::End) {
      m_lexer.fail("unexpected " + describe(peek()) +
                       " after a complete filter (join conditions "
                       "with AND or OR)",
                   peek().column);
    }
    return std::move(m_tree);
  }

 private:
  const Token& peek() const { return m_tokens[m_position]; }
  const Token& next() {
    return m_tokens[m_position < m_tokens.size() - 1 ? m_position++ : m_position];
  }

  std::size_t add(FilterNode node) {
    m_tree.nodes.push_back(std::move(node));
    return m_tree.nodes.size() - 1;
  }

  // `first` joined with the following operands of the same keyword into one node.
  template <typename Operand>
  std::size_t chain(std::size_t first, std::string_view keyword, FilterNode::Kind kind,
                    Operand operand) {
    if (!isKeyword(peek(), keyword)) return first;
    FilterNode node;
    node.kind = kind;
    node.children.push_back(first);
    while (isKeyword(peek(), keyword)) {
      next();
      node.children.push_back(operand());
    }
    return add(std::move(node));
  }

  std::size_t expression(std::size_t depth) {
    return chain(term(depth), "or", FilterNode::Kind::Or, [&] { return term(depth); });
  }

  std::size_t term(std::size_t depth) {
    return chain(factor(depth), "and", FilterNode::Kind::And, [&] { return factor(depth); });
  }

  std::size_t factor(std::size_t depth) {
    if (depth > kMaxDepth) m_lexer.fail("the filter is nested too deeply", peek().column);
    if (isKeyword(peek(), "not")) {
      next();
      FilterNode node;
      node.kind = FilterNode::Kind::Not;
      node.children.push_back(factor(depth + 1));
      return add(std::move(node));
    }
    if (peek().kind == TokenKind::LeftParen) {
      const Token open = next();
      if (peek().kind == TokenKind::RightParen) m_lexer.fail("empty parentheses", peek().column);
      const std::size_t inner = expression(depth + 1);
      if (peek().kind != TokenKind::RightParen) {
        m_lexer.fail("expected ')' to close the '(' at column " + std::to_string(open.column) +
                         ", found " + describe(peek()),
                     peek().column);
      }
      next();
      return inner;
    }
    FilterNode node;
    node.kind = FilterNode::Kind::Condition;
    node.condition = m_tree.conditions.size();
    m_tree.conditions.push_back(comparison());
    return add(std::move(node));
  }

  // One value of the type `key` compares to, appended to `parameters`.
  void value(const Key& key, const Token& after, bool forLike, std::vector<SqlValue>& parameters) {
    const Token& token = peek();
    if (token.kind == TokenKind::Key && key.type == ValueType::Text && !isKeyword(token, "and") &&
        !isKeyword(token, "or") && !isKeyword(token, "not")) {
      m_lexer.fail("values are quoted strings; write '" + token.text + "'", token.column);
    }
    if (token.kind == TokenKind::End || token.kind == TokenKind::RightParen ||
        token.kind == TokenKind::Comma || token.kind == TokenKind::Key ||
        token.kind == TokenKind::Operator || token.kind == TokenKind::LeftParen) {
      m_lexer.fail(
          "expected a value after '" + after.text + "'" +
              (token.kind == TokenKind::End ? std::string() : ", found " + describe(token)),
          token.column);
    }
    if (key.type == ValueType::Number) {
      if (token.kind != TokenKind::Number) {
        m_lexer.fail("this key compares to numbers, not the string " + describe(token),
                     token.column);
      }
      parameters.emplace_back(token.number);
    } else {
      if (token.kind != TokenKind::String) {
        m_lexer.fail("this key compares to quoted strings; write '" + token.text + "'",
                     token.column);
      }
      std::string text = key.isStatus && !forLike ? upper(token.text) : token.text;
      parameters.emplace_back(std::move(text));
    }
    next();
  }

  FilterCondition comparison() {
    const Token keyToken = next();
    const Key key = parseKey(m_lexer, keyToken);
    const Token opToken = next();
    std::string op;
    if (opToken.kind == TokenKind::Operator) {
      op = opToken.text;
    } else if (isKeyword(opToken, "like") || isKeyword(opToken, "ilike") ||
               isKeyword(opToken, "in")) {
      op = upper(opToken.text);
    } else if (isKeyword(opToken, "not") && (isKeyword(peek(), "in") || isKeyword(peek(), "like") ||
                                             isKeyword(peek(), "ilike"))) {
      op = "NOT " + upper(next().text);
    } else {
      m_lexer.fail("expected an operator (= != < <= > >= LIKE ILIKE IN NOT IN) after '" +
                       keyToken.text + "', found " + describe(opToken),
                   opToken.column);
    }
    const bool isLike = op.find("LIKE") != std::string::npos;
    const bool isIn = op.find("IN") != std::string::npos && !isLike;
    const bool isOrdering = op == "<" || op == "<=" || op == ">" || op == ">=";
    if (key.type == ValueType::Number && isLike) {
      m_lexer.fail(op + " compares strings; '" + keyToken.text + "' is a number", opToken.column);
    }
    if (key.type == ValueType::Text && isOrdering) {
      m_lexer.fail("'" + op + "' compares numbers; '" + keyToken.text +
                       "' is a string (use = != LIKE ILIKE IN)",
                   opToken.column);
    }

    // The key's parameter (metrics/params/tags) goes first: it appears first in the SQL.
    FilterCondition out;
    std::string subject;
    switch (key.kind) {
      case KeyKind::Metric:
      case KeyKind::Param:
      case KeyKind::Tag: {
        const char* table = key.kind == KeyKind::Metric  ? "latest_metrics"
                            : key.kind == KeyKind::Param ? "params"
                                                         : "tags";
        const std::string alias = key.kind == KeyKind::Metric  ? "m"
                                  : key.kind == KeyKind::Param ? "p"
                                                               : "t";
        out.source = FilterCondition::Source::Values;
        out.from = std::string(table) + " " + alias;
        out.runIdColumn = alias + ".run_id";
        out.condition = alias + ".key = ? AND ";
        subject = alias + ".value";
        out.parameters.emplace_back(key.name);
        break;
      }
      case KeyKind::Attribute:
        out.source = FilterCondition::Source::Runs;
        subject = key.column;
        break;
      case KeyKind::Dataset:
        out.source = FilterCondition::Source::Values;
        out.from = "run_datasets rd JOIN datasets d ON d.id = rd.dataset_id";
        out.runIdColumn = "rd.run_id";
        subject = key.column;
        break;
    }

    if (isIn) {
      if (peek().kind != TokenKind::LeftParen) {
        m_lexer.fail(
            "expected '(' and a list of values after " + op + ", found " + describe(peek()),
            peek().column);
      }
      const Token open = next();
      if (peek().kind == TokenKind::RightParen) {
        m_lexer.fail("empty " + op + " list; give at least one value", peek().column);
      }
      std::string list;
      while (true) {
        value(key, list.empty() ? open : m_tokens[m_position - 1], false, out.parameters);
        list += list.empty() ? "?" : ", ?";
        if (peek().kind == TokenKind::Comma) {
          next();
          continue;
        }
        if (peek().kind == TokenKind::RightParen) {
          next();
          break;
        }
        m_lexer.fail("expected ',' or ')' in the " + op + " list, found " + describe(peek()),
                     peek().column);
      }
      out.condition += subject + " " + op + " (" + list + ")";
    } else if (isLike) {
      const bool negated = op.rfind("NOT ", 0) == 0;
      const bool caseSensitive = op.find("ILIKE") == std::string::npos;
      const std::size_t at = out.parameters.size();
      value(key, opToken, true, out.parameters);
      if (caseSensitive) {
        auto& pattern = std::get<std::string>(out.parameters[at]);
        pattern = likeToGlob(pattern);
      }
      out.condition += subject + (negated ? " NOT" : "") + (caseSensitive ? " GLOB ?" : " LIKE ?");
    } else {
      value(key, opToken, false, out.parameters);
      out.condition += subject + " " + op + " ?";
    }
    return out;
  }

  Lexer m_lexer;
  std::vector<Token> m_tokens;
  std::size_t m_position = 0;
  FilterTree m_tree;
};

// The node as one SQL condition over `runs`, appending its parameters in order.
std::string renderSql(const FilterTree& tree, std::size_t index, std::vector<SqlValue>& parameters) {
  const FilterNode& node = tree.nodes[index];
  switch (node.kind) {
    case FilterNode::Kind::Condition: {
      const FilterCondition& condition = tree.conditions[node.condition];
      parameters.insert(parameters.end(), condition.parameters.begin(), condition.parameters.end());
      if (condition.source == FilterCondition::Source::Runs) return condition.condition;
      return "runs.id IN (SELECT " + condition.runIdColumn + " FROM " + condition.from +
             " WHERE " + condition.condition + ")";
    }
    case FilterNode::Kind::Not:
      return "NOT (" + renderSql(tree, node.children.front(), parameters) + ")";
    case FilterNode::Kind::And:
    case FilterNode::Kind::Or: {
      std::string sql = "(";
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) sql += node.kind == FilterNode::Kind::And ? " AND " : " OR ";
        sql += renderSql(tree, node.children[i], parameters);
      }
      return sql + ")";
    }
  }
  return "1";
}

}  // namespace

FilterTree parseRunFilter(std::string_view text) { return Parser(text).parse(); }

CompiledFilter compileRunFilter(std::string_view text) {
  const FilterTree tree = parseRunFilter(text);
  CompiledFilter out;
  out.whereSql = tree.nodes.empty() ? "1" : renderSql(tree, tree.nodes.size() - 1, out.parameters);
  return out;
}

std::vector<OrderKey> parseOrderBy(std::string_view text) {
  Lexer lexer(text, "order-by");
  const std::vector<Token> tokens = lexer.tokens();
  std::size_t position = 0;
  std::vector<OrderKey> keys;
  if (tokens.front().kind == TokenKind::End) return keys;
  while (true) {
    const Token& keyToken = tokens[position];
    const Key key = parseKey(lexer, keyToken);
    ++position;
    OrderKey order;
    if (isKeyword(tokens[position], "asc") || isKeyword(tokens[position], "desc")) {
      order.descending = isKeyword(tokens[position], "desc");
      ++position;
    }
    switch (key.kind) {
      case KeyKind::Metric:
        order.table = "latest_metrics";
        order.name = key.name;
        break;
      case KeyKind::Param:
        order.table = "params";
        order.name = key.name;
        break;
      case KeyKind::Tag:
        order.table = "tags";
        order.name = key.name;
        break;
      case KeyKind::Attribute:
        order.column = key.column;
        break;
      case KeyKind::Dataset:
        lexer.fail("cannot order by '" + keyToken.text + "' (a run may have several datasets)",
                   keyToken.column);
    }
    keys.push_back(std::move(order));
    const Token& after = tokens[position];
    if (after.kind == TokenKind::End) break;
    if (after.kind != TokenKind::Comma) {
      lexer.fail("expected ',' or ASC/DESC after '" + keyToken.text + "', found " + describe(after),
                 after.column);
    }
    ++position;
    if (tokens[position].kind == TokenKind::End) {
      lexer.fail("expected a key after ','", tokens[position].column);
    }
  }
  return keys;
}

std::string orderKeySql(const OrderKey& key, std::vector<SqlValue>& parameters) {
  std::string expression = key.column;
  if (!key.table.empty()) {
    expression = "(SELECT o.value FROM " + key.table + " o WHERE o.run_id = runs.id AND o.key = ?)";
    parameters.emplace_back(key.name);
  }
  // Missing values last whatever the direction; NULLS LAST evaluates the lookup once.
  return expression + (key.descending ? " DESC" : " ASC") + " NULLS LAST";
}

std::string compileOrderBy(std::string_view text, std::vector<SqlValue>& parameters) {
  std::string sql;
  for (const OrderKey& key : parseOrderBy(text)) {
    if (!sql.empty()) sql += ", ";
    sql += orderKeySql(key, parameters);
  }
  return sql;
}

}  // namespace geih::store
