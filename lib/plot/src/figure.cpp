#include "advdir/plot/figure.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/json_io.hpp"

#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

// fontconfig, which cairo's text uses, keeps its caches until exit by design; in a
// sanitized build LeakSanitizer would report them as leaks of every program that draws.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

namespace advdir::plot {
namespace {

constexpr double width = 640, plot_top = 48, plot_size = 520, left = 60, line_height = 17;

double height(const Scene& s) { return plot_top + plot_size + 36 + line_height * double(s.caption.size()) + 10; }

// View coordinates to pixels (y up).
struct Frame {
  double x0, y0, sx, sy;
  Frame(const Scene& s) {
    x0 = s.lo.x.get_d();
    y0 = s.lo.y.get_d();
    sx = plot_size / (s.hi.x.get_d() - x0);
    sy = plot_size / (s.hi.y.get_d() - y0);
  }
  double px(const exact::Point2& p) const { return left + (p.x.get_d() - x0) * sx; }
  double py(const exact::Point2& p) const { return plot_top + plot_size - (p.y.get_d() - y0) * sy; }
};

void colour(cairo_t* cr, const Colour& c, double alpha = 1) { cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha); }

void text(cairo_t* cr, double x, double y, const std::string& s, double size) {
  cairo_set_font_size(cr, size);
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, s.c_str());
}

void axes(cairo_t* cr, const Scene& s, const Frame& f) {
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, left, plot_top, plot_size, plot_size);
  cairo_stroke(cr);
  for (int axis = 0; axis < 2; ++axis) {
    const double lo = std::ceil(axis ? s.lo.y.get_d() : s.lo.x.get_d()), hi = axis ? s.hi.y.get_d() : s.hi.x.get_d();
    for (double t = lo; t <= hi; t += 1) {
      const exact::Point2 p{axis ? s.lo.x : mpq_class(t), axis ? mpq_class(t) : s.lo.y};
      const double x = axis ? left : f.px(p), y = axis ? f.py(p) : plot_top + plot_size;
      cairo_move_to(cr, x, y);
      cairo_line_to(cr, axis ? x - 5 : x, axis ? y : y + 5);
      cairo_stroke(cr);
      text(cr, axis ? x - 24 : x - 4, axis ? y + 4 : y + 18, std::to_string(int(t)), 11);
    }
  }
  text(cr, left + plot_size / 2 - 6, plot_top + plot_size + 32, "x1", 12);
  text(cr, left - 48, plot_top + plot_size / 2, "x2", 12);
}

void polygon_path(cairo_t* cr, const exact::Polygon& p, const Frame& f) {
  for (std::size_t i = 0; i < p.vertex.size(); ++i)
    (i ? cairo_line_to : cairo_move_to)(cr, f.px(p.vertex[i]), f.py(p.vertex[i]));
  cairo_close_path(cr);
}

void classifier(cairo_t* cr, const Scene::Classifier& c, const Frame& f) {
  for (const exact::LabelledPolygon& r : c.regions) {
    if (!c.shade || r.label != 1) continue;
    polygon_path(cr, r.polygon, f);
    colour(cr, c.colour, 0.13);
    cairo_fill(cr);
  }
  colour(cr, c.colour);
  cairo_set_line_width(cr, 2.5);
  for (const exact::LabelledPolygon& r : c.regions) {
    const exact::Polygon& p = r.polygon;
    for (std::size_t i = 0; i < p.vertex.size(); ++i) {
      if (!p.boundary[i]) continue;
      const exact::Point2& a = p.vertex[i];
      const exact::Point2& b = p.vertex[(i + 1) % p.vertex.size()];
      cairo_move_to(cr, f.px(a), f.py(a));
      cairo_line_to(cr, f.px(b), f.py(b));
    }
  }
  cairo_stroke(cr);
}

void mark(cairo_t* cr, const Scene::Mark& m, const Frame& f) {
  const double x = f.px(m.at), y = f.py(m.at), r = 7;
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 2);
  if (m.label > 0) {
    cairo_move_to(cr, x - r, y);
    cairo_line_to(cr, x + r, y);
    cairo_move_to(cr, x, y - r);
    cairo_line_to(cr, x, y + r);
  } else {
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r - 1, 0, 2 * M_PI);
  }
  cairo_stroke(cr);
  if (!m.name.empty()) text(cr, x + 8, y - 8, m.name, 13);
}

void arrow(cairo_t* cr, const Scene::Arrow& a, const Frame& f) {
  const double x0 = f.px(a.from), y0 = f.py(a.from), x1 = f.px(a.to), y1 = f.py(a.to);
  const double angle = std::atan2(y1 - y0, x1 - x0), head = 12;
  colour(cr, a.colour);
  cairo_set_line_width(cr, 2.5);
  cairo_move_to(cr, x0, y0);
  cairo_line_to(cr, x1 - 0.8 * head * std::cos(angle), y1 - 0.8 * head * std::sin(angle));
  cairo_stroke(cr);
  cairo_move_to(cr, x1, y1);
  cairo_line_to(cr, x1 - head * std::cos(angle - 0.4), y1 - head * std::sin(angle - 0.4));
  cairo_line_to(cr, x1 - head * std::cos(angle + 0.4), y1 - head * std::sin(angle + 0.4));
  cairo_close_path(cr);
  cairo_fill(cr);
  // The name beside the shaft, 60% along it, on its left.
  const double mx = x0 + 0.6 * (x1 - x0), my = y0 + 0.6 * (y1 - y0);
  text(cr, mx + 14 * std::sin(angle) - 6, my - 14 * std::cos(angle) + 5, a.name, 14);
}

