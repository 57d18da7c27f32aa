// What a user asks of a model, exactly: its outputs and label at a point, and its exit
// along a ray with the certificate that proves it. The command line prints these; the C
// API and Python return them.
#pragma once
#include "advdir/api/models.hpp"
#include "advdir/exact/json_io.hpp"

#include <memory>
#include <optional>

namespace advdir::api {

struct Evaluation {
  exact::Vector outputs;  // reduced rationals
  int label;              // by the model's decision (argmax: the first largest)
};

// The exit along x + c v, c > 0: answer = {adversarial, label_before, breakpoints, and
// c_exit, label_after, differs_at_exit when adversarial (a linear model: score and slope
// when not)}; certificate (theorem "ray", for `advdir check`) when asked, else null.
struct RayAnswer {
  exact::json answer, certificate;
};

// A model compiled once for many queries: its graph engine and, when the graph is a chain
// of affine maps and ReLUs, the layered walk (exact/relu.hpp), which rays take then.
class Model {
public:
  Model(exact::Graph g, std::string source);
  const exact::Graph& graph() const;
  const std::string& source() const { return source_; }
  std::size_t inputs() const { return graph().input_dim(); }
  std::size_t outputs() const { return graph().output_dim(); }

  // InputError(point, ...) when x does not fit (`point` names x in the message).
  Evaluation evaluate(const exact::Vector& x, const std::string& point = "point") const;
  RayAnswer ray(const exact::Vector& x, const exact::Vector& v, bool certify) const;

private:
  std::string source_;
  std::shared_ptr<const exact::GraphEngine> engine_;
  std::shared_ptr<const exact::ReluNet> layered_;   // shared: the walker refers to it, and copies of
  std::shared_ptr<const exact::RayWalker> walker_;  // a Model share both
};

// A model file: a JSON linear model by its closed form, a JSON ReLU kind as layers, any
// other as a graph (not .pt: see load_graph).
RayAnswer ray(const std::string& path, const ModelOptions& options, const exact::Vector& x, const exact::Vector& v, bool certify);

}  // namespace advdir::api
