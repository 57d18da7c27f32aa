// A 2-D scene of exact objects, drawn with cairo to SVG or PNG: classifiers' decision
// boundaries (the exact polygon edges of exact/plane.hpp, clipped to the view), data
// points (+1 as pluses, -1 as circles), directions as arrows, a legend and a caption.
// Coordinates become doubles only here, at the pixel.
#pragma once
#include "advdir/exact/plane.hpp"

#include <string>
#include <vector>

namespace advdir::plot {

struct Colour {
  double r, g, b;
};
inline constexpr Colour red{0.84, 0.15, 0.16}, blue{0.12, 0.35, 0.80}, green{0.10, 0.55, 0.25}, grey{0.35, 0.35, 0.35};

struct Scene {
  exact::Point2 lo, hi;  // the view
  struct Classifier {
    std::string name;
    Colour colour;
    std::vector<exact::LabelledPolygon> regions;
    bool shade = false;  // tint its +1 region
  };
  struct Mark {
    exact::Point2 at;
    int label;
    std::string name;  // drawn beside it when not empty
  };
  struct Arrow {
    exact::Point2 from, to;
    std::string name;
    Colour colour;
  };
  std::string title;
  std::vector<Classifier> classifiers;
  std::vector<Mark> points;
  std::vector<Arrow> arrows;
  std::vector<std::string> caption;  // lines under the plot
};

// Writes FILE.svg or FILE.png (by extension; anything else is an InputError) atomically.
void render(const Scene& scene, const std::string& path);

// Curves with bands, in panels side by side (Figure 4: accuracy against eps, the mean
// over classifiers with its min-max band, one curve per source of perturbations).
struct Chart {
  struct Series {
    std::string name;
    Colour colour;
    std::vector<double> x, mean, lo, hi;
  };
  struct Panel {
    std::string title, x_label, y_label;
    std::vector<Series> series;
  };
  std::string title;
  std::vector<Panel> panels;
  std::vector<std::string> caption;
};
inline constexpr Colour orange{0.90, 0.50, 0.05}, purple{0.50, 0.25, 0.65};

void render(const Chart& chart, const std::string& path);

}  // namespace advdir::plot
