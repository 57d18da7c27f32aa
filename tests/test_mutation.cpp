#define BOOST_TEST_MODULE mutation
// The checker under mutation, for the certificate kinds beyond lemma3, farkas, 4, 5 and
// corollary6 (test_check): 8, 11, 15, 16, corollary17, counterexample_relu (both
// outcomes) and ray (linear and every net kind). Each valid certificate is mutated
// numerically and semantically, and each mutation is judged by an independent
// recomputation: the exact layer re-derives the claim from the mutated certificate's
// own inputs (data, models, choices), and the mutation is valid exactly when every
// claimed field equals the re-derived one. The checker must agree every time.
#include "advdir/bridge/separator.hpp"
#include "advdir/check/check.hpp"
#include "advdir/exact/certificate.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/linear_model.hpp"
#include "advdir/exact/linear_transfer.hpp"
#include "advdir/exact/relu.hpp"
#include "advdir/exact/soft_margin.hpp"

#include "dump.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <functional>
#include <map>
#include <random>

using namespace advdir;
using namespace advdir::exact;

namespace {

// --- the oracle: re-derive the claim with the exact layer -------------------------------

// Keys whose strings are names or bit patterns, compared as text; every other string is a
// rational, compared by value (the checker accepts unreduced fractions).
bool textual(const std::string& key) {
  return key == "pattern" || key == "why" || key == "kind" || key == "rule" || key == "format" || key == "theorem" || key == "outcome" || key == "pair";
}

// Claimed == re-derived: the same keys, lengths and values.
bool same(const json& a, const json& b, const std::string& key = "") {
  if (a.is_object()) {
    if (!b.is_object() || a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it)
      if (!b.contains(it.key()) || !same(it.value(), b[it.key()], it.key())) return false;
    return true;
  }
  if (a.is_array()) {
    if (!b.is_array() || a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same(a[i], b[i], key)) return false;
    return true;
  }
  if (a.is_string() && b.is_string() && !textual(key)) {
    try {
      return parse_rational(a.get<std::string>()) == parse_rational(b.get<std::string>());
    } catch (const std::invalid_argument&) {
      return false;
    }
  }
  if (a.is_number_float() || b.is_number_float()) return false;
  return a == b;
}

// Inline data as the exact layer reads it, with an optional "pair" ([K, L] or [K, "rest"]).
Dataset data_of(const json& ref) {
  for (auto it = ref.begin(); it != ref.end(); ++it)
    if (it.key() != "format" && it.key() != "labels" && it.key() != "points" && it.key() != "pair") throw InputError("oracle", "unknown data key");
  if (ref.at("format") != "inline") throw InputError("oracle", "not inline");
  std::vector<Vector> xs;
  for (const json& p : ref.at("points")) xs.push_back(vector_from_json(p, "x"));
  std::vector<int> ys;
  for (const json& y : ref.at("labels")) {
    if (!y.is_number_integer() || y.get<long long>() < -2147483647 || y.get<long long>() > 2147483647 ||
        (y.is_number_unsigned() && y.get<unsigned long long>() > 2147483647))
      throw InputError("oracle", "label");
    ys.push_back(int(y.get<long long>()));
  }
  Dataset S = make_dataset(xs, ys, "mutated");
  if (S.dim() == 0) throw InputError("oracle", "d = 0");
  if (ref.contains("pair")) {
    const json& p = ref["pair"];
    if (!p.is_array() || p.size() != 2 || !p[0].is_number_integer() || std::llabs(p[0].get<long long>()) > 2147483647) throw InputError("oracle", "pair");
    const int k = int(p[0].get<long long>());
    if (p[1] == "rest") return binary_pair(S, k, rest);
    if (!p[1].is_number_integer() || std::llabs(p[1].get<long long>()) > 2147483647 || (p[1].is_number_unsigned() && p[1].get<unsigned long long>() > 2147483647))
      throw InputError("oracle", "pair");
    return binary_pair(S, k, int(p[1].get<long long>()));
  }
  return S;
}

std::size_t index_of(const json& j, std::size_t n) {
  if (!j.is_number_integer() || j.get<long long>() < 0 || (j.is_number_unsigned() && j.get<unsigned long long>() >= n) ||
      std::size_t(j.get<long long>()) >= n)
    throw InputError("oracle", "index");
  return std::size_t(j.get<long long>());
}

// The separator fields of `obj` on S: w*, b*, margin_sq equal the exact max-margin
// separator's, and support/alpha satisfy KKT exactly (the multipliers need not be unique).
bool separator_holds(const json& obj, const Dataset& S) {
  if (!S.is_binary()) return false;
  const SeparatorResult r = bridge::max_margin_separator(S);
  if (!r.separable) return false;
  std::vector<std::size_t> support;
  for (const json& i : obj.at("support")) support.push_back(index_of(i, S.size()));
  const MaxMarginSeparator claimed{vector_from_json(obj.at("w_star"), "w"), rational_from_json(obj.at("b_star"), "b"), support,
                                   vector_from_json(obj.at("alpha"), "a"), rational_from_json(obj.at("margin_sq"), "m")};
  return !kkt_violation(S, claimed) && claimed.w_star == r.separator.w_star && claimed.b_star == r.separator.b_star &&
         claimed.margin_sq == r.separator.margin_sq;
}

// `claimed` equals `derived` in every field but the separator's, which must hold on S.
bool same_but_separator(json claimed, json derived, const Dataset& S) {
  if (!separator_holds(claimed, S)) return false;
  for (const char* k : {"w_star", "b_star", "support", "alpha", "margin_sq"}) claimed.erase(k), derived.erase(k);
  return same(claimed, derived);
}

// Every hidden unit's input at x, by a naive rational evaluation of the layers.
std::vector<Vector> pre_activations(const ReluNet& net, Vector x) {
  std::vector<Vector> out;
  for (std::size_t L = 0; L + 1 < net.layers.size(); ++L) {
    Vector a;
    for (std::size_t r = 0; r < net.layers[L].W.size(); ++r) a.push_back(dot(net.layers[L].W[r], x) + net.layers[L].b[r]);
    out.push_back(a);
    for (mpq_class& q : a) q = q > 0 ? q : mpq_class(0);
    x = a;
  }
  return out;
}

// The pieces of a ray claim are a witness, not the claim: any pattern whose every unit
// has its bit's sign (1: >= 0, 0: <= 0) all along its piece will do. Checked by exact
// evaluation at the piece's ends, at the walk's true kinks inside it and between them
// (and one past the last, for the unbounded piece); between two true kinks every unit is
// affine with one sign, so these points decide it.
bool pieces_hold(const ReluNet& net, const Vector& x, const Vector& v, const json& claim, const NetRay& ray) {
  const json& pieces = claim.at("pieces");
  if (!pieces.is_array() || pieces.empty()) return false;
  std::vector<mpq_class> from;
  for (const json& p : pieces) {
    if (!p.is_object() || p.size() != 2) return false;
    from.push_back(rational_from_json(p.at("from"), "from"));
  }
  if (from[0] != 0) return false;
  for (std::size_t k = 1; k < from.size(); ++k)
    if (from[k] <= from[k - 1]) return false;
  if (ray.adversarial && from.back() > ray.c_exit) return false;
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    const json& pattern = pieces[k].at("pattern");
    if (!pattern.is_array() || pattern.size() + 1 != net.layers.size()) return false;
    const bool last = k + 1 == pieces.size();
    const std::optional<mpq_class> to = !last ? std::optional(from[k + 1]) : ray.adversarial ? std::optional(ray.c_exit) : std::nullopt;
    std::vector<mpq_class> at = {from[k]};
    for (const mpq_class& b : ray.breakpoints)
      if (b > from[k] && (!to || b < *to)) at.push_back(b);
    if (to) at.push_back(*to);
    else at.push_back(at.back() + 1);
    for (std::size_t i = at.size() - 1; i > 0; --i) at.push_back((at[i] + at[i - 1]) / 2);
    for (const mpq_class& c : at) {
      Vector p = x;
      for (std::size_t j = 0; j < p.size(); ++j) p[j] += c * v[j];
      const std::vector<Vector> z = pre_activations(net, p);
      for (std::size_t L = 0; L < z.size(); ++L) {
        if (!pattern[L].is_string() || pattern[L].get<std::string>().size() != z[L].size()) return false;
        const std::string bits = pattern[L];
        for (std::size_t r = 0; r < bits.size(); ++r)
          if (bits[r] == '1' ? z[L][r] < 0 : bits[r] == '0' ? z[L][r] > 0 : true) return false;
      }
    }
  }
  return true;
}

