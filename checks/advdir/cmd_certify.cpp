// advdir certify: Theorems 4, 5, 7, 8 and Corollary 6 on data and linear classifiers.
#include "certify.hpp"
#include "cli.hpp"
#include "report.hpp"

#include "advdir/api/theorems.hpp"
#include "advdir/dist/ranks.hpp"
#include "advdir/enclose/enclosure.hpp"
#include "advdir/exact/error.hpp"

#include <algorithm>
#include <optional>
#include <iostream>
#include <sstream>

namespace advdir::cli {

namespace {

struct CertifyArgs {
  std::string theorem;
  DataArgs data;
  std::vector<std::string> classifiers, train, pairs;
  std::string test;
  std::optional<std::size_t> alpha, beta;
  std::optional<int> label;
  int perceptron = 0;
  bool confident = false;
  std::string out;
  bool json = false;
};

// --pairs, or every pair of the classes present.
std::vector<std::pair<int, int>> chosen_pairs(const CertifyArgs& a, const std::vector<int>& labels) {
  std::vector<std::pair<int, int>> pairs;
  for (const auto& p : a.pairs) {
    DataArgs one = a.data;
    one.pair = p;
    pairs.push_back(*one.spec().pair);
  }
  return pairs.empty() ? api::every_pair(labels) : pairs;
}

// DATA and each --train: the training sets of Theorems 7 and 9, with their references.
struct TrainingSets {
  std::vector<exact::Dataset> sets;
  std::vector<exact::json> refs;
};

// Another DATA (--train, --test), read as DATA is (--pair, --raw, --data-dir).
exact::DataSpec shaped_as_data(const CertifyArgs& a, const std::string& name) {
  DataArgs one = a.data;
  one.data = name;
  return one.spec();
}

TrainingSets training_sets(const CertifyArgs& a) {
  std::vector<std::string> names{a.data.data};
  names.insert(names.end(), a.train.begin(), a.train.end());
  TrainingSets t;
  for (const auto& name : names) {
    const exact::DataSpec spec = shaped_as_data(a, name);
    t.sets.push_back(exact::load_dataset(spec));
    t.refs.push_back(exact::data_reference(spec, t.sets.back(), dir_of(a.out)));
  }
  return t;
}

// Theorem 8: every requested pair's separator, and each classifier's exits on the pair.
// Under mpirun the pairs are shared out by index; rank 0 prints and writes what one
// process would, from each pair's text, summary rows and certificate entry.
void run_theorem8(const CertifyArgs& a) {
  if (!a.data.pair.empty()) throw InputError("--pair", "theorem8 takes the whole multi-class DATA; choose pairs with --pairs K,L");
  const exact::DataSpec spec = a.data.spec();
  const exact::Dataset S = exact::load_dataset(spec);
  std::vector<exact::MulticlassModel> hs;
  for (const auto& path : a.classifiers) hs.push_back(api::read_multiclass(path, S.dim()));
  const std::vector<std::pair<int, int>> pairs = chosen_pairs(a, S.labels);
  const dist::Ranks ranks;
  const std::vector<std::string> results = ranks.map(pairs.size(), [&](std::size_t u) {
    const auto [k, l] = pairs[u];
    std::cerr << "theorem8: pair " + std::to_string(u + 1) + "/" + std::to_string(pairs.size()) + " (" + std::to_string(k) + "," +
                     std::to_string(l) + ")" + (ranks.size() > 1 ? " on rank " + std::to_string(ranks.rank()) : "") + "\n";  // one write a line
    const api::Theorem8Pair unit = api::theorem8_pair(S, k, l, hs);
    std::ostringstream text;
    exact::json summary = exact::json::array();
    if (!unit.certified) {
      text << "pair (" << k << "," << l << "): not linearly separable (Farkas certificate on " << unit.farkas_support
           << " points: `advdir svm --pair " << k << "," << l << " --out`); left out\n";
      summary.push_back({{"k", k}, {"l", l}, {"separable", false}});
      return exact::json{{"text", text.str()}, {"summary", summary}, {"refused", true}, {"pair", nullptr}}.dump();
    }
    const exact::PairCertificate& pc = *unit.certified;
    text << "pair (" << k << "," << l << "): " << unit.points << " points, margin_sq " << show(pc.sep.margin_sq) << "\n";
    for (const auto& t : pc.report.certified) {
      const auto third = std::count_if(t.to.begin(), t.to.end(), [&](int c) { return c != k && c != l; });
      text << "  classifier " << t.classifier << ": certified, c_exit median, max " << spread(t.c_exit) << "; " << third << " of "
           << unit.points << " points leave to a third class\n";
      summary.push_back({{"k", k}, {"l", l}, {"classifier", t.classifier}, {"certified", true}});
    }
    for (const auto& r : pc.report.rejected) {
      text << "  classifier " << r.classifier << ": hypothesis unmet, " << r.wrong.size() << " points misclassified, " << r.tied.size()
           << " tied between " << k << " and " << l << "\n";
      summary.push_back({{"k", k}, {"l", l}, {"classifier", r.classifier}, {"certified", false}, {"wrong", r.wrong}, {"tied", r.tied}});
    }
    return exact::json{{"text", text.str()}, {"summary", summary}, {"refused", !pc.report.rejected.empty()}, {"pair", unit.entry}}.dump();
  });
  if (ranks.rank() != 0) return;
  exact::json summary = exact::json::array(), entries = exact::json::array();
  for (const std::string& r : results) {
    const exact::json unit = exact::json::parse(r);
    std::cout << unit["text"].get<std::string>();
    for (const exact::json& row : unit["summary"]) summary.push_back(row);
    if (unit["refused"].get<bool>()) exit_code() = refused;
    if (!unit["pair"].is_null()) entries.push_back(unit["pair"]);
  }
  if (entries.empty()) throw HypothesisError(S.source + ": no requested pair of classes is linearly separable");
  const check::Verdict v = api::write_theorem8(exact::data_reference(spec, S, dir_of(a.out)), hs, std::move(entries), a.out);
  if (a.json) print_json({{"theorem", "theorem8"}, {"certificate", a.out}, {"pairs", summary}, {"checked", v.valid}});
  else std::cout << "certificate " << a.out << " (re-verified by the checker)\n";
}

// Theorem 7: S from the training sets, Theorem 4 on S, and |S cap S_j| beside the bound.
void run_theorem7(const CertifyArgs& a) {
  const auto [sets, refs] = training_sets(a);
  std::vector<exact::LinearModel> hs;
  for (const auto& path : a.classifiers) hs.push_back(api::read_linear(path, sets[0].dim()));
  const auto [common, stats, sep, report, v] = api::certify_theorem7(sets, refs, hs, a.confident, a.out);
  const mpq_class rho = *std::max_element(stats.rho.begin(), stats.rho.end());
  const mpq_class B_sq = *std::max_element(stats.w_norm_sq.begin(), stats.w_norm_sq.end());
  exact::json rows = exact::json::array();
  std::cout << "S: " << common.S.size() << " points classified correctly by "
            << (hs.size() == 1 ? std::string("the classifier") : "all " + std::to_string(hs.size()) + " classifiers")
            << (a.confident ? " with margin >= 1" : "") << "; margin_sq " << show(sep.margin_sq) << "\n"
            << "rho = " << show(rho) << " (A3), B^2 = " << show(B_sq) << " (A1), R^2 = " << show(stats.R_sq) << "\n";
  for (std::size_t j = 0; j < sets.size(); ++j) {
    const auto bound = enclose::soft_margin_bound(rho, sets[j].size(), B_sq, stats.R_sq, 2);
    const auto verdict = enclose::at_least(common.in_set[j], bound);
    std::cout << "  S_" << j + 1 << ": n = " << sets[j].size() << ", |S cap S_j| = " << common.in_set[j]
              << ", bound in " << enclosure(bound.lo, bound.hi) << ": " << enclose::to_string(verdict)
              << "; classifier " << j + 1 << " c_exit median, max " << spread(report.certified[j].c_exit) << "\n";
    rows.push_back({{"n", sets[j].size()}, {"in_S", common.in_set[j]}, {"bound_lo", exact::to_json(bound.lo)},
                    {"bound_hi", exact::to_json(bound.hi)}, {"bound", enclose::to_string(verdict)}});
  }
  if (a.json) print_json({{"theorem", "theorem7"}, {"certificate", a.out}, {"S", common.S.size()}, {"sets", rows}, {"checked", v.valid}});
  else std::cout << "certificate " << a.out << " (re-verified by the checker)\n";
}

// Theorem 9: per pair, S from the S_j[k,l], Theorem 8 on S, and |S cap S_j[k,l]| beside the bound.
// Under mpirun the pairs are shared out by index, as in theorem8.
void run_theorem9(const CertifyArgs& a) {
  const auto [sets, refs] = training_sets(a);
  std::vector<exact::MulticlassModel> hs;
  for (const auto& path : a.classifiers) hs.push_back(api::read_multiclass(path, sets[0].dim()));
  std::vector<int> labels;
  for (const auto& set : sets) labels.insert(labels.end(), set.labels.begin(), set.labels.end());
  const std::vector<std::pair<int, int>> pairs = chosen_pairs(a, labels);
  const dist::Ranks ranks;
  const std::vector<std::string> results = ranks.map(pairs.size(), [&](std::size_t u) {
    const auto [k, l] = pairs[u];
    std::cerr << "theorem9: pair " + std::to_string(u + 1) + "/" + std::to_string(pairs.size()) + " (" + std::to_string(k) + "," +
                     std::to_string(l) + ")" + (ranks.size() > 1 ? " on rank " + std::to_string(ranks.rank()) : "") + "\n";  // one write a line
    const api::Theorem9Unit unit = api::theorem9_pair(sets, refs, hs, k, l, a.confident);
    const exact::CommonSubset& common = unit.pair.common;
    const exact::PairStats& stats = unit.pair.stats;
    const exact::PairReport& report = unit.pair.certificate.report;
    const mpq_class rho = *std::max_element(stats.rho.begin(), stats.rho.end());
    std::size_t n_all = 0;
    std::ostringstream counts, exits, text;
    exact::json row = {{"k", k}, {"l", l}, {"S", common.S.size()}, {"sets", exact::json::array()}};
    for (std::size_t j = 0; j < sets.size(); ++j) {
      n_all += stats.n[j];
      counts << (j ? ", " : "") << common.in_set[j] << " of " << stats.n[j];
      const auto bound = enclose::soft_margin_bound(rho, stats.n[j], stats.B_sq, stats.R_sq, 4);
      row["sets"].push_back({{"n", stats.n[j]}, {"in_S", common.in_set[j]}, {"bound_lo", exact::to_json(bound.lo)},
                             {"bound_hi", exact::to_json(bound.hi)},
                             {"bound", enclose::to_string(enclose::at_least(common.in_set[j], bound))}});
      exits << (j ? "; " : "") << spread(report.certified[j].c_exit);
    }
    const auto first = enclose::soft_margin_bound(rho, stats.n[0], stats.B_sq, stats.R_sq, 4);
    text << "(" << k << "," << l << ")  " << counts.str() << "   " << enclosure(first.lo, first.hi) << " "
         << enclose::to_string(enclose::at_least(common.in_set[0], first)) << "   "
         << decimal(mpq_class(100 * common.S.size(), n_all), 1, false) << "%   " << exits.str() << "\n";
    return exact::json{{"text", text.str()}, {"row", row}, {"pair", unit.entry}}.dump();
  });
  if (ranks.rank() != 0) return;
  exact::json rows = exact::json::array(), entries = exact::json::array();
  std::cout << "pair   |S cap S_j[k,l]| / n_j   bound for S_1 (enclosed)   share of the pair in S   c_exit per classifier: median, max\n";
  for (const std::string& r : results) {
    const exact::json unit = exact::json::parse(r);
    std::cout << unit["text"].get<std::string>();
    rows.push_back(unit["row"]), entries.push_back(unit["pair"]);
  }
  const check::Verdict v = api::write_theorem9(refs, hs, a.confident, std::move(entries), a.out);
  if (a.json) print_json({{"theorem", "theorem9"}, {"certificate", a.out}, {"pairs", rows}, {"checked", v.valid}});
  else std::cout << "certificate " << a.out << " (re-verified by the checker)\n";
}

// Theorems 15 and 16: DATA, the one net of --classifier (its canonical JSON, for the
// certificate: the checker refuses fields it does not read), the certifier's result, and
// where the certificate goes.
template <class Certify, class Write>
auto certify_net(const CertifyArgs& a, const char* kind, Certify certify, Write write) {
  if (a.classifiers.size() != 1) throw InputError("--classifier", a.theorem + " takes one " + kind + " net");
  const exact::DataSpec spec = a.data.spec();
  const exact::Dataset S = exact::load_dataset(spec);
  const exact::ReluNet net = exact::relu_net_from_json(exact::read_json_file(a.classifiers[0]), a.classifiers[0]);
  const auto t = certify(S, net, a.alpha, a.beta);
  const check::Verdict v = write_and_check(write(exact::data_reference(spec, S, dir_of(a.out)), exact::to_json(net), t), a.out);
  return std::pair{t, v};
}

exact::Vector column(const std::vector<exact::Theorem15Point>& points, mpq_class exact::Theorem15Point::*field) {
  exact::Vector out;
  for (const auto& p : points) out.push_back(p.*field);
  return out;
}

// "median, max" of exits along d, and of the perturbations' size |c_exit d|_inf: exits
// along different directions compare through the latter.
std::string exits_and_size(const exact::Vector& exits, const exact::Vector& d) {
  mpq_class d_inf = 0;
  for (const mpq_class& q : d) d_inf = std::max(d_inf, mpq_class(abs(q)));
  exact::Vector size;
  for (const mpq_class& c : exits) size.push_back(c * d_inf);
  return "c_exit median, max " + spread(exits) + " (|c_exit d|_inf " + spread(size) + ")";
}

// The exits along w*, and how many rays never leave -1.
std::string max_margin_summary(const std::vector<exact::NetRay>& rays, const exact::Vector& w_star) {
  exact::Vector exits;
  for (const auto& r : rays)
    if (r.adversarial) exits.push_back(r.c_exit);
  return std::to_string(exits.size()) + " of " + std::to_string(rays.size()) + " leave -1, " + exits_and_size(exits, w_star) + "; " +
         std::to_string(rays.size() - exits.size()) + " never do";
}

// Theorem 15: a relu2 net in R', x_beta - x_alpha, c_bound and the exact exit of every -1
// point of S and of --test; beside it, the same points along -y w* (Section 6).
void run_theorem15(const CertifyArgs& a) {
  if (a.classifiers.size() != 1) throw InputError("--classifier", "theorem15 takes one relu2 net");
  const exact::DataSpec spec = a.data.spec();
  const exact::Dataset S = exact::load_dataset(spec);
  const exact::ReluNet net = exact::relu_net_from_json(exact::read_json_file(a.classifiers[0]), a.classifiers[0]);
  std::optional<exact::Dataset> T;
  exact::json test_ref;
  if (!a.test.empty()) {
    const exact::DataSpec test_spec = shaped_as_data(a, a.test);
    T = exact::load_dataset(test_spec);
    test_ref = exact::data_reference(test_spec, *T, dir_of(a.out));
  }
  const auto [t, max_margin, v] = api::certify_theorem15(S, exact::data_reference(spec, S, dir_of(a.out)), net, a.alpha, a.beta,
                                                         T ? &*T : nullptr, test_ref, a.out);
  const exact::MaxMarginRays* mm = max_margin ? &*max_margin : nullptr;
  const std::size_t on_S = t.points.size();
  if (a.json) {
    exact::json out = {{"theorem", "theorem15"}, {"certificate", a.out}, {"alpha", t.alpha}, {"beta", t.beta},
                       {"D", exact::to_json(t.D)}, {"points", on_S}, {"test_points", t.test_points.size()},
                       {"test_misclassified", t.test_misclassified.size()}, {"checked", v.valid}};
    if (mm) {
      const auto leave = [&](std::size_t from, std::size_t to) {
        return std::count_if(mm->rays.begin() + std::ptrdiff_t(from), mm->rays.begin() + std::ptrdiff_t(to), [](const auto& r) { return r.adversarial; });
      };
      out["max_margin_leave"] = {{"points", leave(0, on_S)}, {"test_points", leave(on_S, mm->rays.size())}};
    }
    return print_json(out);
  }
  exact::Vector d = S.point(t.beta);
  const exact::Vector x_alpha = S.point(t.alpha);
  for (std::size_t k = 0; k < d.size(); ++k) d[k] -= x_alpha[k];
  std::cout << "x_alpha = point " << t.alpha << " (-1), x_beta = point " << t.beta << " (+1), D = " << show(t.D)
            << ": d = x_beta - x_alpha is adversarial at all " << on_S << " -1 points of S\n"
            << "  " << exits_and_size(column(t.points, &exact::Theorem15Point::c_exit), d) << "; c_bound median, max "
            << spread(column(t.points, &exact::Theorem15Point::c_bound)) << "\n";
  if (T)
    std::cout << "test: at all " << t.test_points.size() << " -1 points the net labels -1, "
              << exits_and_size(column(t.test_points, &exact::Theorem15Point::c_exit), d) << "; " << t.test_misclassified.size()
              << " -1 points labelled +1 are outside the theorem\n";
  if (mm) {
    const std::vector<exact::NetRay> s_rays(mm->rays.begin(), mm->rays.begin() + std::ptrdiff_t(on_S)),
        t_rays(mm->rays.begin() + std::ptrdiff_t(on_S), mm->rays.end());
    std::cout << "along d = -y w* (S's max-margin direction): S: " << max_margin_summary(s_rays, mm->sep.w_star) << "\n";
    if (T) std::cout << "  test: " << max_margin_summary(t_rays, mm->sep.w_star) << "\n";
  } else {
    std::cout << "S is not linearly separable: no max-margin direction to compare\n";
  }
  std::cout << "certificate " << a.out << " (re-verified by the checker)\n";
}

// Theorem 16: a relu_and net, x_beta - x_alpha, and the exact exit of every +1 point.
void run_theorem16(const CertifyArgs& a) {
  const auto [t, v] = certify_net(a, "relu_and", exact::certify_theorem16, exact::theorem16_certificate);
  exact::Vector exits;
  for (const auto& e : t.exits) exits.push_back(e.c_exit);
  if (a.json) {
    print_json({{"theorem", "theorem16"}, {"certificate", a.out}, {"alpha", t.alpha}, {"beta", t.beta},
                {"points", t.exits.size()}, {"checked", v.valid}});
    return;
  }
  std::cout << "x_alpha = point " << t.alpha << " (+1), x_beta = point " << t.beta << " (-1): v = x_beta - x_alpha is "
            << "adversarial at all " << t.exits.size() << " +1 points; c_exit median, max " << spread(exits) << "\n"
            << "certificate " << a.out << " (re-verified by the checker)\n";
}

// Theorem 11: a net with a convex region (Lemma 13, 14 or R''), x_beta - x_alpha, and the
// exact exit of every point of that region's label.
void run_theorem11(const CertifyArgs& a) {
  auto certify = [&](const exact::Dataset& S, const exact::ReluNet& net, auto alpha, auto beta) {
    return exact::certify_theorem11(S, net, a.label, alpha, beta);
  };
  const auto [t, v] = certify_net(a, "relu_sum, relu2, relu_and or one-layer mlp", certify, exact::theorem11_certificate);
  exact::Vector exits;
  std::size_t kinks = 0;
  for (const auto& p : t.points) exits.push_back(p.ray.c_exit), kinks += p.pieces.size() - 1;
  if (a.json) {
    print_json({{"theorem", "theorem11"}, {"certificate", a.out}, {"convex_label", t.region.label}, {"why", t.region.why},
                {"alpha", t.pair.alpha}, {"beta", t.pair.beta}, {"points", t.points.size()}, {"checked", v.valid}});
    return;
  }
  const std::string alpha = t.region.label > 0 ? "+1" : "-1", beta = t.region.label > 0 ? "-1" : "+1";
  std::cout << t.region.statement << "\n"
            << "x_alpha = point " << t.pair.alpha << " (" << alpha << "), x_beta = point " << t.pair.beta << " (" << beta
            << "): v = x_beta - x_alpha is adversarial at all " << t.points.size() << " points labelled " << alpha
            << "; c_exit median, max " << spread(exits) << " (" << kinks << " kinks walked)\n"
            << "certificate " << a.out << " (re-verified by the checker)\n";
}

// Corollary 17: one direction for linear classifiers and R' nets together.
void run_corollary17(const CertifyArgs& a) {
  const exact::DataSpec spec = a.data.spec();
  const exact::Dataset S = exact::load_dataset(spec);
  std::vector<exact::LinearModel> linear;
  std::vector<exact::ReluNet> nets;
  std::vector<exact::json> models;
  for (const auto& path : a.classifiers) {
    const exact::json j = api::is_json_file(path) ? exact::read_json_file(path) : exact::json();
    if (j.is_object() && j.value("kind", exact::json()) == "relu2") {
      nets.push_back(exact::relu_net_from_json(j, path));
      models.push_back(exact::to_json(nets.back()));
    } else {
      linear.push_back(api::read_linear(path, S.dim()));
    }
  }
  const exact::Corollary17 c = exact::certify_corollary17(S, linear, nets, a.alpha, a.beta);
  const check::Verdict v =
      write_and_check(exact::corollary17_certificate(exact::data_reference(spec, S, dir_of(a.out)), models, c), a.out);
  if (a.json) {
    print_json({{"theorem", "corollary17"}, {"certificate", a.out}, {"alpha", c.alpha}, {"beta", c.beta},
                {"linear", c.linear.size()}, {"nets", c.nets.size()}, {"checked", v.valid}});
    return;
  }
  std::cout << "x_alpha = point " << c.alpha << " (-1), x_beta = point " << c.beta << " (+1): v = x_beta - x_alpha is adversarial for "
            << c.linear.size() << " linear classifiers and " << c.nets.size() << " R' nets at every -1 point\n";
  for (std::size_t k = 0; k < c.linear.size(); ++k)
    std::cout << "  linear " << k << ": <w,v> = " << show(c.linear[k].slope) << ", c_exit median, max " << spread(c.linear[k].c_exit) << "\n";
  for (std::size_t k = 0; k < c.nets.size(); ++k) {
    exact::Vector exits;
    for (const auto& p : c.nets[k].points) exits.push_back(p.c_exit);
    std::cout << "  net " << k << ": D = " << show(c.nets[k].D) << ", c_exit median, max " << spread(exits) << "\n";
  }
  std::cout << "certificate " << a.out << " (re-verified by the checker)\n";
}

void run(const CertifyArgs& a) {
  if (a.theorem == "theorem8") return run_theorem8(a);
  if (a.theorem == "theorem7") return run_theorem7(a);
  if (a.theorem == "theorem9") return run_theorem9(a);
  if (a.theorem == "theorem11") return run_theorem11(a);
  if (a.theorem == "theorem16") return run_theorem16(a);
  if (a.theorem == "theorem15") return run_theorem15(a);
  if (a.theorem == "corollary17") return run_corollary17(a);
  const exact::DataSpec spec = a.data.spec();
  const exact::Dataset S = exact::load_dataset(spec);
  std::vector<exact::LinearModel> hs;
  for (const auto& path : a.classifiers) hs.push_back(api::read_linear(path, S.dim()));
  const auto [sep, report, verdict] = api::certify_linear(linear_theorems().at(a.theorem), S, exact::data_reference(spec, S, dir_of(a.out)),
                                                         std::move(hs), a.perceptron, a.out);
  if (!report.rejected.empty()) exit_code() = refused;
  if (a.json) {
    exact::json rejected = exact::json::array();
    for (const auto& r : report.rejected) rejected.push_back({{"classifier", r.classifier}, {"offending", r.offending}});
    print_json({{"theorem", a.theorem},
                {"certificate", report.certified.empty() ? exact::json(nullptr) : exact::json(a.out)},
                {"certified", report.certified.size()},
                {"rejected", rejected},
                {"margin_sq", exact::to_json(sep.margin_sq)},
                {"margin", sqrt_decimal(sep.margin_sq, 4)},
                {"exits", exit_distribution(pooled_exits(report), sep)},
                {"beyond", beyond_theorem4(report, sep)},
                {"checked", verdict.valid}});
    return;
  }
  print_transfer(std::cout, report, sep);
  if (!report.certified.empty()) std::cout << "certificate " << a.out << " (re-verified by the checker)\n";
}

}  // namespace

void add_certify(CLI::App& app) {
  auto args = std::make_shared<CertifyArgs>();
  auto* cmd = app.add_subcommand("certify", "certify a theorem on data and classifiers; writes a certificate");
  cmd->footer(std::string(data_help) +
              "\nTHEOREM:\n"
              "  theorem4    -y w* is adversarial for every S-accurate linear h at every point of S; for each\n"
              "              classifier the certificate holds <w,w*> > 0 and the exact exit point c_exit of every\n"
              "              point: h(x - c y w*) != y exactly when c > c_exit = y(<w,x>+b)/<w,w*>\n"
              "  theorem5    theorem4 plus the bound y(<w,x>+b)/(gamma_h sum alpha) >= c_exit for every point\n"
              "  corollary6  each classifier's least-margin point flips for every c > c_S = margin_sq\n"
              "  theorem7    DATA is S_1, each --train adds S_2, ...; --classifier j was trained on S_j. S is\n"
              "              the set of points every classifier gets right (with margin >= 1: --confident);\n"
              "              -y w_S* is certified for all of them at every point of S, and |S cap S_j| is\n"
              "              printed beside (1-2rho)n - 2BR sqrt(n) - 4 sqrt(n ln n), enclosed with MPFR\n"
              "              (rho, B, R measured exactly from the data and classifiers)\n"
              "  theorem8    DATA multi-class; for each pair (--pairs K,L, repeatable; default all) the\n"
              "              max-margin separator of S[K] vs S[L]; each argmax classifier's exact first exit\n"
              "              along -y w*_KL at every point and the class it goes to, <= Theorem 8's c_pair\n"
              "  theorem9    theorem7's training sets with argmax classifiers: per pair (--pairs, default all)\n"
              "              S is the points of the S_j[K,L] every classifier labels correctly without a K-L\n"
              "              tie (|z_K - z_L| > 1: --confident, B3); theorem8 on S, and |S cap S_j[K,L]|\n"
              "              beside (1-2rho)n - 4BR sqrt(n) - 4 sqrt(n ln n), enclosed with MPFR\n"
              "              One set and one classifier (no --train): theorem8 on the points the classifier\n"
              "              gets right, for a whole training set on which no model is accurate\n"
              "  theorem11   --classifier a net one of whose regions is convex: relu_sum (R, Lemma 13: the -1\n"
              "              region), relu2 with every v_j >= 0 (R', Lemma 14: -1) or every v_j <= 0 (+1),\n"
              "              relu_and (R'': +1) or a one-layer mlp (both); --label picks the region when two\n"
              "              are. v = x_beta - x_alpha from that label (--alpha I, default the first point) to\n"
              "              the other (--beta J, default the nearest): every point of the label exits, with\n"
              "              its exact c_exit and the ray's pieces, which the checker confirms unit by unit\n"
              "  theorem15   --classifier a relu2 net in R' (every v_j >= 0) that classifies DATA correctly;\n"
              "              v = x_beta - x_alpha from a -1 point (--alpha I) to a +1 point (--beta J): for\n"
              "              every -1 point x, K, D and c_bound = max(1, (a - f(x_alpha) + K) / D) past which\n"
              "              h(x + c v) = +1, and the exact c_exit <= c_bound. Without --alpha/--beta the pair\n"
              "              with the least largest c_bound is kept. --test T: the same at every -1 point of T\n"
              "              the net labels -1. Beside it, when S is separable, every such point's exact exit\n"
              "              along -y w* (w* S's max-margin normal), or none: Section 6 on the data\n"
              "  theorem16   --classifier a relu_and net (R'', +1 iff every unit is positive) that classifies\n"
              "              DATA correctly; v = x_beta - x_alpha from a +1 point (--alpha I, default the first)\n"
              "              to a -1 point (--beta J, default the nearest to x_alpha) is adversarial at every\n"
              "              +1 point x: h(x + c v) = +1 exactly for c < c_exit = l_j0(x) / -<u_j0, v>\n"
              "  corollary17 --classifier linear models and relu2 nets in R', each classifying DATA correctly:\n"
              "              the one direction v = x_beta - x_alpha (--alpha, default the first -1 point;\n"
              "              --beta, default the +1 point nearest to it) is adversarial for all of them at\n"
              "              every -1 point: c_exit = -(<w,x>+b)/<w,v> for the linear ones, theorem15 for nets\n\n"
              "Classifiers are JSON files ({\"kind\": \"linear\", ...}, or {\"kind\": \"multiclass\", \"W\": [[...]],\n"
              "\"b\": [...]} for theorem8) or LIBLINEAR model files, read exactly. With none, theorem4/5 and\n"
              "corollary6 certify the max-margin classifier itself, and theorem8 the pairs' separators. A\n"
              "classifier that is not S-accurate (or, for theorem8, ties K and L at a point) is reported\n"
              "with the offending points and left out of the certificate (exit 1). The certificate is\n"
              "re-verified by the independent checker before the command returns.\n\n"
              "Examples: advdir certify theorem4 mnist10k --pair 0,1 --perceptron 50 --out t4.json\n"
              "          advdir certify theorem11 S.txt --classifier net.json --out t11.json\n"
              "          advdir certify theorem8 digits.txt --classifier ovr.model --pairs 3,8 --out t8.json\n"
              "          advdir certify theorem7 half1.txt --train half2.txt --classifier h1.model --classifier h2.model --out t7.json\n"
              "          advdir certify theorem9 fashion-train --classifier ovr.model --out t9.json");
  cmd->add_option("THEOREM", args->theorem, "theorem4 | theorem5 | corollary6 | theorem7 | theorem8 | theorem9 | theorem11 | theorem15 | theorem16 | corollary17")
      ->required()
      ->check(CLI::IsMember({"theorem4", "theorem5", "corollary6", "theorem7", "theorem8", "theorem9", "theorem11", "theorem15", "theorem16",
                      "corollary17"}));
  args->data.add_to(*cmd);
  cmd->add_option("--classifier", args->classifiers, "a classifier (JSON or LIBLINEAR model) to certify; repeatable");
  cmd->add_option("--train", args->train, "theorem7/9: the next classifier's training set (a DATA); repeatable");
  cmd->add_option("--test", args->test, "theorem15: a test set (a DATA, shaped as DATA is): Theorem 15 at each of its -1 points the net labels -1");
  cmd->add_flag("--confident", args->confident, "theorem7/9: keep in S only points with A3's / B3's margin for every classifier");
  cmd->add_option("--alpha", args->alpha, "theorem11/15/16, corollary17: the index in DATA of x_alpha");
  cmd->add_option("--beta", args->beta, "theorem11/15/16, corollary17: the index in DATA of x_beta");
  cmd->add_option("--label", args->label, "theorem11: the label (+1 or -1) whose convex region to use");
  cmd->add_option("--pairs", args->pairs, "theorem8/9: a pair K,L of classes; repeatable (default: all pairs)");
  cmd->add_option("--perceptron", args->perceptron, "also certify the perceptron's classifier after at most N epochs");
  cmd->add_option("--out", args->out, "the certificate file")->required();
  cmd->add_flag("--json", args->json, "print one JSON summary object");
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
