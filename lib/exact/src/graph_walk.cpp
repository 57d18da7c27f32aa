// The graph's ray walk, incremental (PROOFS.md, "Ray restriction", with max-pool switches
// as kinks): on a piece every value is affine in c, alpha + c beta. At a kink c* only the
// units that switch there change their output, and the change (delta alpha, delta beta)
// flows downstream through the linear parts alone; values at c* do not move (the graph is
// continuous), so a unit downstream changes its choice only where its value at c* is 0 and
// its slope changed. Each ReLU's zero and each window's next overtaking are kept in a heap
// and recomputed only for the entries whose alpha or beta changed.
#include "graph_engine.hpp"
#include "ray_exit.hpp"

#include <algorithm>
#include <optional>
#include <queue>
#include <stdexcept>

namespace advdir::exact {

using namespace engine;

namespace {

// Where entry `entry` of node `node` (a ReLU's unit or a window) next switches; stale once
// the entry's version moved on.
struct Root {
  Position at;
  std::size_t node, entry;
  std::uint32_t version;
};

// b's root before a's: p_b q_a < p_a q_b, in scratch integers (the heap compares often).
struct Later {
  bool operator()(const Root& a, const Root& b) const {
    thread_local mpz_class l, r;
    mpz_mul(l.get_mpz_t(), b.at.p.get_mpz_t(), a.at.q.get_mpz_t());
    mpz_mul(r.get_mpz_t(), a.at.p.get_mpz_t(), b.at.q.get_mpz_t());
    return mpz_cmp(l.get_mpz_t(), r.get_mpz_t()) < 0;
  }
};

// num / den as a Position with a positive denominator (den != 0), their common power of
// two removed (the denominators of float weights are powers of two: this keeps roots short).
Position ratio(const Int& num, const Int& den) {
  Position r{num.mpz(), den.mpz()};
  if (sgn(r.q) < 0) r.p = -r.p, r.q = -r.q;
  const mp_bitcnt_t twos = sgn(r.p) == 0 ? mpz_scan1(r.q.get_mpz_t(), 0)
                                         : std::min(mpz_scan1(r.p.get_mpz_t(), 0), mpz_scan1(r.q.get_mpz_t(), 0));
  mpz_tdiv_q_2exp(r.p.get_mpz_t(), r.p.get_mpz_t(), twos);
  mpz_tdiv_q_2exp(r.q.get_mpz_t(), r.q.get_mpz_t(), twos);
  return r;
}

// f = big / small, which must divide: the factor taking a linear map's denominator to its value's.
Int quotient(const Int& big, const Int& small) {
  if (!fmpz_divisible(big.get(), small.get())) throw std::logic_error("graph walk: denominators out of step");
  Int f;
  fmpz_divexact(f.get(), big.get(), small.get());
  return f;
}

class Walk {
public:
  Walk(const Graph& g, const std::vector<Compiled>& nodes, const Vector& x, const Vector& v) : g_(g), nodes_(nodes), N_(g.nodes.size()) {
    B_.resize(N_ + 1);
    B_[0] = to_ints(v);
    A_ = forward(g_, nodes_, x, &B_);
    dA_.resize(N_ + 1), dB_.resize(N_ + 1), changed_.resize(N_ + 1), mark_.resize(N_ + 1);
    for (std::size_t k = 0; k <= N_; ++k) {
      dA_[k].num.assign(A_[k].num.size(), Int()), dB_[k].num.assign(B_[k].num.size(), Int());
      mark_[k].assign(A_[k].num.size(), 0);
    }
    choice_.resize(N_), version_.resize(N_), factor_.resize(N_), forced_.resize(N_);
    at_t();
    for (std::size_t k = 0; k < N_; ++k) init_node(k);
  }

  // The outputs on the current piece: (z0 + c z1) / den.
  AffineOutputs outputs() const {
    const Ints &a = A_.back(), &b = B_.back();
    AffineOutputs o{{}, {}, a.den.mpz() * b.den.mpz()};
    for (std::size_t m = 0; m < a.num.size(); ++m) {
      o.z0.push_back(a.num[m].mpz() * b.den.mpz());
      o.z1.push_back(b.num[m].mpz() * a.den.mpz());
    }
    return o;
  }

  const Position& at() const { return t_; }

  // The next kink or switch after the current position, if any.
  const Position* next() {
    while (!heap_.empty() && stale(heap_.top())) heap_.pop();
    return heap_.empty() ? nullptr : &heap_.top().at;
  }