// A ray claim (with "pieces") equals the exact walk's, its pieces judged as a witness.
bool ray_claim_holds(const ReluNet& net, const Vector& x, const Vector& v, json claimed, json derived) {
  if (!claimed.contains("pieces") || !pieces_hold(net, x, v, claimed, net_ray(net, x, v))) return false;
  claimed.erase("pieces"), derived.erase("pieces");
  return same(claimed, derived);
}

json ray_derived(const json& cert) {
  const json& model = cert.at("model");
  if (model.at("kind") == "linear") {
    const LinearModel h = linear_model_from_json(model, "m");
    const Vector x = vector_from_json(cert.at("point"), "x"), v = vector_from_json(cert.at("direction"), "v");
    if (x.size() != h.w.size() || v.size() != h.w.size()) throw InputError("oracle", "dims");
    const LinearRay r = linear_ray(h, x, v);
    json j = {{"adversarial", r.adversarial}, {"label_before", r.label_before}};
    if (r.adversarial) j.update({{"c_exit", to_json(r.c_exit)}, {"label_after", -r.label_before}, {"differs_at_exit", r.differs_at_exit}});
    else j.update({{"score", to_json(r.score)}, {"slope", to_json(r.slope)}});
    j.update({{"format", "advdir-cert/1"}, {"theorem", "ray"}, {"model", to_json(h)}, {"point", to_json(x)}, {"direction", to_json(v)}});
    return j;
  }
  const ReluNet net = relu_net_from_json(model, "m");
  const Vector x = vector_from_json(cert.at("point"), "x"), v = vector_from_json(cert.at("direction"), "v");
  if (x.size() != net.input_dim() || v.size() != net.input_dim()) throw InputError("oracle", "dims");
  const NetRay r = net_ray(net, x, v);
  json j = ray_claim(r, ray_pieces(net, x, v, r));
  j.update({{"format", "advdir-cert/1"}, {"theorem", "ray"}, {"model", to_json(net)}, {"point", to_json(x)}, {"direction", to_json(v)}});
  return j;
}

bool ray_valid(const json& cert) {
  const json derived = ray_derived(cert);
  if (cert.at("model").at("kind") == "linear") return same(cert, derived);
  const ReluNet net = relu_net_from_json(cert["model"], "m");
  return ray_claim_holds(net, vector_from_json(cert.at("point"), "x"), vector_from_json(cert.at("direction"), "v"), cert, derived);
}

