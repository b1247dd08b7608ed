#include "cli/commands.h"

int main(int argc, char** argv) { return ngbench::cli::main(argc, argv); }