  // Moves to the kink `to` (next()'s): the entries switching there, then every change
  // downstream of them, node by node.
  void advance(Position to) {
    t_ = std::move(to);
    const mpz_class common = gcd(t_.p, t_.q);
    t_.p /= common, t_.q /= common;
    at_t();
    while (next() && *next() == t_) {
      forced_[heap_.top().node].push_back(heap_.top().entry);
      heap_.pop();
    }
    for (std::size_t k = 0; k < N_; ++k) step_node(k);
    for (std::size_t k = 0; k <= N_; ++k) {
      for (std::size_t i : changed_[k]) fmpz_zero(dA_[k].num[i].get()), fmpz_zero(dB_[k].num[i].get()), mark_[k][i] = 0;
      changed_[k].clear();
    }
  }

private:
  const Graph& g_;
  const std::vector<Compiled>& nodes_;
  const std::size_t N_;
  std::vector<Ints> A_, B_;    // every value's intercept and slope on the piece
  std::vector<Ints> dA_, dB_;  // their change at the kink (over the same denominators)
  std::vector<std::vector<std::size_t>> changed_;  // the entries with a change
  std::vector<std::vector<char>> mark_;
  std::vector<std::vector<std::size_t>> choice_;   // relu: 1 on; maxpool: the winning cell
  std::vector<std::vector<std::uint32_t>> version_;
  std::vector<std::vector<std::pair<Int, Int>>> factor_;  // per input: value den / linear map's den (alpha, beta)
  std::vector<std::vector<std::size_t>> forced_;   // entries whose root is the current kink
  std::priority_queue<Root, std::vector<Root>, Later> heap_;
  Position t_;
  std::vector<Int> u_, w_;  // per value: t's q times the slope's den, t's p times the intercept's den

  // A value's entry at t, up to a positive factor, is alpha_num u + beta_num w.
  void at_t() {
    u_.resize(N_ + 1), w_.resize(N_ + 1);
    const Int tp(t_.p), tq(t_.q);
    for (std::size_t v = 0; v <= N_; ++v) {
      fmpz_mul(u_[v].get(), tq.get(), B_[v].den.get());
      fmpz_mul(w_[v].get(), tp.get(), A_[v].den.get());
    }
  }

  bool stale(const Root& r) const { return version_[r.node][r.entry] != r.version; }

  std::size_t input(std::size_t k) const { return g_.nodes[k].inputs[0]; }

  mutable Int l_, r_;  // scratch for the comparisons below

  // The sign of entry i of value `in` at the current position.
  int sign_at(std::size_t in, std::size_t i) const {
    fmpz_mul(l_.get(), A_[in].num[i].get(), u_[in].get());
    fmpz_addmul(l_.get(), B_[in].num[i].get(), w_[in].get());
    return fmpz_sgn(l_.get());
  }

  // Cell j's value minus cell w's at the current position, as a sign.
  int compare_at(std::size_t in, std::size_t j, std::size_t w) const {
    Int &a = l_, &b = r_;
    fmpz_sub(a.get(), A_[in].num[j].get(), A_[in].num[w].get());
    fmpz_mul(a.get(), a.get(), u_[in].get());
    fmpz_sub(b.get(), B_[in].num[j].get(), B_[in].num[w].get());
    fmpz_addmul(a.get(), b.get(), w_[in].get());
    return fmpz_sgn(a.get());
  }

  bool decide_relu(std::size_t k, std::size_t i) const {
    return relu_on(sign_at(input(k), i), fmpz_sgn(B_[input(k)].num[i].get()));
  }

  std::size_t decide_window(std::size_t k, std::size_t i) const {
    const std::vector<Cell>& cells = nodes_[k].windows[i];
    const Ints& b = B_[input(k)];
    return first_largest(
        cells.size(), [&](std::size_t j, std::size_t w) { return compare_at(input(k), cells[j].at, cells[w].at); },
        [&](std::size_t j, std::size_t w) { return fmpz_cmp(b.num[cells[j].at].get(), b.num[cells[w].at].get()); });
  }

  // A ReLU unit's zero -alpha / beta, when after the current position.
  void push_relu(std::size_t k, std::size_t i) {
    const Ints &a = A_[input(k)], &b = B_[input(k)];
    if (fmpz_is_zero(b.num[i].get())) return;
    Int &p = l_, &q = r_;
    fmpz_mul(p.get(), a.num[i].get(), b.den.get());
    fmpz_neg(p.get(), p.get());
    fmpz_mul(q.get(), b.num[i].get(), a.den.get());
    push(ratio(p, q), k, i);
  }