void legend(cairo_t* cr, const Scene& s) {
  double y = plot_top + 18;
  for (const Scene::Classifier& c : s.classifiers) {
    colour(cr, c.colour);
    cairo_set_line_width(cr, 2.5);
    cairo_move_to(cr, left + plot_size - 150, y - 4);
    cairo_line_to(cr, left + plot_size - 122, y - 4);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, left + plot_size - 116, y, c.name, 12);
    y += line_height;
  }
}

void draw(cairo_t* cr, const Scene& s) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  const Frame f(s);
  cairo_save(cr);
  cairo_rectangle(cr, left, plot_top, plot_size, plot_size);
  cairo_clip(cr);
  for (const Scene::Classifier& c : s.classifiers) classifier(cr, c, f);
  for (const Scene::Arrow& a : s.arrows) arrow(cr, a, f);
  for (const Scene::Mark& m : s.points) mark(cr, m, f);
  cairo_restore(cr);
  axes(cr, s, f);
  legend(cr, s);
  cairo_set_source_rgb(cr, 0, 0, 0);
  text(cr, left, 30, s.title, 16);
  for (std::size_t i = 0; i < s.caption.size(); ++i) text(cr, 12, plot_top + plot_size + 56 + line_height * double(i), s.caption[i], 12);
}

cairo_status_t append(void* out, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(out)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// One drawing to FILE.svg or FILE.png of width x height, written atomically.
template <class Draw>
void write(const std::string& path, double w, double h, Draw draw) {
  const std::string ext = path.size() > 4 ? path.substr(path.size() - 4) : "";
  if (ext != ".svg" && ext != ".png") throw InputError(path, "the picture's name must end in .svg or .png");
  std::string bytes;
  using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
  Surface surface(ext == ".svg" ? cairo_svg_surface_create_for_stream(append, &bytes, w, h)
                                : cairo_image_surface_create(CAIRO_FORMAT_ARGB32, int(w), int(h)),
                  cairo_surface_destroy);
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()), cairo_destroy);
  draw(cr.get());
  cairo_surface_flush(surface.get());
  if (ext == ".png" && cairo_surface_write_to_png_stream(surface.get(), append, &bytes) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error("cairo could not encode the PNG");
  cairo_surface_finish(surface.get());
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) throw std::runtime_error(std::string("cairo: ") + cairo_status_to_string(cairo_status(cr.get())));
  exact::write_file_atomic(path, bytes);
}

constexpr double panel_w = 420, panel_h = 320, panel_left = 60, panel_top = 60;

// One panel at horizontal offset x0: axes with ticks, bands, mean curves, legend.
void panel(cairo_t* cr, const Chart::Panel& p, double x0, double x_max) {
  auto px = [&](double x) { return x0 + panel_left + x / x_max * panel_w; };
  auto py = [&](double y) { return panel_top + (1 - y) * panel_h; };
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, px(0), py(1), panel_w, panel_h);
  cairo_stroke(cr);
  for (int t = 0; t <= 5; ++t) {
    const double y = t / 5.0, x = x_max * t / 5.0;
    char label[16];
    std::snprintf(label, sizeof label, "%.1f", y);
    text(cr, px(0) - 30, py(y) + 4, label, 11);
    std::snprintf(label, sizeof label, "%.2f", x);
    text(cr, px(x) - 12, py(0) + 16, label, 11);
  }
  text(cr, px(x_max / 2) - 10, py(0) + 34, p.x_label, 12);
  text(cr, x0 + 8, py(1) - 8, p.y_label, 12);
  text(cr, px(0) + 60, panel_top - 10, p.title, 14);
  double legend_y = py(0) - 12 - 15 * double(p.series.size() - 1);
  for (const Chart::Series& s : p.series) {
    if (s.x.empty()) continue;
    cairo_move_to(cr, px(s.x[0]), py(s.hi[0]));
    for (std::size_t i = 1; i < s.x.size(); ++i) cairo_line_to(cr, px(s.x[i]), py(s.hi[i]));
    for (std::size_t i = s.x.size(); i-- > 0;) cairo_line_to(cr, px(s.x[i]), py(s.lo[i]));
    cairo_close_path(cr);
    colour(cr, s.colour, 0.18);
    cairo_fill(cr);
    colour(cr, s.colour);
    cairo_set_line_width(cr, 2);
    cairo_move_to(cr, px(s.x[0]), py(s.mean[0]));
    for (std::size_t i = 1; i < s.x.size(); ++i) cairo_line_to(cr, px(s.x[i]), py(s.mean[i]));
    cairo_stroke(cr);
    cairo_move_to(cr, px(0) + 10, legend_y - 4);
    cairo_line_to(cr, px(0) + 30, legend_y - 4);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, px(0) + 36, legend_y, s.name, 11);
    legend_y += 15;
  }
}

}  // namespace

void render(const Chart& chart, const std::string& path) {
  double x_max = 0;
  for (const Chart::Panel& p : chart.panels)
    for (const Chart::Series& s : p.series)
      for (double x : s.x) x_max = std::max(x_max, x);
  if (x_max <= 0) x_max = 1;
  const double w = double(chart.panels.size()) * (panel_w + panel_left + 20) + 20;
  const double h = panel_top + panel_h + 50 + line_height * double(chart.caption.size()) + 10;
  write(path, w, h, [&](cairo_t* cr) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, 20, 24, chart.title, 16);
    for (std::size_t k = 0; k < chart.panels.size(); ++k) panel(cr, chart.panels[k], double(k) * (panel_w + panel_left + 20), x_max);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (std::size_t i = 0; i < chart.caption.size(); ++i) text(cr, 20, panel_top + panel_h + 60 + line_height * double(i), chart.caption[i], 12);
  });
}

void render(const Scene& scene, const std::string& path) {
  write(path, width, height(scene), [&](cairo_t* cr) { draw(cr, scene); });
}

}  // namespace advdir::plot
