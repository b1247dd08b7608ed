#pragma once
// A 100%-stacked bar figure as data, and its gnuplot form. Figure builders
// (figures.cc) lay bars out; this file only writes them: STEM.dat (one block
// per series, then the missing / failed bars and the text), STEM.gp (renders
// STEM.png with pngcairo and STEM.svg with the svg terminal).
#include <string>
#include <vector>

#include "report/breakdown_matrix.h"

namespace ngbench::report {

struct PlotSeries {
  std::string title;
  std::string color;  // "#rrggbb"
};

struct PlotBar {
  double x = 0;                // center
  std::string xtic;            // label under the bar
  CellState state = CellState::kOk;
  std::vector<double> values;  // ok: percent per series, stacked bottom up
  std::string note;            // optional text inside the bar (e.g. "42%")
  double note_y = 50;          // where, in percent
};

struct PlotText {
  double x = 0;
  std::string text;
};

struct StackedFigure {
  std::string stem;   // file name without extension
  std::string title;
  std::string ylabel = "share of attributed operator time (%)";
  double y_max = 100;  // top of the y axis; bars may stack past 100 in figures of relative time
  double bar_width = 0.8;
  double x_min = 0, x_max = 1;
  std::vector<PlotSeries> series;
  std::vector<PlotBar> bars;
  std::vector<PlotText> clusters;  // under the bars' tics (model names)
  std::vector<PlotText> sections;  // above the plot (task names)
  std::vector<double> separators;  // dashed vertical lines between sections
};

// Writes STEM.dat and STEM.gp into `dir`. Series with no value anywhere stay
// out of the legend; missing and failed bars are hatched full-height bars
// labelled "n/a" / "failed" with their own legend entries.
void write_stacked_figure(const StackedFigure& f, const std::string& dir);

// The images STEM.gp renders: {"STEM.png", "STEM.svg"}.
std::vector<std::string> stacked_figure_images(const std::string& stem);

}  // namespace ngbench::report