  // A window's first overtaking: cell j passes the winner w at (alpha_w - alpha_j) / (beta_j - beta_w).
  void push_window(std::size_t k, std::size_t i) {
    const std::vector<Cell>& cells = nodes_[k].windows[i];
    const Ints &a = A_[input(k)], &b = B_[input(k)];
    const std::size_t w = cells[choice_[k][i]].at;
    std::optional<Position> first;
    Int &p = l_, &q = r_;
    for (const Cell& cell : cells) {
      if (fmpz_cmp(b.num[cell.at].get(), b.num[w].get()) <= 0) continue;
      fmpz_sub(p.get(), a.num[w].get(), a.num[cell.at].get());
      fmpz_mul(p.get(), p.get(), b.den.get());
      fmpz_sub(q.get(), b.num[cell.at].get(), b.num[w].get());
      fmpz_mul(q.get(), q.get(), a.den.get());
      Position r = ratio(p, q);
      if (!first || r < *first) first = std::move(r);
    }
    if (first) push(std::move(*first), k, i);
  }

  void push(Position r, std::size_t k, std::size_t i) {
    if (t_ < r) heap_.push({std::move(r), k, i, version_[k][i]});
  }

  void init_node(std::size_t k) {
    const GraphNode& n = g_.nodes[k];
    const std::size_t size = A_[k + 1].num.size();
    if (n.op == Op::relu || n.op == Op::maxpool) {  // outputs copy input entries: the same denominator
      over_multiple(A_[k + 1], A_[input(k)].den), over_multiple(B_[k + 1], B_[input(k)].den);
    }
    if (n.op == Op::relu) {
      choice_[k].resize(size), version_[k].assign(size, 0);
      for (std::size_t i = 0; i < size; ++i) choice_[k][i] = decide_relu(k, i), push_relu(k, i);
      return;
    }
    if (n.op == Op::maxpool) {
      choice_[k].resize(size), version_[k].assign(size, 0);
      for (std::size_t i = 0; i < size; ++i) choice_[k][i] = decide_window(k, i), push_window(k, i);
      return;
    }
    // the linear part's denominator L on its inputs (run once on the zero delta); the
    // value's denominator becomes a multiple of L, so that every delta is an integer there
    Ints a, b;
    affine(n, nodes_[k], deltas(dA_, k), false, false, a);
    affine(n, nodes_[k], deltas(dB_, k), false, false, b);
    over_multiple(A_[k + 1], a.den), over_multiple(B_[k + 1], b.den);
    for (std::size_t m = 0; m < n.inputs.size(); ++m) {
      const bool per_input = n.op == Op::add || n.op == Op::gather;  // their map takes each input to the common denominator
      factor_[k].emplace_back(quotient(A_[k + 1].den, per_input ? A_[n.inputs[m]].den : a.den),
                              quotient(B_[k + 1].den, per_input ? B_[n.inputs[m]].den : b.den));
    }
  }

  // v over lcm(v.den, L).
  static void over_multiple(Ints& v, const Int& L) {
    Int D, f;
    fmpz_lcm(D.get(), v.den.get(), L.get());
    if (fmpz_equal(D.get(), v.den.get())) return;
    fmpz_divexact(f.get(), D.get(), v.den.get());
    for (Int& x : v.num) fmpz_mul(x.get(), x.get(), f.get());
    v.den = D;
  }

  std::vector<const Ints*> deltas(const std::vector<Ints>& d, std::size_t k) {
    std::vector<const Ints*> xs;
    for (std::size_t i : g_.nodes[k].inputs) {
      dA_[i].den = A_[i].den, dB_[i].den = B_[i].den;
      xs.push_back(&d[i]);
    }
    return xs;
  }

  // Records entry i of value v as changed.
  void touch(std::size_t v, std::size_t i) {
    if (mark_[v][i]) return;
    mark_[v][i] = 1;
    changed_[v].push_back(i);
  }

  // Output entry i of node k becomes (alpha, beta) of input entry `from` (or 0): the delta.
  void set_output(std::size_t k, std::size_t i, const Int* alpha, const Int* beta) {
    const std::size_t v = k + 1;
    fmpz_sub(dA_[v].num[i].get(), alpha ? alpha->get() : Int().get(), A_[v].num[i].get());
    fmpz_sub(dB_[v].num[i].get(), beta ? beta->get() : Int().get(), B_[v].num[i].get());
    if (fmpz_is_zero(dA_[v].num[i].get()) && fmpz_is_zero(dB_[v].num[i].get())) return;
    touch(v, i);
    fmpz_add(A_[v].num[i].get(), A_[v].num[i].get(), dA_[v].num[i].get());
    fmpz_add(B_[v].num[i].get(), B_[v].num[i].get(), dB_[v].num[i].get());
  }

  // Each entry once: a second visit would see its own change as none.
  static void unique(std::vector<std::size_t>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }

