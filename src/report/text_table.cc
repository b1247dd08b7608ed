#include "report/text_table.h"

namespace ngbench::report {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string markdown_cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out.empty() ? " " : out;
}

std::string TextTable::csv() const {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csv_field(cells[i]);
    out += '\n';
  };
  line(header);
  for (const auto& r : rows) line(r);
  return out;
}

std::string TextTable::markdown() const {
  std::string out = "|";
  for (const auto& h : header) out += " " + markdown_cell(h) + " |";
  out += "\n|";
  for (size_t i = 0; i < header.size(); ++i) out += i < numeric.size() && numeric[i] ? " ---: |" : " --- |";
  out += '\n';
  for (const auto& r : rows) {
    out += "|";
    for (size_t i = 0; i < header.size(); ++i) out += " " + markdown_cell(i < r.size() ? r[i] : "") + " |";
    out += '\n';
  }
  return out;
}

}  // namespace ngbench::report
