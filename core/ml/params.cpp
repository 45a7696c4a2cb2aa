#include "core/ml/params.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "core/common/error.h"

namespace geih::ml {
namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::optional<double> parseDouble(std::string_view text) {
  text = trimmed(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<long long> parseInt(std::string_view text) {
  text = trimmed(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> parseBool(std::string_view text) {
  std::string lower(trimmed(text));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") return true;
  if (lower == "false" || lower == "0" || lower == "no" || lower == "off") return false;
  return std::nullopt;
}

// Shortest text that reads back as `value` ("0", "1e-08", "0.5").
std::string formatNumber(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

const char* typeName(ParamType type) {
  switch (type) {
    case ParamType::Double:
      return "double";
    case ParamType::Int:
      return "int";
    case ParamType::Bool:
      return "bool";
    case ParamType::Choice:
      return "choice";
  }
  return "double";
}

// The violation of one value against its spec, or "" when the value is fine.
std::string checkValue(const ParamSpec& spec, const std::string& value) {
  const std::string got = ", got '" + value + "'";
  double number = 0;
  switch (spec.type) {
    case ParamType::Bool:
      return parseBool(value) ? "" : spec.name + ": must be true or false" + got;
    case ParamType::Choice:
      if (std::find(spec.choices.begin(), spec.choices.end(), value) != spec.choices.end())
        return "";
      return spec.name + ": must be one of " + joined(spec.choices, ", ") + got;
    case ParamType::Int: {
      const auto parsed = parseInt(value);
      if (!parsed) return spec.name + ": must be an integer" + got;
      number = double(*parsed);
      break;
    }
    case ParamType::Double: {
      const auto parsed = parseDouble(value);
      if (!parsed) return spec.name + ": must be a finite number" + got;
      number = *parsed;
      break;
    }
  }
  const std::string shown = std::string(trimmed(value));
  if (spec.min && (spec.minExclusive ? number <= *spec.min : number < *spec.min)) {
    return spec.name + ": must be " + (spec.minExclusive ? "> " : ">= ") + formatNumber(*spec.min) +
           ", got " + shown;
  }
  if (spec.max && (spec.maxExclusive ? number >= *spec.max : number > *spec.max)) {
    return spec.name + ": must be " + (spec.maxExclusive ? "< " : "<= ") + formatNumber(*spec.max) +
           ", got " + shown;
  }
  return "";
}

const std::string& lookUp(const ParamMap& params, const std::string& name) {
  const auto it = params.find(name);
  if (it == params.end()) throw InputError("parameter '" + name + "' is not set");
  return it->second;
}

}  // namespace

std::pair<std::string, std::string> parseParamAssignment(const std::string& text) {
  const std::size_t equals = text.find('=');
  if (equals == std::string::npos) {
    throw InputError("parameter '" + text + "' must be written as name=value");
  }
  std::string key(trimmed(std::string_view(text).substr(0, equals)));
  if (key.empty()) throw InputError("parameter '" + text + "' has no name before '='");
  return {std::move(key), std::string(trimmed(std::string_view(text).substr(equals + 1)))};
}

std::vector<std::string> validateParams(const std::vector<ParamSpec>& schema,
                                        const ParamMap& given) {
  std::vector<std::string> violations;
  std::vector<std::string> known;
  for (const ParamSpec& spec : schema) known.push_back(spec.name);
  for (const auto& [name, value] : given) {
    const auto spec = std::find_if(schema.begin(), schema.end(),
                                   [&](const ParamSpec& s) { return s.name == name; });
    if (spec == schema.end()) {
      violations.push_back(name + ": unknown parameter (known: " + joined(known, ", ") + ")");
      continue;
    }
    std::string problem = checkValue(*spec, value);
    if (!problem.empty()) violations.push_back(std::move(problem));
  }
  return violations;
}

ParamMap resolveParams(const std::vector<ParamSpec>& schema, const ParamMap& given) {
  const std::vector<std::string> violations = validateParams(schema, given);
  if (!violations.empty()) {
    throw InputError("invalid parameter" + std::string(violations.size() > 1 ? "s" : "") + ": " +
                     joined(violations, "; "));
  }
  ParamMap resolved;
  for (const ParamSpec& spec : schema) resolved[spec.name] = spec.defaultValue;
  for (const auto& [name, value] : given) resolved[name] = std::string(trimmed(value));
  return resolved;
}

double paramDouble(const ParamMap& params, const std::string& name) {
  const std::string& value = lookUp(params, name);
  const auto parsed = parseDouble(value);
  if (!parsed) throw InputError(name + ": must be a finite number, got '" + value + "'");
  return *parsed;
}

long long paramInt(const ParamMap& params, const std::string& name) {
  const std::string& value = lookUp(params, name);
  const auto parsed = parseInt(value);
  if (!parsed) throw InputError(name + ": must be an integer, got '" + value + "'");
  return *parsed;
}

bool paramBool(const ParamMap& params, const std::string& name) {
  const std::string& value = lookUp(params, name);
  const auto parsed = parseBool(value);
  if (!parsed) throw InputError(name + ": must be true or false, got '" + value + "'");
  return *parsed;
}

nlohmann::json toJson(const std::vector<ParamSpec>& schema) {
  nlohmann::json specs = nlohmann::json::array();
  for (const ParamSpec& spec : schema) {
    nlohmann::json item = {{"name", spec.name},
                           {"type", typeName(spec.type)},
                           {"default", spec.defaultValue},
                           {"help", spec.help}};
    if (spec.min) item["min"] = *spec.min;
    if (spec.max) item["max"] = *spec.max;
    if (spec.minExclusive) item["min_exclusive"] = true;
    if (spec.maxExclusive) item["max_exclusive"] = true;
    if (spec.type == ParamType::Choice) item["choices"] = spec.choices;
    specs.push_back(std::move(item));
  }
  return specs;
}

ParamSpec intParam(std::string name, long long defaultValue, std::string help, double min,
                   std::optional<double> max) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.type = ParamType::Int;
  spec.defaultValue = std::to_string(defaultValue);
  spec.help = std::move(help);
  spec.min = min;
  spec.max = max;
  return spec;
}

ParamSpec doubleParam(std::string name, double defaultValue, std::string help,
                      std::optional<double> min, std::optional<double> max, bool minExclusive,
                      bool maxExclusive) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.type = ParamType::Double;
  spec.defaultValue = nlohmann::json(defaultValue).dump();
  spec.help = std::move(help);
  spec.min = min;
  spec.max = max;
  spec.minExclusive = minExclusive;
  spec.maxExclusive = maxExclusive;
  return spec;
}

ParamSpec boolParam(std::string name, bool defaultValue, std::string help) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.type = ParamType::Bool;
  spec.defaultValue = defaultValue ? "true" : "false";
  spec.help = std::move(help);
  return spec;
}

ParamSpec choiceParam(std::string name, std::string defaultValue, std::string help,
                      std::vector<std::string> choices) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.type = ParamType::Choice;
  spec.defaultValue = std::move(defaultValue);
  spec.help = std::move(help);
  spec.choices = std::move(choices);
  return spec;
}

}  // namespace geih::ml