// Theorem 11: the fields of the re-derived certificate, each point's ray claim judged with
// its pieces as a witness.
bool theorem11_valid(const json& cert) {
  const Dataset S = data_of(cert.at("data"));
  const ReluNet net = relu_net_from_json(cert.at("model"), "m");
  if (!same(to_json(net), cert["model"])) return false;
  const json& label = cert.at("convex_label");
  if (!label.is_number_integer() || (label != 1 && label != -1)) return false;
  const std::size_t a = index_of(cert.at("alpha"), S.size()), b = index_of(cert.at("beta"), S.size());
  json derived = theorem11_certificate(cert["data"], to_json(net), certify_theorem11(S, net, label.get<int>(), a, b));
  json claimed = cert;
  if (!claimed.at("points").is_array() || claimed["points"].size() != derived["points"].size()) return false;
  Vector v = S.point(b);
  for (std::size_t j = 0; j < v.size(); ++j) v[j] -= S.point(a)[j];
  for (std::size_t k = 0; k < derived["points"].size(); ++k) {
    const json& p = claimed["points"][k];
    if (!p.is_object() || !same(p.at("point"), derived["points"][k]["point"])) return false;
    if (!ray_claim_holds(net, S.point(derived["points"][k]["point"].get<std::size_t>()), v, p, derived["points"][k])) return false;
  }
  claimed.erase("points"), derived.erase("points");
  return same(claimed, derived);
}

// A pair of Theorem 8 or 9: its fields are the re-derived ones (the separator as it holds
// on S), and each listed transfer is the re-derived transfer of its classifier (a
// certificate may list only some of them).
bool pair_entry_holds(json claimed, json derived, const Dataset& S, std::size_t classifiers) {
  if (!claimed.at("transfers").is_array()) return false;
  const json mine = claimed["transfers"], theirs = derived["transfers"];
  claimed.erase("transfers"), derived.erase("transfers");
  if (!same_but_separator(claimed, derived, S)) return false;
  for (const json& t : mine) {
    const std::size_t c = index_of(t.at("classifier"), classifiers);
    const auto it = std::find_if(theirs.begin(), theirs.end(), [&](const json& u) { return u["classifier"] == c; });
    if (it == theirs.end() || !same(t, *it)) return false;
  }
  return true;
}

// Theorem 8 claims each listed pair's separator and each listed transfer.
bool theorem8_valid(const json& cert) {
  const Dataset S = data_of(cert.at("data"));
  std::vector<MulticlassModel> hs;
  for (const json& h : cert.at("classifiers")) hs.push_back(multiclass_model_from_json(h, "h"));
  for (const MulticlassModel& h : hs)
    if (!same(to_json(h), cert["classifiers"][&h - hs.data()])) return false;
  if (!cert.at("pairs").is_array() || cert["pairs"].empty()) return false;
  json top = cert, derived_top = theorem8_certificate(cert["data"], hs, {});
  top.erase("pairs"), derived_top.erase("pairs");
  if (!same(top, derived_top)) return false;
  for (const json& p : cert["pairs"]) {
    if (!p.at("k").is_number_integer() || !p.at("l").is_number_integer() || p["k"] == p["l"]) return false;
    const int k = p["k"].get<int>(), l = p["l"].get<int>();
    if (json(k) != p["k"] || json(l) != p["l"]) return false;
    const Dataset P = binary_pair(S, k, l);
    const SeparatorResult r = bridge::max_margin_separator(P);
    if (!r.separable) return false;
    const PairReport rep = certify_pair_transfer(P, k, l, r.separator, hs);
    if (!pair_entry_holds(p, theorem8_certificate(cert["data"], hs, {{r.separator, rep}})["pairs"][0], P, hs.size())) return false;
  }
  return true;
}

std::vector<Dataset> sets_of(const json& refs) {
  std::vector<Dataset> sets;
  for (const json& ref : refs) sets.push_back(data_of(ref));
  if (sets.empty()) throw InputError("oracle", "one training set per classifier, at least one");
  for (const Dataset& T : sets)
    if (T.dim() != sets[0].dim()) throw InputError("oracle", "widths");
  return sets;
}

bool confident_of(const json& cert) {
  if (!cert.at("confident").is_boolean()) throw InputError("oracle", "confident");
  return cert["confident"].get<bool>();
}

// Theorem 7: S re-derived from the training sets, then Theorem 4 on S.
bool theorem7_valid(const json& cert) {
  const std::vector<Dataset> sets = sets_of(cert.at("data"));
  std::vector<LinearModel> hs;
  for (const json& h : cert.at("classifiers")) hs.push_back({vector_from_json(h.at("w"), "w"), rational_from_json(h.at("b"), "b")});
  if (hs.size() != sets.size()) return false;
  for (const LinearModel& h : hs)
    if (h.w.size() != sets[0].dim()) return false;
  const bool confident = confident_of(cert);
  const CommonSubset common = common_correct(sets, hs, confident);
  const SeparatorResult r = bridge::max_margin_separator(common.S);
  if (!r.separable) return false;
  const TransferReport report = certify_linear_transfer(common.S, r.separator, hs);
  if (!report.rejected.empty()) return false;
  const json derived = theorem7_certificate(std::vector<json>(cert["data"].begin(), cert["data"].end()), confident, common,
                                            soft_margin_stats(sets, hs), r.separator, report);
  return same_but_separator(cert, derived, common.S);
}

