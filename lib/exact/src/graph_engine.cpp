// The graph engine: exact evaluation over integers with one denominator per tensor, and
// the pattern a ray certificate names (the walk is graph_walk.cpp).
#include "graph_engine.hpp"

#include "advdir/exact/error.hpp"
#include "ray_exit.hpp"

#include <algorithm>

namespace advdir::exact {

namespace engine {

// q as integers over their least common denominator.
void to_ints(const Vector& q, std::vector<Int>& num, Int& den) {
  mpz_class D = 1;
  for (const mpq_class& v : q) mpz_lcm(D.get_mpz_t(), D.get_mpz_t(), v.get_den_mpz_t());
  num.assign(q.size(), Int());
  for (std::size_t i = 0; i < q.size(); ++i) num[i] = Int(mpz_class(q[i].get_num() * (D / q[i].get_den())));
  den = Int(D);
}

Ints to_ints(const Vector& q) {
  Ints out;
  to_ints(q, out.num, out.den);
  return out;
}

// Divides num and den by their common factor.
void reduce(Ints& v) {
  Int g(v.den);
  for (const Int& x : v.num) {
    if (fmpz_is_one(g.get())) return;
    fmpz_gcd(g.get(), g.get(), x.get());
  }
  if (fmpz_is_one(g.get())) return;
  for (Int& x : v.num) fmpz_divexact(x.get(), x.get(), g.get());
  fmpz_divexact(v.den.get(), v.den.get(), g.get());
}

// The bits of the largest |entry|.
std::size_t max_bits(const std::vector<Int>& v) {
  std::size_t b = 0;
  for (const Int& f : v) b = std::max<std::size_t>(b, fmpz_bits(f.get()));
  return b;
}

Compiled compile(const GraphNode& n, const std::string& node) {
  Compiled c;
  if (n.op == Op::dense) {
    Vector flat;
    for (const Vector& row : n.W) flat.insert(flat.end(), row.begin(), row.end());
    to_ints(flat, c.w, c.wd);
    to_ints(n.bias, c.b, c.bd);
  } else if (n.op == Op::conv || n.op == Op::scale) {
    to_ints(n.weights, c.w, c.wd);
    to_ints(n.bias.empty() ? Vector(n.out_channels) : n.bias, c.b, c.bd);
  }
  if (n.op == Op::dense || n.op == Op::conv) {
    c.w_bits = max_bits(c.w);
    if (c.w_bits <= 120)
      for (const Int& f : c.w) c.wide.push_back(to_wide(f.get()));
  }
  if (n.op == Op::maxpool || n.op == Op::avgpool) {
    c.windows = windows_of(n.window);
    if (n.op == Op::avgpool) {
      Vector inv;
      for (std::size_t k = 0; k < c.windows.size(); ++k) {
        const std::size_t at = k % (n.window.out_h * n.window.out_w);
        const std::size_t d = avg_divisor(n.window, at / n.window.out_w, at % n.window.out_w, n.count_include_pad);
        if (d == 0) throw InputError(node, "an average-pooling window with no cells");
        inv.push_back(mpq_class(1, d));
      }
      to_ints(inv, c.mult, c.mult_den);
    }
    for (const auto& cells : c.windows)
      if (cells.empty()) throw InputError(node, "a max-pooling window lies in the padding");
    if (n.op == Op::maxpool) {
      c.windows_at.resize(n.window.channels * n.window.height * n.window.width);
      for (std::size_t i = 0; i < c.windows.size(); ++i)
        for (const Cell& cell : c.windows[i]) c.windows_at[cell.at].push_back(i);
    }
  }
  return c;
}

// out = a * den + b * scale, the bias step of an affine node: num / den + b / bd becomes
// (num bd + b den) / (den bd).
void add_bias(Ints& out, const std::vector<Int>& b, const Int& bd, const Int& den_before, std::size_t period) {
  for (std::size_t i = 0; i < out.num.size(); ++i) {
    fmpz_mul(out.num[i].get(), out.num[i].get(), bd.get());
    fmpz_addmul(out.num[i].get(), b[i / period].get(), den_before.get());
  }
  fmpz_mul(out.den.get(), out.den.get(), bd.get());
}


// out = products(weights, x) over the integers: in 128 bits where wide.hpp's bound allows, else fmpz.
template <class Products>
void sums_of_products(const Compiled& c, const std::vector<Int>& x, std::size_t fan_in, std::vector<Int>& out, Products products) {
  const std::size_t x_bits = max_bits(x);
  if (x_bits == 0) return;  // x = 0: out stays 0 (the walk learns a map's denominator on the zero delta)
  if (c.wide.empty() || !sums_fit_wide(c.w_bits, x_bits, fan_in)) return products(c.w.data(), x.data(), out.data());
  std::vector<Wide> xw(x.size()), ow(out.size(), 0);
  for (std::size_t i = 0; i < x.size(); ++i) xw[i] = to_wide(x[i].get());
  products(c.wide.data(), xw.data(), ow.data());
  for (std::size_t i = 0; i < out.size(); ++i) set_wide(out[i].get(), ow[i]);
}

void dense(const GraphNode& n, const Compiled& c, const Ints& x, bool bias, Ints& out) {
  const std::size_t rows = n.W.size(), cols = x.num.size();
  std::vector<std::size_t> nz;
  for (std::size_t j = 0; j < cols; ++j)
    if (!fmpz_is_zero(x.num[j].get())) nz.push_back(j);
  out.num.assign(rows, Int());
  sums_of_products(c, x.num, cols, out.num, [&](const auto* w, const auto* xs, auto* o) { dense_products<IntRing>(rows, cols, nz, w, xs, o); });
  fmpz_mul(out.den.get(), c.wd.get(), x.den.get());
  if (bias) add_bias(out, c.b, c.bd, Int(out.den), 1);
}

void conv(const GraphNode& n, const Compiled& c, const Ints& x, bool bias, Ints& out) {
  const Window2d& w = n.window;
  out.num.assign(n.out_channels * w.out_h * w.out_w, Int());
  sums_of_products(c, x.num, w.channels / n.group * w.kernel_h * w.kernel_w, out.num,
                   [&](const auto* k, const auto* xs, auto* o) { conv_products<IntRing>(n, k, xs, o); });
  fmpz_mul(out.den.get(), c.wd.get(), x.den.get());
  if (bias) add_bias(out, c.b, c.bd, Int(out.den), w.out_h * w.out_w);
}

void scale(const Compiled& c, const Ints& x, bool bias, Ints& out) {
  out.num.assign(x.num.size(), Int());
  for (std::size_t i = 0; i < x.num.size(); ++i) fmpz_mul(out.num[i].get(), c.w[i].get(), x.num[i].get());
  fmpz_mul(out.den.get(), c.wd.get(), x.den.get());
  if (bias) add_bias(out, c.b, c.bd, Int(out.den), 1);
}

// Several values over their least common denominator: factor[k] = lcm / den_k.
Int common_den(const std::vector<const Ints*>& xs, std::vector<Int>& factor) {
  Int L(xs[0]->den);
  for (const Ints* x : xs) fmpz_lcm(L.get(), L.get(), x->den.get());
  factor.assign(xs.size(), Int());
  for (std::size_t k = 0; k < xs.size(); ++k) fmpz_divexact(factor[k].get(), L.get(), xs[k]->den.get());
  return L;
}

void add(const GraphNode& n, const std::vector<const Ints*>& xs, Ints& out) {
  std::vector<Int> f;
  out.den = common_den(xs, f);
  out.num.assign(xs[0]->num.size(), Int());
  for (std::size_t k = 0; k < xs.size(); ++k)
    for (std::size_t i = 0; i < out.num.size(); ++i)
      (n.signs[k] > 0 ? fmpz_addmul : fmpz_submul)(out.num[i].get(), xs[k]->num[i].get(), f[k].get());
}

void gather(const GraphNode& n, const std::vector<const Ints*>& xs, Ints& out) {
  std::vector<Int> f;
  out.den = common_den(xs, f);
  out.num.assign(n.source.size(), Int());
  for (std::size_t i = 0; i < n.source.size(); ++i) {
    const auto& [k, j] = n.source[i];
    if (j >= 0) fmpz_mul(out.num[i].get(), xs[k]->num[std::size_t(j)].get(), f[k].get());
  }
}

void avgpool(const Compiled& c, const Ints& x, Ints& out) {
  out.num.assign(c.windows.size(), Int());
  for (std::size_t i = 0; i < c.windows.size(); ++i) {
    for (const Cell& j : c.windows[i]) fmpz_add(out.num[i].get(), out.num[i].get(), x.num[j.at].get());
    fmpz_mul(out.num[i].get(), out.num[i].get(), c.mult[i].get());
  }
  fmpz_mul(out.den.get(), x.den.get(), c.mult_den.get());
}

void affine(const GraphNode& n, const Compiled& c, const std::vector<const Ints*>& xs, bool bias, bool reduced, Ints& out) {
  switch (n.op) {
    case Op::dense: dense(n, c, *xs[0], bias, out); break;
    case Op::conv: conv(n, c, *xs[0], bias, out); break;
    case Op::scale: scale(c, *xs[0], bias, out); break;
    case Op::add: add(n, xs, out); break;
    case Op::gather: gather(n, xs, out); break;
    case Op::avgpool: avgpool(c, *xs[0], out); break;
    case Op::relu:
    case Op::maxpool: break;
  }
  if (reduced) reduce(out);
}

// ReLU, on x + s d for small s > 0 when d is given (relu_on).
void relu(const Ints& x, const Ints* d, Ints& y, Ints* dy) {
  y = x;
  if (d) *dy = *d;
  for (std::size_t i = 0; i < x.num.size(); ++i) {
    if (relu_on(fmpz_sgn(x.num[i].get()), d ? fmpz_sgn(d->num[i].get()) : 0)) continue;
    fmpz_zero(y.num[i].get());
    if (d) fmpz_zero(dy->num[i].get());
  }
}

void check_size(const Vector& x, std::size_t n, const char* what) {
  if (x.size() != n) throw InputError(what, "has " + std::to_string(x.size()) + " entries, the graph takes " + std::to_string(n));
}

std::size_t first_largest_at(const std::vector<Cell>& cells, const Ints& x, const Ints* d) {
  return first_largest(
      cells.size(), [&](std::size_t j, std::size_t w) { return fmpz_cmp(x.num[cells[j].at].get(), x.num[cells[w].at].get()); },
      [&](std::size_t j, std::size_t w) { return d ? fmpz_cmp(d->num[cells[j].at].get(), d->num[cells[w].at].get()) : 0; });
}

std::vector<Ints> forward(const Graph& g, const std::vector<Compiled>& nodes, const Vector& x, std::vector<Ints>* slope) {
  std::vector<Ints> at(g.nodes.size() + 1);
  at[0] = to_ints(x);
  for (std::size_t k = 0; k < g.nodes.size(); ++k) {
    const GraphNode& n = g.nodes[k];
    std::vector<const Ints*> xs, ds;
    for (std::size_t i : n.inputs) {
      xs.push_back(&at[i]);
      if (slope) ds.push_back(&(*slope)[i]);
    }
    Ints* dy = slope ? &(*slope)[k + 1] : nullptr;
    if (n.op == Op::relu) {
      relu(*xs[0], slope ? ds[0] : nullptr, at[k + 1], dy);
    } else if (n.op == Op::maxpool) {  // each window's first largest entry (just past x: by value, then slope)
      const Compiled& c = nodes[k];
      at[k + 1].num.assign(c.windows.size(), Int()), at[k + 1].den = xs[0]->den;
      if (dy) dy->num.assign(c.windows.size(), Int()), dy->den = ds[0]->den;
      for (std::size_t i = 0; i < c.windows.size(); ++i) {
        const std::size_t w = c.windows[i][first_largest_at(c.windows[i], *xs[0], slope ? ds[0] : nullptr)].at;
        at[k + 1].num[i] = xs[0]->num[w];
        if (dy) dy->num[i] = ds[0]->num[w];
      }
    } else {
      affine(n, nodes[k], xs, true, true, at[k + 1]);
      if (slope) affine(n, nodes[k], ds, false, true, *dy);
    }
  }
  return at;
}

}  // namespace engine

using namespace engine;

GraphEngine::GraphEngine(Graph g, const std::string& source) : impl_(new Impl{std::move(g), {}}) {
  validate(impl_->g, source);
  for (std::size_t k = 0; k < impl_->g.nodes.size(); ++k)
    impl_->nodes.push_back(compile(impl_->g.nodes[k], source + ": node " + std::to_string(k) + " " + shown(impl_->g.nodes[k].name)));
}

GraphEngine::~GraphEngine() = default;

const Graph& GraphEngine::graph() const { return impl_->g; }

Vector GraphEngine::outputs(const Vector& x) const {
  check_size(x, impl_->g.input_dim(), "point");
  const Ints y = forward(impl_->g, impl_->nodes, x, nullptr).back();
  Vector out;
  for (const Int& v : y.num) {
    mpq_class q(v.mpz(), y.den.mpz());
    q.canonicalize();
    out.push_back(q);
  }
  return out;
}

namespace {

// The label of outputs y by g's decision.
int label_from(const Graph& g, const Ints& y) {
  Outputs o{{}, std::vector<mpz_class>(y.num.size(), 0), y.den.mpz()};
  for (const Int& v : y.num) o.value.push_back(v.mpz());
  return decide(g.decision, g.threshold, o, false);
}

}  // namespace

int GraphEngine::label(const Vector& x) const {
  check_size(x, impl_->g.input_dim(), "point");
  return label_from(impl_->g, forward(impl_->g, impl_->nodes, x, nullptr).back());
}

int label_of(const Graph& g, const Vector& outputs) {
  if (outputs.size() != g.output_dim()) throw InputError("outputs", "has " + std::to_string(outputs.size()) + " entries, the graph gives " + std::to_string(g.output_dim()));
  return label_from(g, to_ints(outputs));
}

json GraphEngine::pattern(const Vector& x) const {
  check_size(x, impl_->g.input_dim(), "point");
  const std::vector<Ints> values = forward(impl_->g, impl_->nodes, x, nullptr);
  json out = json::array();
  for (std::size_t k = 0; k < impl_->g.nodes.size(); ++k) {
    const GraphNode& n = impl_->g.nodes[k];
    const Ints& in = values[n.inputs[0]];
    if (n.op == Op::relu) {
      std::string bits;
      for (const Int& v : in.num) bits += fmpz_sgn(v.get()) > 0 ? '1' : '0';
      out.push_back(bits);
    } else if (n.op == Op::maxpool) {
      json cells = json::array();
      for (const auto& window : impl_->nodes[k].windows) cells.push_back(window[first_largest_at(window, in, nullptr)].kernel);
      out.push_back(cells);
    }
  }
  return out;
}

json graph_ray_claim(const GraphEngine& engine, const Vector& x, const Vector& v, const NetRay& ray) {
  std::vector<mpq_class> from{0};
  for (const mpq_class& t : ray.breakpoints)
    if (t > 0 && (!ray.adversarial || t < ray.c_exit)) from.push_back(t);
  json pieces = json::array();
  for (std::size_t p = 0; p < from.size(); ++p) {
    const mpq_class to = p + 1 < from.size() ? from[p + 1] : ray.adversarial ? ray.c_exit : from[p] + 2;
    const mpq_class mid = (from[p] + to) / 2;
    Vector at = x;
    for (std::size_t k = 0; k < at.size(); ++k) at[k] += mid * v[k];
    pieces.push_back({{"from", to_json(from[p])}, {"pattern", engine.pattern(at)}});
  }
  json j = {{"adversarial", ray.adversarial}, {"label_before", ray.label_before}, {"pieces", pieces}};
  if (ray.adversarial) {
    j["c_exit"] = to_json(ray.c_exit);
    j["label_after"] = ray.label_after;
    j["differs_at_exit"] = ray.differs_at_exit;
  }
  return j;
}

}  // namespace advdir::exact
