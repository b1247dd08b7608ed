#pragma once
// gnuplot as a subprocess: figures are gnuplot scripts plus data files written
// next to the images they make, so a figure can be restyled and re-rendered by
// hand (`gnuplot NAME.gp` in the figure directory).
#include <string>

namespace ngbench::report {

// The gnuplot executable: $NGBENCH_GNUPLOT if set, else `gnuplot` on PATH.
// Throws ngbench::Error with a one-line message naming the Debian package
// (gnuplot-nox) when there is none.
std::string find_gnuplot();

// Runs `gnuplot SCRIPT` with `dir` as the working directory. Throws
// ngbench::Error with gnuplot's first error line when it fails.
void run_gnuplot(const std::string& gnuplot, const std::string& dir, const std::string& script);

// A gnuplot single-quoted string literal ('' escapes a quote).
std::string gnuplot_quote(const std::string& s);

}  // namespace ngbench::report