// Theorem 9: per listed pair, S re-derived from the training sets, then Theorem 8 on S.
bool theorem9_valid(const json& cert) {
  const std::vector<Dataset> sets = sets_of(cert.at("data"));
  std::vector<MulticlassModel> hs;
  for (const json& h : cert.at("classifiers")) hs.push_back(multiclass_model_from_json(h, "h"));
  if (hs.size() != sets.size()) return false;
  for (std::size_t c = 0; c < hs.size(); ++c)
    if (!same(to_json(hs[c]), cert["classifiers"][c]) || hs[c].W[0].size() != sets[0].dim()) return false;
  const bool confident = confident_of(cert);
  const std::vector<json> refs(cert["data"].begin(), cert["data"].end());
  json top = cert, derived_top = theorem9_certificate(refs, hs, confident, {});
  top.erase("pairs"), derived_top.erase("pairs");
  if (!same(top, derived_top) || !cert.at("pairs").is_array() || cert["pairs"].empty()) return false;
  for (const json& p : cert["pairs"]) {
    if (!p.at("k").is_number_integer() || !p.at("l").is_number_integer() || p["k"] == p["l"]) return false;
    const int k = p["k"].get<int>(), l = p["l"].get<int>();
    if (json(k) != p["k"] || json(l) != p["l"]) return false;
    CommonSubset common = common_correct_pair(sets, hs, k, l, confident);
    const SeparatorResult r = bridge::max_margin_separator(common.S);
    if (!r.separable) return false;
    PairReport rep = certify_pair_transfer(common.S, k, l, r.separator, hs);
    if (!rep.rejected.empty()) return false;
    const Dataset S = common.S;
    const json derived = theorem9_certificate(refs, hs, confident, {{std::move(common), pair_stats(sets, hs, k, l), {r.separator, std::move(rep)}}})["pairs"][0];
    if (!pair_entry_holds(p, derived, S, hs.size())) return false;
  }
  return true;
}

// A net certificate (11, 15, 16): re-derived with the certifier for the claimed choices.
template <class Derive>
bool net_valid(const json& cert, Derive derive) {
  const Dataset S = data_of(cert.at("data"));
  const ReluNet net = relu_net_from_json(cert.at("model"), "m");
  if (!same(to_json(net), cert["model"])) return false;
  return same(cert, derive(S, net, index_of(cert.at("alpha"), S.size()), index_of(cert.at("beta"), S.size())));
}

bool corollary17_valid(const json& cert) {
  const Dataset S = data_of(cert.at("data"));
  const std::size_t a = index_of(cert.at("alpha"), S.size()), b = index_of(cert.at("beta"), S.size());
  std::vector<LinearModel> linear;
  std::vector<ReluNet> nets;
  std::vector<json> models;
  for (const json& h : cert.at("linear")) linear.push_back({vector_from_json(h.at("w"), "w"), rational_from_json(h.at("b"), "b")});
  for (const json& n : cert.at("nets")) {
    nets.push_back(relu_net_from_json(n.at("model"), "m"));
    models.push_back(to_json(nets.back()));
  }
  if (linear.empty() && nets.empty()) return false;
  return same(cert, corollary17_certificate(cert["data"], models, certify_corollary17(S, linear, nets, a, b)));
}

// Section 6's construction: the net branch re-derived; the infeasible branch recomputed
// from its definition, x_i = sum mu_j x_j + nu w* over -1 points, mu >= 0, sum mu = 1, nu >= 0.
bool counterexample_valid(const json& cert) {
  const Dataset S = data_of(cert.at("data"));
  if (!separator_holds(cert, S)) return false;
  const MaxMarginSeparator sep = bridge::max_margin_separator(S).separator;
  if (cert.at("outcome") == "infeasible") {
    if (cert.size() != 10) return false;  // format, theorem, data, outcome, 5 separator fields, infeasible
    const json& f = cert.at("infeasible");
    if (f.size() != 4) return false;
    const std::size_t i = index_of(f.at("point"), S.size());
    const Vector mu = vector_from_json(f.at("mu"), "mu");
    const mpq_class nu = rational_from_json(f.at("nu"), "nu");
    if (S.labels[i] != 1 || nu < 0 || mu.empty() || !f.at("minus_points").is_array() || mu.size() != f["minus_points"].size()) return false;
    Vector sum(S.dim(), 0);
    mpq_class total = 0;
    for (std::size_t t = 0; t < mu.size(); ++t) {
      const std::size_t j = index_of(f["minus_points"][t], S.size());
      if (S.labels[j] != -1 || mu[t] < 0) return false;
      total += mu[t];
      for (std::size_t k = 0; k < S.dim(); ++k) sum[k] += mu[t] * S.point(j)[k];
    }
    for (std::size_t k = 0; k < S.dim(); ++k) sum[k] += nu * sep.w_star[k];
    return total == 1 && sum == S.point(i);
  }
  if (cert.at("outcome") != "counterexample") return false;
  const ReluNet net = relu_net_from_json(cert.at("model"), "m");
  require_counterexample(S, sep, net);
  std::optional<Theorem15> t;
  if (cert.contains("theorem15"))
    t = certify_theorem15(S, net, index_of(cert["theorem15"].at("alpha"), S.size()), index_of(cert["theorem15"].at("beta"), S.size()));
  return same_but_separator(cert, counterexample_certificate(cert["data"], sep, Construction{net, std::nullopt}, t), S);
}

