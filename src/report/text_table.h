#pragma once
// A table of text cells that renders as CSV (RFC 4180 quoting) or as a
// GitHub-flavoured Markdown table; the report kinds share it.
#include <string>
#include <vector>

namespace ngbench::report {

struct TextTable {
  std::vector<std::string> header;
  std::vector<bool> numeric;  // per column: right-aligned in Markdown
  std::vector<std::vector<std::string>> rows;

  TextTable& add(std::vector<std::string> row) {
    rows.push_back(std::move(row));
    return *this;
  }
  std::string csv() const;
  std::string markdown() const;
};

// One CSV field, quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& s);
// One Markdown cell: pipes escaped, line breaks as spaces.
std::string markdown_cell(const std::string& s);

}  // namespace ngbench::report
