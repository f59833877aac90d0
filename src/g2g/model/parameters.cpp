#include "g2g/model/parameters.hpp"

#include <cctype>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <muParser.h>

#include "g2g/core/units.hpp"

namespace g2g::model::detail {
namespace {

constexpr std::string_view section_key = "parameters";

bool is_identifier(std::string_view name) {
  if (name.empty() || (std::isalpha(static_cast<unsigned char>(name[0])) == 0 && name[0] != '_'))
    return false;
  for (const char c : name)
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') return false;
  return true;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// The SI value of a parameter written with a unit ("130 kW", "800 V", "8", "30 %"): the first
// dimension whose units accept the text. Every dimension of core is tried in declaration order,
// where temperature comes before charge, so that a bare "C" stays a temperature.
std::optional<double> value_of_quantity(std::string_view text) {
  for (const core::Dimension d : core::every_dimension) {
    const auto parsed = core::parse_quantity(text, d);
    if (parsed.ok) return parsed.value;
  }
  return std::nullopt;
}

enum class Reference : std::uint8_t { none, name, expression };

// "$name" -> (name, "name"); "$(a * b)" -> (expression, "a * b"); anything else -> none.
std::pair<Reference, std::string_view> reference_in(std::string_view text) {
  text = trimmed(text);
  if (text.size() < 2 || text.front() != '$') return {Reference::none, {}};
  if (text[1] == '(' && text.back() == ')')
    return {Reference::expression, text.substr(2, text.size() - 3)};
  return {Reference::name, text.substr(1)};
}

// Evaluates arithmetic over the parameters resolved so far with muparser, which gives the
// operators, precedence, functions (min, max, sqrt, rint, ...) and position-bearing errors.
// With a memo, an expression whose names have the values they had in the last resolution is
// not parsed again.
class Evaluator {
 public:
  Evaluator(std::size_t capacity, ExpressionMemo* memo) : memo_(memo) {
    values_.reserve(capacity);  // muparser keeps pointers into values_: never reallocate
    names_.reserve(capacity);
    if (memo_ == nullptr) start_parser();
  }

  // False (with the reason) when muparser refuses the name, e.g. one of its constants ("_pi").
  // A name muparser took in the last resolution with the memo is taken again without asking it
  // (its answer depends on the name alone): the parser is started only when an expression needs
  // it, and is then given every name defined so far.
  bool define(const std::string& name, double value, std::string& problem) {
    values_.push_back(value);
    const std::string accepted_key = "n" + name;
    if (!parser_ && memo_->find(accepted_key)) {
      names_.push_back(name);
      return true;
    }
    start_parser();
    try {
      parser_->DefineVar(name, &values_.back());
      names_.push_back(name);
      if (memo_ != nullptr) memo_->add(accepted_key, 1.0);
      return true;
    } catch (const mu::Parser::exception_type& error) {
      values_.pop_back();
      problem = error.GetMsg();
      return false;
    }
  }

  // The value, or the reason it has none.
  std::optional<double> evaluate(std::string_view expression, std::string& problem) {
    std::string key;
    if (memo_ != nullptr) {
      key = memo_key(expression);
      if (const auto kept = memo_->find(key)) return kept;
    }
    start_parser();
    try {
      parser_->SetExpr(std::string(expression));
      const double value = parser_->Eval();
      if (!std::isfinite(value)) {
        problem = fmt::format("$({}) is not a finite number", expression);
        return std::nullopt;
      }
      if (memo_ != nullptr) memo_->add(std::move(key), value);
      return value;
    } catch (const mu::Parser::exception_type& error) {
      if (error.GetCode() == mu::ecUNASSIGNABLE_TOKEN)
        problem = fmt::format("$({}): '{}' is not a parameter", expression, error.GetToken());
      else
        problem = fmt::format("$({}): {}", expression, error.GetMsg());
      return std::nullopt;
    }
  }

 private:
  // The expression, then every run of name characters in it (muparser reads a variable as such a
  // run) with the bytes of the value it has now, or '?' when it names no parameter: two
  // expressions with one key read the same variables at the same values.
  std::string memo_key(std::string_view expression) const {
    std::string key = fmt::format("e{}:{}", expression.size(), expression);
    auto name_char = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
    };
    for (std::size_t at = 0; at < expression.size();) {
      if (!name_char(expression[at])) {
        ++at;
        continue;
      }
      std::size_t end = at;
      while (end < expression.size() && name_char(expression[end])) ++end;
      const std::string_view run = expression.substr(at, end - at);
      key += run;
      // The last definition of a name is the one muparser reads.
      std::size_t k = names_.size();
      while (k > 0 && names_[k - 1] != run) --k;
      if (k == 0) {
        key += '?';
      } else {
        char bytes[sizeof(double)];
        std::memcpy(bytes, &values_[k - 1], sizeof bytes);
        key += '=';
        key.append(bytes, sizeof bytes);
      }
      key += ';';
      at = end;
    }
    return key;
  }

  // Starts muparser, if not yet, with the names defined so far.
  void start_parser() {
    if (parser_) return;
    parser_.emplace();
    parser_->DefineFun("ceil", static_cast<double (*)(double)>(std::ceil));
    parser_->DefineFun("floor", static_cast<double (*)(double)>(std::floor));
    for (std::size_t k = 0; k < names_.size(); ++k) parser_->DefineVar(names_[k], &values_[k]);
  }

  std::optional<mu::Parser> parser_;
  std::vector<double> values_;
  std::vector<std::string> names_;  // per value: the name it is defined under
  ExpressionMemo* memo_;
};

class Resolver {
 public:
  Resolver(Document& document, std::span<const ParameterOverride> overrides,
           core::DiagnosticList& diagnostics, ExpressionMemo* memo)
      : doc_(document), overrides_(overrides), diagnostics_(diagnostics), memo_(memo) {}

