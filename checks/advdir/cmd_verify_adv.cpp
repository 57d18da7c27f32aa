// advdir verify-adv: float adversarial examples checked exactly (bridge/adversarial.hpp).
#include "cli.hpp"
#include "models.hpp"

#include "advdir/bridge/adversarial.hpp"
#include "advdir/exact/error.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace advdir::cli {
namespace {

struct VerifyArgs {
  DataArgs data;
  std::string model, format, perturbed, eps, out, exported;
  bool json = false;
};

// The perturbed images as a text dataset of exact rationals (label,z1,...,zd).
void export_rows(const std::vector<exact::Vector>& z, const exact::Dataset& originals, const std::string& path) {
  std::ostringstream s;
  s << "# perturbed images read exactly from float32; label = the true label\n";
  for (std::size_t i = 0; i < z.size(); ++i) {
    s << originals.labels[i];
    for (const mpq_class& v : z[i]) s << "," << exact::to_string(v);
    s << "\n";
  }
  exact::write_file_atomic(path, s.str());
}

void run(const VerifyArgs& a) {
  const mpq_class eps = [&] {
    try {
      return exact::parse_rational(a.eps);
    } catch (const std::invalid_argument& e) {
      throw InputError("--eps", e.what());
    }
  }();
  if (eps < 0) throw InputError("--eps", "must be >= 0");
  const exact::Dataset originals = exact::load_dataset(a.data.spec());
  const auto label = exact_labeler(a.model, model_format(a.model, a.format));
  const std::vector<exact::Vector> z = bridge::read_float32_rows(a.perturbed, originals.dim());
  const bridge::AdversarialReport r = bridge::verify_adversarial(label, originals, z, eps);
  if (!a.exported.empty()) export_rows(z, originals, a.exported);
  exact::json each = exact::json::array();
  for (const bridge::AdversarialCheck& c : r.each)
    each.push_back({{"linf", exact::to_string(c.linf)}, {"in_ball", c.in_ball}, {"in_box", c.in_box}, {"label", c.label},
                    {"adversarial", c.adversarial()}});
  const exact::json j = {{"n", z.size()}, {"eps", exact::to_string(eps)}, {"in_ball", r.in_ball}, {"in_box", r.in_box},
                         {"misclassified", r.misclassified}, {"adversarial", r.adversarial}, {"examples", each}};
  if (!a.out.empty()) exact::write_file_atomic(a.out, j.dump(1) + "\n");
  if (a.json) return print_json(j);
  std::cout << a.perturbed << ": " << z.size() << " perturbed images, checked exactly against " << originals.source << "\n"
            << "  within eps = " << exact::to_string(eps) << " of the true image (l_inf): " << r.in_ball << "\n"
            << "  in [0, 1]: " << r.in_box << "\n"
            << "  exact label of " << a.model << " differs from the true label: " << r.misclassified << "\n"
            << "  adversarial exactly (all three): " << r.adversarial << " of " << z.size() << "\n";
  std::size_t shown = 0;
  for (std::size_t i = 0; i < r.each.size() && shown < 5; ++i)
    if (r.each[i].misclassified && !r.each[i].adversarial()) {
      std::cout << "  image " << i + 1 << ": misclassified but " << (r.each[i].in_ball ? "outside [0, 1]" : "outside the ball: |z - x|_inf = ")
                << (r.each[i].in_ball ? "" : exact::to_string(r.each[i].linf)) << "\n";
      ++shown;
    }
}

}  // namespace

void add_verify_adv(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand("verify-adv", "check float adversarial examples exactly: in the eps ball, in [0, 1], misclassified");
  cmd->footer(std::string(
      "Each perturbed image z (raw float32 rows, as `advdir experiment transfer --keep-perturbations` keeps\n"
      "them in OUT/state/adv_SOURCE_E.f32) is read as the exact rational vector it is and checked against\n"
      "the same row of DATA, the true images (IDX bytes k read as k/255, not their float32 roundings):\n"
      "|z - x|_inf <= eps (eps read exactly: 0.1 is 1/10), every z_j in [0, 1], and the model's exact\n"
      "label at z differs from the true label. The float layer computes with roundings of all three, so\n"
      "an example adversarial in float32 can fail here; the count of those that pass is printed.\n"
      "Models: JSON (linear, multiclass, relu2, relu_and, mlp), LIBLINEAR files, ONNX, .nnet.\n"
      "--export writes the perturbed images as a text dataset of exact rationals.\n\n"
      "Example: advdir verify-adv out/transfer/state/test-images-idx3-ubyte,out/transfer/state/test-labels-idx1-ubyte \\\n"
      "           --model out/transfer/state/svm_0.model --perturbed out/transfer/state/adv_svm_0_7.f32 --eps 0.4\n\n") +
      data_help);
  args->data.add_to(*cmd);
  cmd->add_option("--model", args->model, "the model the perturbations attack")->required();
  cmd->add_option("--format", args->format, "onnx | nnet | liblinear | json (default: from the extension)");
  cmd->add_option("--perturbed", args->perturbed, "the perturbed images: raw float32, one row of d values an image")->required();
  cmd->add_option("--eps", args->eps, "the l_inf radius, exactly (0.1, 1/10)")->required();
  cmd->add_option("--export", args->exported, "write the perturbed images as exact rationals (text dataset)");
  cmd->add_option("--out", args->out, "write the JSON report here");
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->callback([args] { run(*args); });
}

}  // namespace advdir::cli
