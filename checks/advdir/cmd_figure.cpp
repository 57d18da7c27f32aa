// advdir figure: the paper's Figures 1-3, and any 2-D model with its data, drawn from
// exact objects; every claim in a caption is an exact ray computed here.
#include "certify.hpp"
#include "cli.hpp"

#include "advdir/exact/counterexample.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/plot/figure.hpp"

#include <iostream>

namespace advdir::cli {
namespace {

using exact::Point2;
using exact::Vector;

struct FigureArgs {
  std::string which, model, point, direction, view, out;
  DataArgs data;
};

Point2 at(const Vector& v) { return {v[0], v[1]}; }
Point2 plus(const Vector& x, const Vector& v, const mpq_class& s) { return {x[0] + s * v[0], x[1] + s * v[1]}; }

// "k/n": at how many of the points with `label` the direction is adversarial, exactly.
std::string adversarial_at(const exact::ReluNet& net, const exact::Dataset& S, int label, const Vector& v) {
  const exact::RayWalker walker(net);
  std::size_t n = 0, k = 0;
  for (std::size_t i = 0; i < S.size(); ++i)
    if (S.labels[i] == label) ++n, k += walker.walk(S.point(i), v).adversarial;
  return std::to_string(k) + "/" + std::to_string(n);
}

plot::Scene base(const std::string& title, const exact::Dataset& S, const Point2& lo, const Point2& hi) {
  plot::Scene s{lo, hi, title, {}, {}, {}, {}};
  for (std::size_t i = 0; i < S.size(); ++i) s.points.push_back({at(S.point(i)), S.labels[i], ""});
  return s;
}

void add(plot::Scene& s, const std::string& name, plot::Colour c, const exact::ReluNet& net, bool shade = false) {
  s.classifiers.push_back({name, c, exact::decision_regions(net, s.lo, s.hi), shade});
}

// Figure 1: two linear classifiers with orthogonal normals; each one's -w is adversarial
// for it at the +1 data and for the other at none.
plot::Scene figure1() {
  const exact::Dataset S = exact::make_dataset({{1, 1}, {2, mpq_class(3, 2)}, {mpq_class(3, 2), 2}, {-1, -1}, {-2, mpq_class(-3, 2)}, {mpq_class(-3, 2), -2}},
                                               {1, 1, 1, -1, -1, -1}, "figure 1");
  const exact::ReluNet h1 = exact::as_net({{2, 1}, 0}), h2 = exact::as_net({{-1, 2}, 0});
  const Vector v1{-2, -1}, v2{1, -2};
  plot::Scene s = base("Figure 1: adversarial directions need not transfer", S, {-3, -3}, {3, 3});
  add(s, "h1", plot::red, h1);
  add(s, "h2", plot::blue, h2);
  s.arrows = {{at(S.point(1)), plus(S.point(1), v1, mpq_class(1, 2)), "v1", plot::red},
              {at(S.point(0)), plus(S.point(0), v2, mpq_class(1, 2)), "v2", plot::blue}};
  s.caption = {"+1: pluses, -1: circles. h1: 2 x1 + x2 > 0, h2: -x1 + 2 x2 > 0; v1 = -w1, v2 = -w2.",
               "v1 is adversarial for h1 at " + adversarial_at(h1, S, 1, v1) + " +1 points, for h2 at " + adversarial_at(h2, S, 1, v1) +
                   "; v2 for h2 at " + adversarial_at(h2, S, 1, v2) + ", for h1 at " + adversarial_at(h1, S, 1, v2) + " (exact rays)."};
  return s;
}

// Figure 2: two R'' nets; v1 transfers across h1's +1 points but not to h2's, and v2 is
// adversarial for h2 at x2 alone.
plot::Scene figure2() {
  const exact::Dataset S = exact::make_dataset({{-2, 1}, {-1, 2}, {mpq_class(-5, 2), 2}, {2, 0}, {2, -2}, {mpq_class(3, 2), mpq_class(-5, 2)}},
                                               {1, 1, 1, -1, -1, -1}, "figure 2");
  const exact::ReluNet h1 = exact::relu_net_from_json(
      exact::json::parse(R"({"kind": "relu_and", "W": [["1", "0"], ["0", "1"], ["-1", "1"]], "b": ["3", "-1/2", "1"]})"), "h1");
  const exact::ReluNet h2 = exact::relu_net_from_json(exact::json::parse(R"({"kind": "relu_and", "W": [["0", "1"], ["-1", "0"]], "b": ["1", "1"]})"), "h2");
  const Vector v1{-1, mpq_class(1, 4)}, v2{-1, mpq_class(-1, 4)};
  plot::Scene s = base("Figure 2: directions of nonlinear classifiers", S, {-4, -4}, {4, 4});
  add(s, "h1 (R'')", plot::red, h1);
  add(s, "h2 (R'')", plot::blue, h2);
  s.points[1].name = "x1";
  s.points[3].name = "x2";
  s.arrows = {{at(S.point(1)), plus(S.point(1), v1, 2), "v1", plot::red}, {at(S.point(3)), plus(S.point(3), v2, 2), "v2", plot::blue}};
  s.caption = {"h1: +1 iff x1 + 3 > 0, x2 - 1/2 > 0, x2 - x1 + 1 > 0; h2: +1 iff x2 + 1 > 0, 1 - x1 > 0.",
               "v1 is adversarial for h1 at " + adversarial_at(h1, S, 1, v1) + " +1 points, for h2 at " + adversarial_at(h2, S, 1, v1) + ";",
               "v2 for h2 at " + adversarial_at(h2, S, -1, v2) + " -1 points (x2), for h1 at " + adversarial_at(h1, S, -1, v2) + " (exact rays)."};
  return s;
}

// Figure 3: Section 6. The max-margin direction v1 = -y w* at x_alpha does not leave the
// net's -1 region; v2 = x_beta - x_alpha (Theorem 15) leaves both.
plot::Scene figure3() {
  const exact::Dataset S = exact::section6_data();
  const exact::MaxMarginSeparator sep = separator_or_refuse(S);
  const exact::ReluNet h1 = exact::as_net({sep.w_star, sep.b_star}), h2 = exact::section6_net();
  const Vector x = S.point(0), v1 = sep.w_star, v2 = exact::direction(S, {0, 1});
  plot::Scene s = base("Figure 3: the max-margin direction need not transfer to R'", S, {mpq_class(-3, 2), mpq_class(-5, 2)}, {mpq_class(7, 2), mpq_class(5, 2)});
  add(s, "h1 (max margin)", plot::red, h1);
  add(s, "h2 (R')", plot::blue, h2);
  s.points[0].name = "x_alpha";
  s.points[1].name = "x_beta";
  s.arrows = {{at(x), plus(x, v1, mpq_class(3, 2)), "v1", plot::red}, {at(x), at(S.point(1)), "v2", plot::blue}};
  const exact::NetRay r1 = exact::net_ray(h2, x, v1), r2 = exact::net_ray(h2, x, v2), l1 = exact::net_ray(h1, x, v1), l2 = exact::net_ray(h1, x, v2);
  auto exit = [](const exact::NetRay& r) { return r.adversarial ? "c_exit " + exact::to_string(r.c_exit) : std::string("never leaves"); };
  s.caption = {"h1: w* = (" + exact::to_string(sep.w_star[0]) + ", " + exact::to_string(sep.w_star[1]) + "), b* = " + exact::to_string(sep.b_star) +
                   "; h2: f = relu(x2 - 1/2) + relu(-x2 - 1/2) > 1/4.",
               "v1 = -y w* at x_alpha: h1 " + exit(l1) + ", h2 " + exit(r1) + ".",
               "v2 = x_beta - x_alpha: h1 " + exit(l2) + ", h2 " + exit(r2) + " (exact rays)."};
  return s;
}

// Any 2-D model with its data: the +1 region tinted, the boundary, an optional ray.
plot::Scene model_figure(const FigureArgs& a) {
  if (a.model.empty() || a.data.data.empty()) throw InputError("figure", "give 1, 2 or 3, or --model M with --data S");
  const exact::Dataset S = exact::load_dataset(a.data.spec());
  if (S.dim() != 2) throw InputError(S.source, "pictures are of 2-D data; this has dimension " + std::to_string(S.dim()));
  const exact::json model = exact::read_json_file(a.model);
  const exact::ReluNet net = model.value("kind", exact::json()) == "linear"
                                 ? exact::as_net(exact::linear_model_from_json(model, a.model))
                                 : exact::relu_net_from_json(model, a.model);
  Point2 lo{0, 0}, hi{0, 0};
  if (!a.view.empty()) {
    const Vector b = vector_arg(a.view, "--view");
    if (b.size() != 4 || b[0] >= b[2] || b[1] >= b[3]) throw InputError("--view", "expected x0,y0,x1,y1 with x0 < x1 and y0 < y1");
    lo = {b[0], b[1]}, hi = {b[2], b[3]};
  } else {
    lo = hi = at(S.point(0));
    for (std::size_t i = 0; i < S.size(); ++i) {
      const Point2 p = at(S.point(i));
      lo = {std::min(lo.x, p.x), std::min(lo.y, p.y)}, hi = {std::max(hi.x, p.x), std::max(hi.y, p.y)};
    }
    const mpq_class side = std::max(hi.x - lo.x, hi.y - lo.y) + 2;
    lo = {(lo.x + hi.x - side) / 2, (lo.y + hi.y - side) / 2}, hi = {lo.x + side, lo.y + side};
  }
  plot::Scene s = base(a.model, S, lo, hi);
  add(s, net.kind, plot::blue, net, true);
  s.caption = {"+1: pluses, -1: circles; the tinted region is labelled +1 (exact polygons, clipped to the view)."};
  if (!a.direction.empty()) {
    const Vector v = vector_arg(a.direction, "--direction");
    const Vector x = a.point.empty() ? S.point(0) : vector_arg(a.point, "--point");
    if (v.size() != 2 || x.size() != 2) throw InputError("--direction", "point and direction need 2 entries");
    const exact::NetRay r = exact::net_ray(net, x, v);
    s.arrows.push_back({at(x), plus(x, v, 1), "v", plot::green});
    s.caption.push_back("along v from x: " + (r.adversarial ? "the label changes past c_exit = " + exact::to_string(r.c_exit)
                                                            : std::string("the label never changes")) + " (exact).");
  }
  return s;
}

void run(const FigureArgs& a) {
  const plot::Scene s = a.which == "1" ? figure1() : a.which == "2" ? figure2() : a.which == "3" ? figure3() : model_figure(a);
  plot::render(s, a.out);
  std::cout << "wrote " << a.out << ": " << s.title << "\n";
  for (const std::string& line : s.caption) std::cout << "  " << line << "\n";
}

}  // namespace

void add_figure(CLI::App& app) {
  auto args = std::make_shared<FigureArgs>();
  auto* cmd = app.add_subcommand("figure", "draw the paper's Figures 1-3, or any 2-D model with its data (SVG or PNG)");
  cmd->footer(
      "advdir figure 1|2|3 --out FILE.svg (or .png) draws the paper's figures from exact objects:\n"
      "  1  two linear classifiers whose normals are adversarial for one and not the other\n"
      "  2  two R'' nets: v1 transfers across h1's +1 points but not to h2; v2 works for h2 at x2 only\n"
      "  3  Section 6: the max-margin direction v1 never leaves the R' net's -1 region; v2 = x_beta - x_alpha\n"
      "     (Theorem 15) leaves both\n"
      "Boundaries are the exact edges of the polygons on which the net is affine and its label constant,\n"
      "clipped to the view; the captions' claims are exact rays. Coordinates become doubles only at the\n"
      "pixel.\n\n"
      "advdir figure --model M.json --data S.txt [--point X --direction V] [--view x0,y0,x1,y1] --out F.png\n"
      "draws any model with 2 inputs (linear, relu_sum, relu2, relu_and, mlp) over its data.\n\n"
      "Examples: advdir figure 3 --out fig3.svg\n"
      "          advdir figure --model net.json --data S.txt --direction 2,1 --out net.png");
  cmd->add_option("WHICH", args->which, "1, 2 or 3 (omit with --model)")->check(CLI::IsMember({"1", "2", "3"}));
  cmd->add_option("--model", args->model, "a model JSON with 2 inputs");
  args->data.add_to(*cmd, false);
  cmd->add_option("--point", args->point, "the start of the arrow (default: the first data point)");
  cmd->add_option("--direction", args->direction, "draw this direction and its exact exit");
  cmd->add_option("--view", args->view, "x0,y0,x1,y1 (default: the data's box, squared, with a margin of 1)");
  cmd->add_option("--out", args->out, "FILE.svg or FILE.png")->required();
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
