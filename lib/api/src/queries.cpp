#include "advdir/api/queries.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/linear_transfer.hpp"

namespace advdir::api {

namespace {

void check_dims(const std::string& source, const exact::Vector& x, const exact::Vector& v, std::size_t inputs) {
  if (x.size() != inputs || v.size() != inputs)
    throw InputError(source, "dimension mismatch: the net takes " + std::to_string(inputs) + " inputs, point has " +
                                 std::to_string(x.size()) + ", direction " + std::to_string(v.size()));
}

exact::json answer_of(const exact::NetRay& r) {
  exact::json j = {{"adversarial", r.adversarial}, {"label_before", r.label_before}, {"breakpoints", exact::to_json(r.breakpoints)}};
  if (r.adversarial) {
    j["c_exit"] = exact::to_json(r.c_exit);
    j["label_after"] = r.label_after;
    j["differs_at_exit"] = r.differs_at_exit;
  }
  return j;
}

// The certificate: the claim with the model, the point and the direction (PROOFS.md, "Ray restriction").
exact::json certificate(exact::json claim, exact::json model, const exact::Vector& x, const exact::Vector& v) {
  claim.update({{"format", "advdir-cert/1"}, {"theorem", "ray"}, {"model", std::move(model)},
                {"point", exact::to_json(x)}, {"direction", exact::to_json(v)}});
  return claim;
}

// A layered ReLU net: the walk of exact/relu.hpp.
RayAnswer layered_ray(const exact::ReluNet& net, const exact::RayWalker& walker, const exact::Vector& x, const exact::Vector& v,
                      bool certify, const std::string& source) {
  check_dims(source, x, v, net.input_dim());
  const exact::NetRay r = walker.walk(x, v);
  RayAnswer out{answer_of(r), nullptr};
  if (certify) out.certificate = certificate(exact::ray_claim(r, exact::ray_pieces(net, x, v, r)), exact::to_json(net), x, v);
  return out;
}

// A linear model: h(x + c v) changes sign where <w, x + c v> + b = 0.
RayAnswer linear_ray(const exact::LinearModel& h, const exact::Vector& x, const exact::Vector& v, bool certify, const std::string& source) {
  if (x.size() != h.w.size() || v.size() != h.w.size())
    throw InputError(source, "dimension mismatch: model has " + std::to_string(h.w.size()) + " weights, point " +
                                 std::to_string(x.size()) + ", direction " + std::to_string(v.size()));
  const exact::LinearRay r = exact::linear_ray(h, x, v);
  exact::json j = {{"adversarial", r.adversarial}, {"label_before", r.label_before}};
  if (r.adversarial) {
    j["c_exit"] = exact::to_json(r.c_exit);
    j["label_after"] = -r.label_before;
    j["differs_at_exit"] = r.differs_at_exit;
  } else {
    j["score"] = exact::to_json(r.score);
    j["slope"] = exact::to_json(r.slope);
  }
  RayAnswer out{j, nullptr};
  if (certify) out.certificate = certificate(j, exact::to_json(h), x, v);
  return out;
}

}  // namespace

Model::Model(exact::Graph g, std::string source) : source_(std::move(source)) {
  if (std::optional<exact::ReluNet> net = exact::as_relu_net(g)) {
    layered_ = std::make_shared<const exact::ReluNet>(std::move(*net));
    walker_ = std::make_shared<const exact::RayWalker>(*layered_);
  }
  engine_ = std::make_shared<const exact::GraphEngine>(std::move(g), source_);
}

const exact::Graph& Model::graph() const { return engine_->graph(); }

Evaluation Model::evaluate(const exact::Vector& x, const std::string& point) const {
  if (x.size() != inputs()) throw InputError(point, "has " + std::to_string(x.size()) + " entries, the model takes " + std::to_string(inputs()));
  exact::Vector y = engine_->outputs(x);  // one forward pass for both
  const int label = exact::label_of(graph(), y);
  return {std::move(y), label};
}

RayAnswer Model::ray(const exact::Vector& x, const exact::Vector& v, bool certify) const {
  if (layered_) return layered_ray(*layered_, *walker_, x, v, certify, source_);
  check_dims(source_, x, v, inputs());
  const exact::NetRay r = engine_->ray(x, v);
  RayAnswer out{answer_of(r), nullptr};
  if (certify) out.certificate = certificate(exact::graph_ray_claim(*engine_, x, v, r), exact::to_json(graph()), x, v);
  return out;
}

RayAnswer ray(const std::string& path, const ModelOptions& options, const exact::Vector& x, const exact::Vector& v, bool certify) {
  if (model_format(path, options.format) != "json") return Model(load_graph(path, options), path).ray(x, v, certify);
  const exact::json model = exact::read_json_file(path);  // once: its kind says which walk
  if (kind_of(model) == "graph") return Model(exact::graph_from_json(model, path), path).ray(x, v, certify);
  if (model.is_object() && kind_of(model) != "linear") {
    const exact::ReluNet net = exact::relu_net_from_json(model, path);
    return layered_ray(net, exact::RayWalker(net), x, v, certify, path);
  }
  return linear_ray(exact::linear_model_from_json(model, path), x, v, certify, path);
}

}  // namespace advdir::api