  std::vector<Parameter> run() {
    const std::uint32_t section = find_section();
    if (section == absent_node) {
      for (const auto& o : overrides_)
        diagnostics_.error({doc_.file(), 0, 0},
                           fmt::format("cannot set parameter '{}': the model declares no "
                                       "parameters",
                                       o.name),
                           "declare it under 'parameters:' in the model, or drop the --set");
      return {};
    }
    read_section(section);
    check_overrides();
    substitute(section);
    return std::move(parameters_);
  }

 private:
  static constexpr std::uint32_t absent_node = 0xFFFFFFFFu;

  std::uint32_t find_section() const {
    if (doc_.nodes.empty() || doc_.nodes[0].type != NodeType::map) return absent_node;
    for (const std::uint32_t c : Children(doc_, 0))
      if (doc_.nodes[c].key_str() == section_key) return c;
    return absent_node;
  }

  void error_at(std::uint32_t node, std::string message, std::string fix) {
    diagnostics_.error(doc_.location(doc_.nodes[node]), std::move(message), std::move(fix));
  }

  std::vector<std::string_view> names() const {
    std::vector<std::string_view> out;
    for (const auto& p : parameters_) out.emplace_back(p.name);
    return out;
  }

  void read_section(std::uint32_t section) {
    evaluator_.emplace(doc_.nodes[section].count, memo_);
    if (doc_.nodes[section].type != NodeType::map) {
      error_at(section, "parameters must be a map of name: value",
               "write e.g. 'parameters: {rack_power: 130 kW, racks_per_row: 8}'");
      return;
    }
    for (const std::uint32_t n : Children(doc_, section)) {
      const Node& node = doc_.nodes[n];
      const std::string name(node.key_str());
      if (!is_identifier(name)) {
        diagnostics_.error(doc_.key_location(node),
                           fmt::format("parameter name '{}' is not a plain name", name),
                           "use letters, digits and '_', starting with a letter");
        continue;
      }
      if (node.type != NodeType::number && node.type != NodeType::string) {
        error_at(n, fmt::format("parameter '{}' must be a value such as 130 kW", name),
                 "write e.g. 'rack_power: 130 kW' or 'racks: $(hall_power / rack_power)'");
        continue;
      }
      Parameter p{name, std::string(trimmed(node.str())), 0.0, false};
      for (const auto& o : overrides_)
        if (o.name == name) p.text = std::string(trimmed(o.value)), p.overridden = true;
      const std::string how =
          p.overridden ? fmt::format(" (set to '{}' by the caller)", p.text) : std::string();
      const auto [kind, body] = reference_in(p.text);
      std::optional<double> value;
      if (kind == Reference::none) {
        value = quantity_value(p.text);
        if (!value)
          error_at(n,
                   fmt::format("parameter '{}'{}: '{}' is not a number or a quantity", name, how,
                               p.text),
                   "write a number with a unit, e.g. 130 kW, 800 V, 8 or 30 %");
      } else {
        std::string problem;
        value = evaluator_->evaluate(body, problem);  // "$name" is the expression "name"

        if (!value)
          error_at(n, fmt::format("parameter '{}'{}: {}", name, how, problem),
                   "an expression may use only parameters declared above it, numbers in SI "
                   "units and + - * / ^ ( ) min max ceil floor rint sqrt");
      }
      if (!value) {
        bad_.push_back(name);
        continue;
      }
      p.value_si = *value;
      if (std::string problem; !evaluator_->define(name, p.value_si, problem)) {
        diagnostics_.error(
            doc_.key_location(node),
            fmt::format("parameter name '{}' cannot be used in expressions: {}", name, problem),
            "rename it: a short plain name, not one of the expression constants (_pi, _e)");
        bad_.push_back(name);
        continue;
      }
      parameters_.push_back(std::move(p));
    }
  }

  // value_of_quantity, taken from the memo when the last resolution read the same text.
  std::optional<double> quantity_value(std::string_view text) {
    if (memo_ == nullptr) return value_of_quantity(text);
    std::string key = fmt::format("q{}", text);
    if (const auto kept = memo_->find(key)) return kept;
    const auto value = value_of_quantity(text);
    if (value) memo_->add(std::move(key), *value);
    return value;
  }

