#pragma once
// The ngbench command line: `run`, `report`, `list`. Exit status: 0 success,
// 1 a run or report failed, 2 bad input (one line on stderr).
namespace ngbench::cli {

int main(int argc, char** argv);

}  // namespace ngbench::cli
