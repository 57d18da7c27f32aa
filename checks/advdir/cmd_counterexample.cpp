// advdir counterexample relu: Section 6 / Figure 3, the max-margin direction that does not
// transfer to R', exactly; with --data, the general construction of PROOFS.md.
#include "certify.hpp"
#include "cli.hpp"
#include "report.hpp"

#include "advdir/exact/certificate.hpp"
#include "advdir/exact/error.hpp"

#include <iostream>

namespace advdir::cli {
namespace {

struct CounterexampleArgs {
  std::string which;
  DataArgs data;
  std::string out, model_out;
  std::optional<std::size_t> alpha, beta;
  bool json = false;
};

// The exact walk agrees with the certificate's argument: no -1 point leaves along w*.
void confirm_by_walk(const exact::Dataset& S, const exact::ReluNet& net, const exact::Vector& w_star) {
  const exact::RayWalker walker(net);
  for (std::size_t i = 0; i < S.size(); ++i)
    if (S.labels[i] == -1 && walker.walk(S.point(i), w_star).adversarial)
      throw std::logic_error("the walk leaves along w* at point " + std::to_string(i));
}

void run(const CounterexampleArgs& a) {
  const bool builtin = a.data.data.empty();
  const exact::DataSpec spec = a.data.spec();
  const exact::Dataset S = builtin ? exact::section6_data() : exact::load_dataset(spec);
  exact::require_binary(S);
  const exact::MaxMarginSeparator sep = separator_or_refuse(S);
  exact::Construction c;
  if (builtin) {
    c.net = exact::section6_net();
    exact::require_counterexample(S, sep, *c.net);
  } else {
    c = exact::construct_counterexample(S, sep);
  }
  std::optional<exact::Theorem15> transfer;
  if (c.net) {
    confirm_by_walk(S, *c.net, sep.w_star);
    const exact::PointPair p = exact::pick_pair(S, -1, a.alpha, a.beta);
    transfer = exact::certify_theorem15(S, *c.net, p.alpha, p.beta);
    if (!a.model_out.empty()) exact::write_file_atomic(a.model_out, exact::to_json(*c.net).dump(1) + "\n");
  }
  const exact::json data_ref = builtin ? exact::inline_data(S) : exact::data_reference(spec, S, dir_of(a.out));
  const check::Verdict v = write_and_check(exact::counterexample_certificate(data_ref, sep, c, transfer), a.out);
  if (a.json) {
    exact::json j = {{"counterexample", bool(c.net)}, {"certificate", a.out}, {"w_star", exact::to_json(sep.w_star)},
                     {"b_star", exact::to_json(sep.b_star)}, {"margin_sq", exact::to_json(sep.margin_sq)}, {"checked", v.valid}};
    if (c.net) j.update({{"units", c.net->layers[0].W.size()}, {"alpha", transfer->alpha}, {"beta", transfer->beta}});
    else j["infeasible_point"] = c.infeasible->point;
    return print_json(j);
  }
  std::cout << (builtin ? "Section 6 (Figure 3): " : "") << S.size() << " points in dimension " << S.dim() << "; w* = " << show(sep.w_star)
            << ", b* = " << show(sep.b_star) << ", margin_sq = " << show(sep.margin_sq) << "\n";
  if (c.infeasible) {
    std::cout << "no counterexample of this form: +1 point " << c.infeasible->point << " is a convex combination of -1 points plus "
              << show(c.infeasible->nu) << " w*, so every unit <= 0 on S[-1] that does not rise along w* is <= 0 there too\n";
  } else {
    std::cout << "a net in R'_S with " << c.net->layers[0].W.size() << " units (threshold " << show(c.net->threshold)
              << ", rule gt), none rising along w*: f(x + c w*) <= f(x) for c >= 0, so -y w* = w* is adversarial at no -1 point\n";
    exact::Vector exits;
    for (const auto& p : transfer->points) exits.push_back(p.c_exit);
    std::cout << "v = x_beta - x_alpha (points " << transfer->alpha << " -> " << transfer->beta << ") does transfer (Theorem 15): c_exit median, max "
              << spread(exits) << "\n";
  }
  std::cout << "certificate " << a.out << " (re-verified by the checker)\n";
}

}  // namespace

void add_counterexample(CLI::App& app) {
  auto args = std::make_shared<CounterexampleArgs>();
  auto* cmd = app.add_subcommand("counterexample", "the max-margin direction that does not transfer to a ReLU net (Section 6)");
  cmd->footer(
      "advdir counterexample relu (no data): the paper's Section 6 / Figure 3 exactly. S = {((0,0),-1),\n"
      "((2,1),+1), ((2,-1),+1)}, w* = (1,0), b* = -1; the net f(x) = relu(x2 - 1/2) + relu(-x2 - 1/2),\n"
      "a = 1/4, is in R'_S, yet f is constant along w*, so -y w* never changes the label at (0,0); the\n"
      "direction v = (2,1) - (0,0) of Theorem 15 does.\n\n"
      "With --data S (separable, labels +1/-1): the construction of PROOFS.md. For each +1 point x_i an\n"
      "exact LP finds a unit with <u,x_i> + c >= 1, <u,x_j> + c <= 0 on S[-1] and <u,w*> <= 0; the sum of\n"
      "these units with a = 1/2 is in R'_S and defeats -y w* at every point of S[-1]. When an LP is\n"
      "infeasible, the certificate holds its Farkas witness instead (x_i = sum mu_j x_j + nu w*, outcome\n"
      "\"infeasible\"): a valid certificate that no net of this form exists, and the exit code is 0, as\n"
      "`advdir check` says valid; --json's \"counterexample\" tells the two outcomes apart.\n\n"
      "The certificate (theorem counterexample_relu) carries w* with its KKT multipliers, the net, and\n"
      "Theorem 15's fields for x_beta - x_alpha (--alpha: a -1 point, default the first; --beta: a +1\n"
      "point, default the nearest); `advdir check` re-verifies all of it.\n\n"
      "Examples: advdir counterexample relu --out section6.json --model-out net.json\n"
      "          advdir counterexample relu --data S.txt --out cx.json");
  cmd->add_option("WHICH", args->which, "relu")->required()->check(CLI::IsMember({"relu"}));
  args->data.add_to(*cmd, false);
  cmd->add_option("--out", args->out, "the certificate file")->required();
  cmd->add_option("--model-out", args->model_out, "also write the net (JSON relu2) here");
  cmd->add_option("--alpha", args->alpha, "the -1 point x_alpha of the Theorem 15 direction");
  cmd->add_option("--beta", args->beta, "the +1 point x_beta of the Theorem 15 direction");
  cmd->add_flag("--json", args->json, "print one JSON summary object");
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
