// What a user asks of a model, exactly: its outputs and label at a point, and its exit
// along a ray with the certificate that proves it. The command line prints these; the C
// API and Python return them.
#pragma once
#include "advdir/api/models.hpp"
#include "advdir/exact/json_io.hpp"

namespace advdir::api {

struct Evaluation {
  exact::Vector outputs;  // reduced rationals
  int label;              // by the model's decision (argmax: the first largest)
};

// InputError(point, ...) when x does not fit the model (`point` names x in the message).
Evaluation evaluate(const exact::Graph& g, const exact::Vector& x, const std::string& point);

// The exit along x + c v, c > 0: answer = {adversarial, label_before, breakpoints, and
// c_exit, label_after, differs_at_exit when adversarial (a linear model: score and slope
// when not)}; certificate (theorem "ray", for `advdir check`) when asked, else null.
struct RayAnswer {
  exact::json answer, certificate;
};

// A graph: the layered walk when it is a chain of affine maps and ReLUs, else the graph walk.
RayAnswer ray(exact::Graph g, const exact::Vector& x, const exact::Vector& v, bool certify, const std::string& source);
// A model file: a JSON linear model by its closed form, a JSON ReLU kind as layers, any
// other as a graph.
RayAnswer ray(const std::string& path, const ModelOptions& options, const exact::Vector& x, const exact::Vector& v, bool certify);

}  // namespace advdir::api
