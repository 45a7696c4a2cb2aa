// Learner parameters: a schema (name, type, default, range, help) that the CLI and the GUI's Train
// dialog are generated from, and a string map of user-given values parsed against it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace geih::ml {

enum class ParamType { Double, Int, Bool, Choice };

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::Double;
  std::string defaultValue;          // as text, e.g. "1.0"
  std::string help;
  std::optional<double> min, max;    // inclusive bounds for Double/Int
  std::vector<std::string> choices;  // for Choice
  bool minExclusive = false;         // min is a strict bound (e.g. C > 0)
  bool maxExclusive = false;
};

// Schema entries in one line each. Bounds are inclusive unless marked exclusive.
ParamSpec intParam(std::string name, long long defaultValue, std::string help, double min,
                   std::optional<double> max = std::nullopt);
ParamSpec doubleParam(std::string name, double defaultValue, std::string help,
                      std::optional<double> min, std::optional<double> max = std::nullopt,
                      bool minExclusive = false, bool maxExclusive = false);
ParamSpec boolParam(std::string name, bool defaultValue, std::string help);
ParamSpec choiceParam(std::string name, std::string defaultValue, std::string help,
                      std::vector<std::string> choices);

// User-given values as text, e.g. {"C": "0.1", "max_iter": "200"}.
using ParamMap = std::map<std::string, std::string>;

// Parses "k=v" (throws InputError naming the text when there is no '=' or the key is empty).
std::pair<std::string, std::string> parseParamAssignment(const std::string& text);

// Checks `given` against `schema`: unknown keys, unparsable values, values out of range or not
// among the choices. Returns one message per violation (empty when valid), e.g.
// "C: must be > 0, got -1".
std::vector<std::string> validateParams(const std::vector<ParamSpec>& schema, const ParamMap& given);

// Schema defaults overlaid with `given`; throws InputError listing every violation.
ParamMap resolveParams(const std::vector<ParamSpec>& schema, const ParamMap& given);

// Typed reads of a resolved map; throw InputError naming the parameter when it is absent or
// unparsable. Bool accepts true/false, 1/0, yes/no, on/off (any case).
double paramDouble(const ParamMap& params, const std::string& name);
long long paramInt(const ParamMap& params, const std::string& name);
bool paramBool(const ParamMap& params, const std::string& name);

// [{"name", "type": "double"|"int"|"bool"|"choice", "default", "help", "min"?, "max"?,
//   "min_exclusive"?, "max_exclusive"?, "choices"?}]
nlohmann::json toJson(const std::vector<ParamSpec>& schema);

}  // namespace geih::ml