bool debug_oracle = false;

// Is the certificate's claim true, by the exact layer? Input it cannot read is not valid.
bool recomputed_valid(const json& cert) {
  try {
    if (cert.size() < 3 || cert.at("format") != "advdir-cert/1") return false;
    const std::string theorem = cert.at("theorem");
    if (theorem == "ray") return ray_valid(cert);
    if (theorem == "8") return theorem8_valid(cert);
    if (theorem == "7") return theorem7_valid(cert);
    if (theorem == "9") return theorem9_valid(cert);
    if (theorem == "15")
      return net_valid(cert, [&](const Dataset& S, const ReluNet& net, std::size_t a, std::size_t b) {
        return theorem15_certificate(cert["data"], to_json(net), certify_theorem15(S, net, a, b));
      });
    if (theorem == "16")
      return net_valid(cert, [&](const Dataset& S, const ReluNet& net, std::size_t a, std::size_t b) {
        return theorem16_certificate(cert["data"], to_json(net), certify_theorem16(S, net, a, b));
      });
    if (theorem == "11") return theorem11_valid(cert);
    if (theorem == "corollary17") return corollary17_valid(cert);
    if (theorem == "counterexample_relu") return counterexample_valid(cert);
  } catch (const InputError& e) {
    if (debug_oracle) std::cerr << "oracle: " << e.what() << "\n";
  } catch (const HypothesisError& e) {
    if (debug_oracle) std::cerr << "oracle: " << e.what() << "\n";
  } catch (const std::invalid_argument& e) {
    if (debug_oracle) std::cerr << "oracle: " << e.what() << "\n";
  } catch (const json::exception& e) {
    if (debug_oracle) std::cerr << "oracle: " << e.what() << "\n";
  }
  return false;
}

// The checker's verdict; unreadable counts as not valid.
bool checker_valid(const json& cert, std::string& reason) {
  try {
    const check::Verdict v = check::check_certificate(cert, ".");
    reason = v.reason;
    return v.valid;
  } catch (const check::Unreadable& e) {
    reason = std::string("unreadable: ") + e.what();
    return false;
  }
}

// --- the mutations --------------------------------------------------------------------

void leaves(const json& j, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key() != "format" && it.key() != "theorem") leaves(it.value(), at / it.key(), out);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) leaves(j[i], at / i, out);
  } else {
    out.push_back(at);
  }
}

void objects(const json& j, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
  if (j.is_object()) {
    out.push_back(at);
    for (auto it = j.begin(); it != j.end(); ++it) objects(it.value(), at / it.key(), out);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) objects(j[i], at / i, out);
  }
}

