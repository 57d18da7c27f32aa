// Piecewise-linear ReLU networks and their exact restriction to a ray
// (PROOFS.md, "Ray restriction"): R ("relu_sum"), R' ("relu2"), R'' ("relu_and")
// and ReLU MLPs of any depth ("mlp"), all as one layered net.
#pragma once
#include "advdir/exact/json_io.hpp"
#include "advdir/exact/linear_model.hpp"
#include "advdir/exact/rational.hpp"

#include <memory>

namespace advdir::exact {

// One affine map x -> Wx + b; ReLU follows every layer but the last.
struct Layer {
  std::vector<Vector> W;
  Vector b;
};

// How the last layer's outputs o become a label.
enum class Decision {
  sign,          // +1 iff o_0 > 0 (an mlp with one output)
  argmax,        // the first index among the largest o_m (an mlp with several outputs)
  above,         // +1 iff o_0 > threshold (relu2, rule "gt")
  at_least,      // +1 iff o_0 >= threshold (relu2, rule "ge")
  all_positive,  // +1 iff every o_m > 0 (relu_and, R'')
};

struct ReluNet {
  std::string kind;  // relu_sum, relu2, relu_and or mlp: the JSON it was read from
  std::vector<Layer> layers;
  Decision decision = Decision::sign;
  mpq_class threshold;

  std::size_t input_dim() const { return layers.front().W.front().size(); }
  int label(const Vector& x) const;  // exact evaluation
};

// {"kind": "relu2" | "relu_and" | "mlp", ...} (DESIGN.md, Formats), and R as
// {"kind": "relu_sum", "W", "b"} (+1 iff sum_j relu(<u_j,x> + c_j) > 0, the paper's
// class R). Ragged matrices, a layer size mismatch and an empty net are refused with
// InputError.
ReluNet relu_net_from_json(const json& j, const std::string& source);
json to_json(const ReluNet& net);

// h(x) = +1 iff <w,x> + b > 0 as a net: one affine layer, decided by the sign (an mlp).
ReluNet as_net(const LinearModel& h);

// The last layer's outputs at x, exactly (ReLU between layers).
Vector net_outputs(const ReluNet& net, const Vector& x);

// The activation pattern at x: per hidden layer a string, '1' where the unit's input is > 0.
std::vector<std::string> hidden_pattern(const ReluNet& net, const Vector& x);

// Along x + c v, c >= 0: the first c at which the label differs from the label at x.
struct NetRay {
  int label_before = 0;
  bool adversarial = false;
  mpq_class c_exit;               // when adversarial
  bool differs_at_exit = false;   // the label at c_exit itself already differs
  int label_after = 0;            // the label just past c_exit
  std::vector<mpq_class> breakpoints;  // the ReLU kinks walked through, in (0, c_exit) (all, if none)
};
NetRay net_ray(const ReluNet& net, const Vector& x, const Vector& v);

// What the checker needs of a walked ray: from 0 and from each breakpoint, the pattern
// on the piece that starts there (taken at its midpoint; past the last breakpoint of a
// non-adversarial ray, one further). The pieces cover [0, c_exit] or [0, inf).
struct RayPiece {
  mpq_class from;
  std::vector<std::string> pattern;
};
std::vector<RayPiece> ray_pieces(const ReluNet& net, const Vector& x, const Vector& v, const NetRay& ray);

// The ray's claim with its pieces, as the checker reads it (without the model).
json ray_claim(const NetRay& ray, const std::vector<RayPiece>& pieces);

// The same for many rays through one net: the weights are turned into integers once.
class RayWalker {
public:
  explicit RayWalker(const ReluNet& net);
  ~RayWalker();
  RayWalker(const RayWalker&) = delete;
  RayWalker& operator=(const RayWalker&) = delete;
  NetRay walk(const Vector& x, const Vector& v) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace advdir::exact
