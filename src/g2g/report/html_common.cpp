#include "g2g/report/html_common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "g2g/report/assets.hpp"
#include "g2g/report/format.hpp"
#include "g2g/report/report.hpp"

namespace g2g::report::page {

namespace {

// Inlined JavaScript must not contain "</script" (it would end the element).
void append_script_text(std::string& out, std::string_view js) {
  std::size_t from = 0;
  for (auto at = js.find("</"); at != std::string_view::npos; at = js.find("</", from)) {
    out.append(js.substr(from, at - from));
    out += "<\\/";
    from = at + 2;
  }
  out.append(js.substr(from));
}

// Data for the scripts (the page's figures drawn as charts), safe inside
// <script type="application/json">.
void append_json_data(std::string& out, const nlohmann::json& data) {
  const std::string text = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  for (const char c : text) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out.push_back(c);
    }
  }
}

}  // namespace

void append_page_head(std::string& out, std::string_view title) {
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"grid2gpu\">\n";
  out += fmt::format("<title>{}</title>\n<style>\n", esc(title));
  out += assets::report_css();
  out += "</style>\n</head>\n<body>\n";
  // Errors from any script below (the libraries included) land here; empty when all is well.
  out += "<pre id=\"render-errors\" class=\"render-errors\" role=\"alert\"></pre>\n";
  out +=
      "<script>window.onerror=function(m,s,l,c,e){var r=document.getElementById("
      "'render-errors');if(r){r.textContent+='JavaScript error: '+m+(l?' (line '+l+')':'')"
      "+'\\n';}};</script>\n";
}

void append_page_tail(std::string& out, std::string_view data_id, const nlohmann::json& data,
                      std::string_view script) {
  out += "<p>Inlined libraries (licence texts in the script comments of this file): ";
  bool first = true;
  for (const auto& lib : assets::libraries()) {
    out += fmt::format("{}{} {} ({}, from {})", first ? "" : "; ", esc(lib.name), esc(lib.version),
                       esc(lib.license), esc(lib.origin));
    first = false;
  }
  out += ".</p>\n</footer>\n";
  out += fmt::format("<script type=\"application/json\" id=\"{}\">", data_id);
  append_json_data(out, data);
  out += "</script>\n<script>\n";
  append_script_text(out, assets::vendor_js());
  out += "\n</script>\n<script>\n";
  append_script_text(out, script);
  out += "\n</script>\n</body>\n</html>\n";
}

std::string or_else(const std::string& text, std::string_view fallback) {
  return text.empty() ? std::string(fallback) : text;
}

std::string number_text(double value) {
  return detail::format_trimmed(value, 6);
}

std::string yes_no(bool value) {
  return value ? "yes" : "no";
}