std::vector<json> mutations(const json& cert, std::mt19937& rng) {
  std::vector<json> out;
  auto with = [&](const std::function<void(json&)>& f) {
    json m = cert;
    f(m);
    if (m != cert) out.push_back(std::move(m));
  };
  // Numbers: every leaf by several operators; integers also at the int64/uint64 limits.
  std::vector<json::json_pointer> ls;
  leaves(cert, json::json_pointer(), ls);
  for (const auto& at : ls) {
    const json& v = cert[at];
    if (v.is_string()) {
      mpq_class q;
      try {
        q = parse_rational(v.get<std::string>());
      } catch (const std::invalid_argument&) {
        with([&](json& m) { m[at] = v.get<std::string>() + "x"; });
        continue;
      }
      if (at.back() == "pattern" || (!at.parent_pointer().empty() && at.parent_pointer().back() == "pattern")) {
        with([&](json& m) { std::string s = v; s[0] = s[0] == '0' ? '1' : '0'; m[at] = s; });
        continue;
      }
      for (const mpq_class& r : {mpq_class(q + 1), mpq_class(q - mpq_class(1, 7)), mpq_class(-q), mpq_class(q * 2)})
        with([&](json& m) { m[at] = to_string(r); });
    } else if (v.is_number_integer()) {
      const long long i = v.get<long long>();
      for (const json& r : {json(i + 1), json(i - 1), json(-i), json(std::numeric_limits<long long>::max()),
                            json(std::numeric_limits<long long>::min()), json(std::numeric_limits<unsigned long long>::max()),
                            json((unsigned long long)(i) + (1ULL << 63)), json(double(i))})
        with([&](json& m) { m[at] = r; });
    } else if (v.is_boolean()) {
      with([&](json& m) { m[at] = !v.get<bool>(); });
    }
  }
  // Fields: each removed, one added to each object, a field of another kind.
  std::vector<json::json_pointer> os;
  objects(cert, json::json_pointer(), os);
  for (const auto& at : os) {
    for (auto it = cert[at].begin(); it != cert[at].end(); ++it)
      if (at.empty() || rng() % 3 == 0) with([&](json& m) { m[at].erase(it.key()); });
    with([&](json& m) { m[at]["note"] = "1"; });
  }
  for (const char* other : {"c_S", "classes", "infeasible", "test", "pieces", "gamma_h"}) with([&](json& m) { m[other] = json::array(); });
  // The data (each training set of 7 and 9): a point dropped, duplicated, moved to the other
  // class, two swapped; another data spec.
  std::vector<json::json_pointer> datas;
  if (cert.contains("data") && cert["data"].is_object()) datas.emplace_back("/data");
  if (cert.contains("data") && cert["data"].is_array())
    for (std::size_t k = 0; k < cert["data"].size(); ++k) datas.push_back(json::json_pointer("/data") / k);
  for (const auto& at : datas) {
    const json& data = cert[at];
    const std::size_t n = data["labels"].size();
    const std::size_t i = rng() % n, j = rng() % n;
    with([&](json& m) { m[at]["points"].erase(i), m[at]["labels"].erase(i); });
    with([&](json& m) { m[at]["points"].push_back(data["points"][i]), m[at]["labels"].push_back(data["labels"][i]); });
    with([&](json& m) { m[at]["points"].push_back(data["points"][i]), m[at]["labels"].push_back(-data["labels"][i].get<int>()); });
    with([&](json& m) { m[at]["labels"][i] = data["labels"][j]; });
    with([&](json& m) { std::swap(m[at]["points"][i], m[at]["points"][j]); });
    with([&](json& m) { m[at]["pair"] = {1, "rest"}; });
    with([&](json& m) { m[at]["pair"] = {1, -1}; });
    with([&](json& m) { m[at]["pair"] = {-1, 1}; });
    with([&](json& m) { m[at]["format"] = "text"; });
  }
  if (datas.size() > 1) {
    with([&](json& m) { std::swap(m["data"][0], m["data"][1]); });
    with([&](json& m) { m["data"].erase(1); });
  }
  // Separator objects: a support index repeated, multipliers reordered.
  for (const auto& at : os) {
    const json& o = cert[at];
    if (!o.contains("support") || !o.contains("alpha")) continue;
    with([&](json& m) { m[at]["support"].push_back(o["support"][0]), m[at]["alpha"].push_back(o["alpha"][0]); });
    if (o["alpha"].size() > 1) with([&](json& m) { std::swap(m[at]["alpha"][0], m[at]["alpha"][1]); });
  }
  // Theorem 8's per-point claims (c_pair, c_exit, to, differs_at_exit): two points' entries
  // swapped, and one entry repeated at the end.
  for (const auto& at : os) {
    const json& o = cert[at];
    if (!o.contains("c_pair")) continue;
    for (const char* key : {"c_pair", "c_exit", "to", "differs_at_exit"}) {
      if (!o.contains(key) || !o[key].is_array() || o[key].empty()) continue;
      if (o[key].size() > 1) with([&](json& m) { std::swap(m[at][key][0], m[at][key][1]); });
      with([&](json& m) { m[at][key].push_back(o[key][0]); });
    }
  }
  // Models: rows swapped, a unit negated; classes repeated and permuted.
  for (const auto& at : os) {
    const json& o = cert[at];
    if (o.contains("W") && o["W"].is_array() && o["W"].size() > 1) {
      with([&](json& m) { std::swap(m[at]["W"][0], m[at]["W"][1]); });
      with([&](json& m) {
        for (json& q : m[at]["W"][0]) q = to_string(-parse_rational(q.get<std::string>()));
      });
    }
    if (o.contains("classes") && o["classes"].size() > 1) {
      with([&](json& m) { m[at]["classes"][1] = o["classes"][0]; });
      with([&](json& m) { std::swap(m[at]["classes"][0], m[at]["classes"][1]); });
    }
  }
  return out;
}

// --- valid certificates of each kind ------------------------------------------------------

Vector random_point(std::mt19937& rng, std::size_t d) {
  std::uniform_int_distribution<int> num(-8, 8), den(1, 3);
  Vector x;
  for (std::size_t k = 0; k < d; ++k) x.push_back(mpq_class(num(rng), den(rng)));
  for (mpq_class& q : x) q.canonicalize();
  return x;
}

json random_layer(std::mt19937& rng, std::size_t rows, std::size_t cols) {
  json W = json::array(), b = json::array();
  for (std::size_t r = 0; r < rows; ++r) {
    W.push_back(to_json(random_point(rng, cols)));
    b.push_back(to_json(random_point(rng, 1)[0]));
  }
  return {{"W", W}, {"b", b}};
}

// Points labelled by the net, both labels present.
std::optional<Dataset> labelled_by(const ReluNet& net, std::mt19937& rng, std::size_t n) {
  std::vector<Vector> xs;
  std::vector<int> ys;
  for (std::size_t i = 0; i < n; ++i) xs.push_back(random_point(rng, net.input_dim())), ys.push_back(net.label(xs.back()));
  if (std::count(ys.begin(), ys.end(), 1) == 0 || std::count(ys.begin(), ys.end(), -1) == 0) return std::nullopt;
  return make_dataset(xs, ys, "random");
}

json relu2_model(std::mt19937& rng, std::size_t d, std::size_t units) {
  json m = random_layer(rng, units, d);
  json v = json::array();
  for (std::size_t j = 0; j < units; ++j) v.push_back(to_string(mpq_class(1 + rng() % 3, 1 + rng() % 2)));
  m.update({{"kind", "relu2"}, {"v", v}, {"threshold", "1"}, {"rule", rng() % 2 ? "gt" : "ge"}});
  return m;
}