  void check_overrides() {
    for (const auto& o : overrides_) {
      bool known = false;
      for (const auto& p : parameters_) known = known || p.name == o.name;
      for (const auto& b : bad_) known = known || b == o.name;
      if (known) continue;
      const auto candidates = names();
      diagnostics_.error(
          {doc_.file(), 0, 0},
          fmt::format("cannot set parameter '{}': the model has no such "
                      "parameter",
                      o.name),
          did_you_mean(o.name, candidates,
                       fmt::format("the model's parameters are: {}", fmt::join(candidates, ", "))));
    }
  }

  const Parameter* find(std::string_view name) const {
    for (const auto& p : parameters_)
      if (p.name == name) return &p;
    return nullptr;
  }

  // Rewrites each "$..." scalar outside the parameters section. A "$name" becomes the
  // parameter's own text ("130 kW"), so the builder checks its unit against the field; a
  // "$(expression)" becomes its value in SI units.
  void substitute(std::uint32_t section) {
    const auto& nodes = doc_.nodes;
    const std::uint32_t skip_begin = section;
    const std::uint32_t skip_end = nodes[section].end;
    for (std::uint32_t n = 0; n < nodes.size(); ++n) {
      if (n == skip_begin) {
        n = skip_end - 1;
        continue;
      }
      Node& node = doc_.nodes[n];
      if (node.type != NodeType::string || node.text_size == 0 ||
          std::memchr(node.text, '$', node.text_size) == nullptr)
        continue;
      const auto [kind, body] = reference_in(node.str());
      std::string replacement;
      if (kind == Reference::name) {
        const Parameter* p = find(body);
        if (p == nullptr) {
          doc_.mark_reported(n);
          if (is_bad(body)) continue;  // its own error is already reported
          const auto candidates = names();
          error_at(n, fmt::format("'{}' names no parameter", node.str()),
                   did_you_mean(body, candidates,
                                candidates.empty()
                                    ? std::string("declare it under 'parameters:'")
                                    : fmt::format("declare it under 'parameters:' (there are: {})",
                                                  fmt::join(candidates, ", "))));
          continue;
        }
        replacement = p->text;
        // A parameter defined by an expression has no unit to carry over: use its value.
        if (reference_in(p->text).first != Reference::none)
          replacement = fmt::format("{}", p->value_si);
      } else if (kind == Reference::expression) {
        std::string problem;
        const auto value = evaluator_->evaluate(body, problem);
        if (!value) {
          doc_.mark_reported(n);
          error_at(n, problem,
                   "an expression may use parameters, numbers in SI units and "
                   "+ - * / ^ ( ) min max ceil floor rint sqrt");
          continue;
        }
        replacement = fmt::format("{}", *value);
      } else {
        if (!refers_inside(node.str())) continue;  // a '$' in free text ("US$ per MWh")
        doc_.mark_reported(n);
        error_at(n,
                 fmt::format("'{}': a parameter must be the whole value, as $name or "
                             "$(expression)",
                             node.str()),
                 "write e.g. 'rating: $rack_power' or 'rating: $(1.15 * rack_power)'");
        continue;
      }
      node.text = doc_.keep(replacement);
      node.text_size = static_cast<std::uint32_t>(replacement.size());
      node.type = classify_plain_scalar(replacement);
    }
  }

  // Whether `text` holds "$(" or "$name" for a declared parameter somewhere inside it.
  bool refers_inside(std::string_view text) const {
    for (std::size_t at = text.find('$'); at != std::string_view::npos;
         at = text.find('$', at + 1)) {
      const std::string_view rest = text.substr(at + 1);
      if (rest.starts_with('(')) return true;
      for (const auto& p : parameters_)
        if (rest.starts_with(p.name)) return true;
    }
    return false;
  }

  bool is_bad(std::string_view name) const {
    for (const auto& b : bad_)
      if (b == name) return true;
    return false;
  }

  Document& doc_;
  std::span<const ParameterOverride> overrides_;
  core::DiagnosticList& diagnostics_;
  ExpressionMemo* memo_;
  std::optional<Evaluator> evaluator_;
  std::vector<Parameter> parameters_;
  std::vector<std::string> bad_;
};

}  // namespace

std::optional<double> ExpressionMemo::find(const std::string& key) {
  const auto it = last_.find(key);
  if (it == last_.end()) return std::nullopt;
  this_.insert(*it);
  return it->second;
}

void ExpressionMemo::add(std::string key, double value) {
  this_.emplace(std::move(key), value);
}

void ExpressionMemo::next_resolution() {
  last_.swap(this_);
  this_.clear();
}

std::vector<Parameter> resolve_parameters(Document& document,
                                          std::span<const ParameterOverride> overrides,
                                          core::DiagnosticList& diagnostics, ExpressionMemo* memo) {
  auto parameters = Resolver(document, overrides, diagnostics, memo).run();
  if (memo != nullptr) memo->next_resolution();
  return parameters;
}

}  // namespace g2g::model::detail