std::optional<double> if_finite(double value) {
  return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

std::string humanise(std::string_view key) {
  std::string out(key);
  std::replace(out.begin(), out.end(), '_', ' ');
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

namespace {

std::string or_dash(const std::optional<double>& v, auto&& format) {
  return v ? format(*v) : std::string(dash);
}

}  // namespace

std::string power(const std::optional<double>& watts) {
  return or_dash(watts, [](double x) { return detail::format_power(x, 4); });
}

std::string percent(const std::optional<double>& fraction, int decimals) {
  return or_dash(fraction, [&](double x) { return detail::format_percent(x, decimals); });
}

std::string voltage(const std::optional<double>& volts) {
  return or_dash(volts, [](double x) { return detail::format_nominal_voltage(x); });
}

std::string grouped(const std::optional<double>& value, std::string_view unit, int decimals) {
  return or_dash(value, [&](double x) {
    return unit.empty() ? detail::format_grouped(x, decimals)
                        : fmt::format("{} {}", detail::format_grouped(x, decimals), unit);
  });
}

std::string upper_ascii(std::string text) {
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

std::string esc(std::string_view text) {
  return html_escape(text);
}

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The end of the address starting at `start`: up to white space or a character that cannot be
// in an unquoted address, without trailing punctuation that belongs to the sentence (a closing
// parenthesis only when the address opened none).
std::size_t address_end(std::string_view text, std::size_t start) {
  std::size_t end = start;
  while (end < text.size() && !is_space(text[end]) && text[end] != '<' && text[end] != '>' &&
         text[end] != '"' && text[end] != '\'')
    ++end;
  while (end > start) {
    const char last = text[end - 1];
    if (last == '.' || last == ',' || last == ';' || last == ':' || last == '!' || last == '?') {
      --end;
      continue;
    }
    if (last == ')') {
      const auto url = text.substr(start, end - start);
      if (std::count(url.begin(), url.end(), '(') < std::count(url.begin(), url.end(), ')')) {
        --end;
        continue;
      }
    }
    break;
  }
  return end;
}

std::size_t next_address(std::string_view text, std::size_t from) {
  const auto http = text.find("http://", from);
  const auto https = text.find("https://", from);
  return std::min(http, https);
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::string linked(std::string_view text) {
  std::string out;
  std::size_t from = 0;
  for (auto at = next_address(text, 0); at != std::string_view::npos;
       at = next_address(text, from)) {
    const std::size_t end = address_end(text, at);
    const auto scheme_end = text.find("//", at) + 2;
    if (end <= scheme_end) {  // "https://" alone is no address
      out += esc(text.substr(from, scheme_end - from));
      from = scheme_end;
      continue;
    }
    const std::string address = esc(text.substr(at, end - at));
    out += esc(text.substr(from, at - from));
    out += fmt::format(R"(<a class="source-link" href="{}" rel="noopener noreferrer">{}</a>)",
                       address, address);
    from = end;
  }
  out += esc(text.substr(from));
  return out;
}

bool names_internal_item(std::string_view text) {
  constexpr std::string_view word = "issue";
  for (std::size_t at = 0; at + word.size() <= text.size(); ++at) {
    bool match = true;
    for (std::size_t k = 0; k < word.size() && match; ++k) match = lower(text[at + k]) == word[k];
    if (!match) continue;
    // A word of its own ("tissue 4" is not one), then a number, maybe after spaces or '#'.
    if (at > 0 && std::isalpha(static_cast<unsigned char>(text[at - 1]))) continue;
    std::size_t next = at + word.size();
    while (next < text.size() && (text[next] == ' ' || text[next] == '#')) ++next;
    if (next > at + word.size() && next < text.size() &&
        std::isdigit(static_cast<unsigned char>(text[next])))
      return true;
  }
  return false;
}

std::string source_html(std::string_view source) {
  // Parts of a source are separated by "; "; a part naming an internal work item is no public
  // source and is left out, with a note.
  std::vector<std::string_view> parts;
  bool left_out = false;
  for (std::size_t from = 0; from <= source.size();) {
    auto end = source.find("; ", from);
    if (end == std::string_view::npos) end = source.size();
    const auto part = source.substr(from, end - from);
    if (names_internal_item(part))
      left_out = true;
    else if (part.find_first_not_of(" \t") != std::string_view::npos)
      parts.push_back(part);
    from = end + 2;
  }
  if (parts.empty())
    return left_out ? R"(<span class="warn">⚠ no public source given (an internal work item is )"
                      R"(not one)</span>)"
                    : R"(<span class="warn">⚠ no source given</span>)";
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += "; ";
    out += linked(part);
  }
  if (left_out)
    out += R"( <span class="warn">(a reference to an internal work item is left out: it is no )"
           R"(public source)</span>)";
  return out;
}

bool Span::flat() const {
  return std::fabs(high - low) <= 1e-9 * std::max({1.0, std::fabs(low), std::fabs(high)});
}

std::optional<Span> span_of(const std::optional<study::Range>& range) {
  if (!range || !std::isfinite(range->low) || !std::isfinite(range->high)) return std::nullopt;
  return Span{std::min(range->low, range->high), std::max(range->low, range->high)};
}

}  // namespace g2g::report::page