  void step_node(std::size_t k) {
    const GraphNode& n = g_.nodes[k];
    bool any = !forced_[k].empty();
    for (std::size_t i : n.inputs) any = any || !changed_[i].empty();
    if (!any) return;
    const std::size_t in = input(k);
    std::vector<std::size_t> candidates = forced_[k];
    forced_[k].clear();
    if (n.op == Op::relu) {
      candidates.insert(candidates.end(), changed_[in].begin(), changed_[in].end());
      unique(candidates);
      for (std::size_t i : candidates) {
        const bool on = decide_relu(k, i);
        choice_[k][i] = on;
        set_output(k, i, on ? &A_[in].num[i] : nullptr, on ? &B_[in].num[i] : nullptr);
        ++version_[k][i];
        push_relu(k, i);
      }
    } else if (n.op == Op::maxpool) {
      for (std::size_t j : changed_[in]) candidates.insert(candidates.end(), nodes_[k].windows_at[j].begin(), nodes_[k].windows_at[j].end());
      unique(candidates);
      for (std::size_t i : candidates) {
        choice_[k][i] = decide_window(k, i);
        const std::size_t w = nodes_[k].windows[i][choice_[k][i]].at;
        set_output(k, i, &A_[in].num[w], &B_[in].num[w]);
        ++version_[k][i];
        push_window(k, i);
      }
    } else {
      linear_step(k);
    }
  }

  // An affine node: the deltas of its inputs through its linear part, times the factor to
  // its value's denominator.
  void linear_step(std::size_t k) {
    const GraphNode& n = g_.nodes[k];
    const Compiled& c = nodes_[k];
    const std::size_t v = k + 1, in = input(k);
    for (int part = 0; part < 2; ++part) {
      std::vector<Ints>& d = part == 0 ? dA_ : dB_;
      std::vector<Int>& out = d[v].num;
      auto factor = [&](std::size_t m) -> const Int& { return part == 0 ? factor_[k][m].first : factor_[k][m].second; };
      switch (n.op) {
        case Op::dense:
          dense_products<IntRing>(out.size(), d[in].num.size(), changed_[in], c.w.data(), d[in].num.data(), out.data());
          break;
        case Op::conv: conv_scatter<IntRing>(n, c.w.data(), d[in].num.data(), changed_[in], out.data()); break;
        case Op::scale:
          for (std::size_t i : changed_[in]) fmpz_mul(out[i].get(), c.w[i].get(), d[in].num[i].get());
          break;
        case Op::avgpool:
          for (std::size_t i = 0; i < c.windows.size(); ++i) {
            for (const Cell& cell : c.windows[i]) fmpz_add(out[i].get(), out[i].get(), d[in].num[cell.at].get());
            fmpz_mul(out[i].get(), out[i].get(), c.mult[i].get());
          }
          break;
        case Op::add:
          for (std::size_t m = 0; m < n.inputs.size(); ++m)
            for (std::size_t i : changed_[n.inputs[m]])
              (n.signs[m] > 0 ? fmpz_addmul : fmpz_submul)(out[i].get(), d[n.inputs[m]].num[i].get(), factor(m).get());
          break;
        case Op::gather:
          for (std::size_t i = 0; i < n.source.size(); ++i)
            if (const auto& [m, j] = n.source[i]; j >= 0)
              fmpz_mul(out[i].get(), d[n.inputs[m]].num[std::size_t(j)].get(), factor(m).get());
          break;
        case Op::relu:
        case Op::maxpool: break;
      }
      const bool scaled = n.op != Op::add && n.op != Op::gather;
      for (std::size_t i = 0; i < out.size(); ++i) {
        if (fmpz_is_zero(out[i].get())) continue;
        if (scaled) fmpz_mul(out[i].get(), out[i].get(), factor(0).get());
        fmpz_add((part == 0 ? A_ : B_)[v].num[i].get(), (part == 0 ? A_ : B_)[v].num[i].get(), out[i].get());
        touch(v, i);
      }
    }
  }
};

}  // namespace

NetRay GraphEngine::ray(const Vector& x, const Vector& v) const {
  check_size(x, impl_->g.input_dim(), "point");
  check_size(v, impl_->g.input_dim(), "direction");
  const Graph& g = impl_->g;
  Walk walk(g, impl_->nodes, x, v);
  NetRay ray;
  ray.label_before = decide(g.decision, g.threshold, walk.outputs().at(walk.at()), false);
  for (;;) {
    const Position* next = walk.next();
    const std::optional<Position> to = next ? std::optional<Position>(*next) : std::nullopt;
    if (first_exit(g.decision, g.threshold, ray.label_before, walk.outputs(), walk.at(), to ? &*to : nullptr, ray)) {
      if (!ray.breakpoints.empty() && ray.breakpoints.back() == ray.c_exit) ray.breakpoints.pop_back();
      return ray;
    }
    if (!to) return ray;
    walk.advance(*to);
    ray.breakpoints.push_back(to->value());
  }
}

}  // namespace advdir::exact