std::vector<json> valid_certificates(const std::string& kind, std::mt19937& rng) {
  std::vector<json> out;
  const std::size_t wanted = kind == "7" || kind == "9" ? 1 : 3;  // their certificates hold many more fields
  for (int attempt = 0; out.size() < wanted && attempt < 200; ++attempt) {
    try {
      if (kind == "ray") {
        const std::size_t d = 2 + attempt % 2;
        std::vector<json> models = {{{"kind", "linear"}, {"w", to_json(random_point(rng, d))}, {"b", "1/2"}}, relu2_model(rng, d, 3)};
        json sum = random_layer(rng, 3, d), both = random_layer(rng, 2, d);
        sum["kind"] = "relu_sum", both["kind"] = "relu_and";
        models.push_back(sum), models.push_back(both);
        models.push_back({{"kind", "mlp"}, {"layers", {random_layer(rng, 3, d), random_layer(rng, 2, 3), random_layer(rng, 1, 2)}}});
        for (const json& model : models) {
          json c = {{"format", "advdir-cert/1"}, {"theorem", "ray"}, {"model", model}, {"point", to_json(random_point(rng, d))},
                    {"direction", to_json(random_point(rng, d))}};
          out.push_back(ray_derived(c));
        }
      } else if (kind == "8") {
        std::vector<Vector> xs;
        std::vector<int> ys;
        const MulticlassModel h{{random_point(rng, 2), random_point(rng, 2), random_point(rng, 2)}, random_point(rng, 3), {0, 1, 2}};
        for (int i = 0; i < 9; ++i) {
          xs.push_back(random_point(rng, 2));
          std::vector<mpq_class> z;
          for (int m = 0; m < 3; ++m) z.push_back(dot(h.W[m], xs.back()) + h.b[m]);
          ys.push_back(int(std::max_element(z.begin(), z.end()) - z.begin()));
        }
        const Dataset S = make_dataset(xs, ys, "three");
        std::vector<PairCertificate> pairs;
        for (auto [k, l] : {std::pair{0, 1}, std::pair{1, 2}}) {
          const Dataset P = binary_pair(S, k, l);
          const MaxMarginSeparator sep = bridge::max_margin_separator(P).separator;
          pairs.push_back({sep, certify_pair_transfer(P, k, l, sep, {h})});
          if (pairs.back().report.certified.empty()) throw HypothesisError("no transfer");
        }
        out.push_back(theorem8_certificate(inline_data(S), {h}, pairs));
      } else if (kind == "7") {
        const LinearModel truth{random_point(rng, 2), mpq_class(1, 2)};
        std::vector<Dataset> sets;
        for (int j = 0; j < 2; ++j) {
          std::vector<Vector> xs;
          std::vector<int> ys;
          while (xs.size() < 6) {
            const Vector x = random_point(rng, 2);
            if (truth.score(x) == 0) continue;
            xs.push_back(x), ys.push_back(truth.label(x));
          }
          sets.push_back(make_dataset(xs, ys, "set"));
        }
        const std::vector<LinearModel> hs = {truth, {{truth.w[0] + mpq_class(1, 5), truth.w[1]}, truth.b}};
        const bool confident = attempt % 2;
        const CommonSubset common = common_correct(sets, hs, confident);
        if (!common.S.is_binary() || std::count(common.S.labels.begin(), common.S.labels.end(), 1) == 0 ||
            std::count(common.S.labels.begin(), common.S.labels.end(), -1) == 0)
          continue;
        const MaxMarginSeparator sep = bridge::max_margin_separator(common.S).separator;
        out.push_back(theorem7_certificate({inline_data(sets[0]), inline_data(sets[1])}, confident, common, soft_margin_stats(sets, hs), sep,
                                           certify_linear_transfer(common.S, sep, hs)));
      } else if (kind == "9") {
        const MulticlassModel h{{random_point(rng, 2), random_point(rng, 2), random_point(rng, 2)}, random_point(rng, 3), {0, 1, 2}};
        MulticlassModel h2 = h;
        h2.b[0] += mpq_class(1, 3);
        std::vector<Dataset> sets;
        for (int j = 0; j < 2; ++j) {
          std::vector<Vector> xs;
          std::vector<int> ys;
          for (int i = 0; i < 9; ++i) {
            xs.push_back(random_point(rng, 2));
            std::vector<mpq_class> z;
            for (int m = 0; m < 3; ++m) z.push_back(dot(h.W[m], xs.back()) + h.b[m]);
            ys.push_back(int(std::max_element(z.begin(), z.end()) - z.begin()));
          }
          sets.push_back(make_dataset(xs, ys, "set"));
        }
        // Two training sets, as in the paper, and one (Theorem 8 where h is right).
        auto certificate = [&](const std::vector<Dataset>& sets, const std::vector<MulticlassModel>& hs) {
          std::vector<Theorem9Pair> pairs;
          std::vector<json> refs;
          for (const Dataset& T : sets) refs.push_back(inline_data(T));
          for (auto [k, l] : {std::pair{0, 1}, std::pair{1, 2}}) {
            CommonSubset common = common_correct_pair(sets, hs, k, l, false);
            const SeparatorResult r = bridge::max_margin_separator(common.S);
            if (!r.separable) throw HypothesisError("not separable");
            PairReport rep = certify_pair_transfer(common.S, k, l, r.separator, hs);
            if (!rep.rejected.empty() || rep.certified.empty()) throw HypothesisError("no transfer");
            pairs.push_back({std::move(common), pair_stats(sets, hs, k, l), {r.separator, std::move(rep)}});
          }
          return theorem9_certificate(refs, hs, false, pairs);
        };
        out.push_back(certificate(sets, {h, h2}));
        out.push_back(certificate({sets[1]}, {h2}));
      } else if (kind == "15" || kind == "corollary17") {
        const ReluNet net = relu_net_from_json(relu2_model(rng, 2, 3), "n");
        const auto S = labelled_by(net, rng, 7);
        if (!S) continue;
        if (kind == "15") {
          out.push_back(theorem15_certificate(inline_data(*S), to_json(net), certify_theorem15(*S, net, std::nullopt, std::nullopt)));
        } else {
          const SeparatorResult r = bridge::max_margin_separator(*S);
          if (!r.separable) continue;
          const LinearModel h{r.separator.w_star, r.separator.b_star};
          out.push_back(corollary17_certificate(inline_data(*S), {to_json(net)}, certify_corollary17(*S, {h}, {net}, std::nullopt, std::nullopt)));
        }
      } else if (kind == "16" || kind == "11") {
        json m = random_layer(rng, 2, 2);
        m["kind"] = attempt % 2 && kind == "11" ? "relu_sum" : "relu_and";
        const ReluNet net = relu_net_from_json(m, "n");
        const auto S = labelled_by(net, rng, 7);
        if (!S) continue;
        out.push_back(kind == "16" ? theorem16_certificate(inline_data(*S), to_json(net), certify_theorem16(*S, net, std::nullopt, std::nullopt))
                                   : theorem11_certificate(inline_data(*S), to_json(net), certify_theorem11(*S, net, std::nullopt, std::nullopt, std::nullopt)));
      } else if (kind == "counterexample_relu" && attempt == 0) {  // Section 6's net, with Theorem 15's fields
        const Dataset S = section6_data();
        const MaxMarginSeparator sep = bridge::max_margin_separator(S).separator;
        const ReluNet net = section6_net();
        out.push_back(counterexample_certificate(inline_data(S), sep, Construction{net, std::nullopt},
                                                 certify_theorem15(S, net, std::nullopt, std::nullopt)));
      } else if (kind == "counterexample_relu") {
        const Vector w = random_point(rng, 2);
        std::vector<Vector> xs;
        std::vector<int> ys;
        while (xs.size() < 6) {
          const Vector x = random_point(rng, 2);
          const mpq_class s = dot(w, x) + mpq_class(1, 3);
          if (s == 0) continue;
          xs.push_back(x), ys.push_back(s > 0 ? 1 : -1);
        }
        const Dataset S = make_dataset(xs, ys, "random");
        const SeparatorResult r = bridge::max_margin_separator(S);
        if (!S.is_binary() || std::count(ys.begin(), ys.end(), 1) == 0 || std::count(ys.begin(), ys.end(), -1) == 0 || !r.separable) continue;
        const Construction c = construct_counterexample(S, r.separator);
        std::optional<Theorem15> t;
        if (c.net) t = certify_theorem15(S, *c.net, std::nullopt, std::nullopt);
        out.push_back(counterexample_certificate(inline_data(S), r.separator, c, t));
      }
    } catch (const HypothesisError&) {
    } catch (const InputError&) {
    }
  }
  return out;
}

}  // namespace

// Every kind: the valid certificates pass both the oracle and the checker; then each
// mutation is judged by the oracle, and the checker agrees. Prints the table of the note.
BOOST_AUTO_TEST_CASE(every_kind_under_mutation_agrees_with_recomputation) {
  std::mt19937 rng(2026);
  struct Row {
    std::size_t made = 0, invalid = 0, agreed = 0;
  };
  std::map<std::string, Row> table;
  std::size_t infeasible = 0, constructed = 0;
  // Four rounds (about 32,000 mutations); the sanitized build runs two, still over 10,000.
  const int rounds = std::getenv("ADVDIR_MUTATION_ROUNDS") ? std::atoi(std::getenv("ADVDIR_MUTATION_ROUNDS")) : 4;
  for (int round = 0; round < rounds; ++round) {
    for (const std::string kind : {"ray", "7", "8", "9", "11", "15", "16", "corollary17", "counterexample_relu"}) {
      for (const json& cert : valid_certificates(kind, rng)) {
        std::string reason;
        BOOST_TEST_REQUIRE(recomputed_valid(cert), kind << ": the oracle refuses a valid certificate");
        BOOST_TEST_REQUIRE(checker_valid(cert, reason), kind << ": " << reason);
        if (kind == "counterexample_relu") (cert["outcome"] == "infeasible" ? infeasible : constructed)++;
        const std::string name = kind == "ray" ? "ray/" + cert["model"]["kind"].get<std::string>() : kind;
        const bool dump = kind == "ray" || kind == "15";  // the kinds advdir-vcheck covers
        if (dump) dump_certificate(cert);
        for (const json& m : mutations(cert, rng)) {
          if (dump) dump_certificate(m);
          const bool expected = recomputed_valid(m), got = checker_valid(m, reason);
          Row& row = table[name];
          ++row.made;
          row.invalid += !expected;
          row.agreed += expected == got;
          if (expected != got) debug_oracle = true, recomputed_valid(m), debug_oracle = false;
          BOOST_TEST(expected == got, name << ": the oracle says " << expected << ", the checker " << got << " (" << reason
                                           << ") for\n" << m.dump());
        }
      }
    }
  }
  std::size_t total = 0;
  for (const auto& [kind, row] : table) {
    BOOST_TEST_MESSAGE(kind << ": " << row.made << " mutations, " << row.invalid << " invalid, " << row.agreed << " agreed");
    BOOST_TEST(row.made > 100u, kind);
    total += row.made;
  }
  BOOST_TEST_MESSAGE(total << " mutations; counterexample_relu certificates: " << constructed << " nets, " << infeasible << " infeasible");
  BOOST_TEST(constructed > 0u);
  BOOST_TEST(infeasible > 0u);
  BOOST_TEST(total >= 10000u);
}
