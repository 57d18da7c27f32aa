#include "advdir/exact/certificate.hpp"

#include "advdir/exact/error.hpp"

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <memory>

namespace advdir::exact {

std::string sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open file");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), std::streamsize(buf.size()));
    EVP_DigestUpdate(ctx.get(), buf.data(), std::size_t(in.gcount()));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

namespace {

std::string relative_to(const std::string& path, const std::string& dir) {
  namespace fs = std::filesystem;
  return fs::absolute(path).lexically_normal().lexically_relative(fs::absolute(dir.empty() ? "." : dir).lexically_normal())
      .generic_string();
}

json separator_fields(const MaxMarginSeparator& sep) {
  return {{"w_star", to_json(sep.w_star)},
          {"b_star", to_json(sep.b_star)},
          {"support", sep.support},
          {"alpha", to_json(sep.alpha)},
          {"margin_sq", to_json(sep.margin_sq)}};
}

json classifier_fields(LinearTheorem theorem, const ClassifierTransfer& t) {
  json c = {{"w", to_json(t.h.w)}, {"b", to_json(t.h.b)}, {"inner", to_json(t.inner)}};
  if (theorem == LinearTheorem::corollary6) {
    c["least_margin_index"] = t.least_margin;
    c["c_exit"] = to_json(t.c_exit[t.least_margin]);
    return c;
  }
  c["c_exit"] = to_json(t.c_exit);
  if (theorem == LinearTheorem::theorem5) {
    c["gamma_h"] = to_json(t.gamma_h);
    c["bound"] = to_json(t.bound);
  }
  return c;
}

const char* theorem_name(LinearTheorem t) {
  switch (t) {
    case LinearTheorem::theorem4: return "4";
    case LinearTheorem::theorem5: return "5";
    case LinearTheorem::corollary6: return "corollary6";
  }
  return "";
}

}  // namespace

json inline_data(const Dataset& data) {
  json points = json::array();
  for (std::size_t i = 0; i < data.size(); ++i) points.push_back(to_json(data.point(i)));
  return {{"format", "inline"}, {"labels", data.labels}, {"points", points}};
}

json data_reference(const DataSpec& spec, const Dataset& data, const std::string& cert_dir) {
  json ref;
  // Data read from a pipe cannot be read again by the checker: embed it.
  const bool regular = spec.format == DataSpec::Format::text ? std::filesystem::is_regular_file(spec.path)
                                                             : std::filesystem::is_regular_file(spec.images) &&
                                                                   std::filesystem::is_regular_file(spec.labels);
  if (spec.format == DataSpec::Format::inline_points || !regular) return inline_data(data);
  if (spec.format == DataSpec::Format::text) {
    ref = {{"format", "text"}, {"path", relative_to(spec.path, cert_dir)}, {"sha256", sha256_file(spec.path)}};
  } else {
    ref = {{"format", "idx"},
           {"images", relative_to(spec.images, cert_dir)},
           {"images_sha256", sha256_file(spec.images)},
           {"labels", relative_to(spec.labels, cert_dir)},
           {"labels_sha256", sha256_file(spec.labels)},
           {"scale", spec.scale == IdxScale::unit ? "255" : "1"}};
  }
  if (spec.pair) ref["pair"] = {spec.pair->first, spec.pair->second == rest ? json("rest") : json(spec.pair->second)};
  return ref;
}

json separator_certificate(const json& data_ref, const SeparatorResult& result) {
  json cert = {{"format", certificate_format}, {"data", data_ref}};
  if (result.separable) {
    cert["theorem"] = "lemma3";
    cert.update(separator_fields(result.separator));
  } else {
    cert["theorem"] = "farkas";
    cert["support"] = result.farkas.support;
    cert["lambda"] = to_json(result.farkas.lambda);
  }
  return cert;
}

json transfer_certificate(LinearTheorem theorem, const json& data_ref, const MaxMarginSeparator& sep,
                          const TransferReport& report) {
  json cert = {{"format", certificate_format}, {"theorem", theorem_name(theorem)}, {"data", data_ref}};
  cert.update(separator_fields(sep));
  if (theorem == LinearTheorem::corollary6) cert["c_S"] = to_json(sep.margin_sq);
  json classifiers = json::array();
  for (const ClassifierTransfer& t : report.certified) classifiers.push_back(classifier_fields(theorem, t));
  cert["classifiers"] = classifiers;
  return cert;
}

namespace {

json pair_fields(const PairCertificate& p) {
  json pair = separator_fields(p.sep);
  pair["k"] = p.report.k;
  pair["l"] = p.report.l;
  pair["transfers"] = json::array();
  for (const PairTransfer& t : p.report.certified)
    pair["transfers"].push_back({{"classifier", t.classifier},
                                 {"inner", to_json(t.inner)},
                                 {"c_pair", to_json(t.c_pair)},
                                 {"c_exit", to_json(t.c_exit)},
                                 {"to", t.to},
                                 {"differs_at_exit", t.differs_at_exit}});
  return pair;
}

json models_json(const std::vector<MulticlassModel>& classifiers) {
  json models = json::array();
  for (const MulticlassModel& h : classifiers) models.push_back(to_json(h));
  return models;
}

}  // namespace

json theorem8_certificate(const json& data_ref, const std::vector<MulticlassModel>& classifiers,
                          const std::vector<PairCertificate>& pairs) {
  json out = json::array();
  for (const PairCertificate& p : pairs) out.push_back(pair_fields(p));
  return {{"format", certificate_format}, {"theorem", "8"}, {"data", data_ref}, {"classifiers", models_json(classifiers)},
          {"pairs", out}};
}

json theorem9_certificate(const std::vector<json>& data_refs, const std::vector<MulticlassModel>& classifiers,
                          bool confident, const std::vector<Theorem9Pair>& pairs) {
  json out = json::array();
  for (const Theorem9Pair& p : pairs) {
    json pair = pair_fields(p.certificate);
    pair["S"] = p.common.origin;
    pair["in_set"] = p.common.in_set;
    pair["n"] = p.stats.n;
    pair["rho"] = to_json(p.stats.rho);
    pair["B_sq"] = to_json(p.stats.B_sq);
    pair["R_sq"] = to_json(p.stats.R_sq);
    out.push_back(std::move(pair));
  }
  return {{"format", certificate_format}, {"theorem", "9"}, {"data", data_refs}, {"confident", confident},
          {"classifiers", models_json(classifiers)}, {"pairs", out}};
}

json theorem7_certificate(const std::vector<json>& data_refs, bool confident, const CommonSubset& common,
                          const SoftMarginStats& stats, const MaxMarginSeparator& sep, const TransferReport& report) {
  json cert = transfer_certificate(LinearTheorem::theorem4, data_refs, sep, report);
  cert["theorem"] = "7";
  cert["confident"] = confident;
  cert["S"] = common.origin;
  cert["in_set"] = common.in_set;
  cert["rho"] = to_json(stats.rho);
  cert["w_norm_sq"] = to_json(stats.w_norm_sq);
  cert["R_sq"] = to_json(stats.R_sq);
  return cert;
}

json theorem16_certificate(const json& data_ref, const json& model, const Theorem16& t) {
  json exits = json::array();
  for (const PolyhedralExit& e : t.exits) exits.push_back({{"point", e.point}, {"unit", e.unit}, {"c_exit", to_json(e.c_exit)}});
  return {{"format", certificate_format}, {"theorem", "16"}, {"data", data_ref}, {"model", model},
          {"alpha", t.alpha}, {"beta", t.beta}, {"exits", exits}};
}

namespace {

// Theorem 15's fields for one net: its model, D, and per -1 point K, c_bound, c_exit.
json relu2_points(const std::vector<Theorem15Point>& points) {
  json out = json::array();
  for (const Theorem15Point& p : points)
    out.push_back({{"point", p.point}, {"K", to_json(p.K)}, {"c_bound", to_json(p.c_bound)}, {"c_exit", to_json(p.c_exit)},
                   {"differs_at_exit", p.differs_at_exit}});
  return out;
}

json relu2_transfer(const json& model, const Theorem15& t) {
  return {{"model", model}, {"D", to_json(t.D)}, {"points", relu2_points(t.points)}};
}

json max_margin_fields(const MaxMarginRays& m) {
  json exits = json::array();
  for (const NetRay& r : m.rays)
    exits.push_back(r.adversarial ? json{{"c_exit", to_json(r.c_exit)}, {"differs_at_exit", r.differs_at_exit}} : json(nullptr));
  json out = separator_fields(m.sep);
  out["exits"] = exits;
  return out;
}

}  // namespace

json theorem11_certificate(const json& data_ref, const json& model, const Theorem11& t) {
  json points = json::array();
  for (const Theorem11Point& p : t.points) {
    json claim = ray_claim(p.ray, p.pieces);
    claim["point"] = p.point;
    points.push_back(std::move(claim));
  }
  return {{"format", certificate_format}, {"theorem", "11"}, {"data", data_ref}, {"model", model},
          {"convex_label", t.region.label}, {"why", t.region.why}, {"alpha", t.pair.alpha}, {"beta", t.pair.beta},
          {"points", points}};
}

json vnnlib_certificate(const std::string& net_path, const std::string& net_format, const std::string& property_path,
                        const Vector& x, const Vector& y, const std::string& cert_dir) {
  return {{"format", certificate_format},
          {"theorem", "vnnlib_counterexample"},
          {"net", {{"format", net_format}, {"path", relative_to(net_path, cert_dir)}, {"sha256", sha256_file(net_path)}}},
          {"property", {{"path", relative_to(property_path, cert_dir)}, {"sha256", sha256_file(property_path)}}},
          {"x", to_json(x)},
          {"y", to_json(y)}};
}

json counterexample_certificate(const json& data_ref, const MaxMarginSeparator& sep, const Construction& c,
                                const std::optional<Theorem15>& transfer) {
  json cert = {{"format", certificate_format}, {"theorem", "counterexample_relu"}, {"data", data_ref}};
  cert.update(separator_fields(sep));
  cert["outcome"] = c.infeasible ? "infeasible" : "counterexample";
  if (c.infeasible) {
    const ConstructionFarkas& f = *c.infeasible;
    cert["infeasible"] = {{"point", f.point}, {"minus_points", f.minus_points}, {"mu", to_json(f.mu)}, {"nu", to_json(f.nu)}};
    return cert;
  }
  cert["model"] = to_json(*c.net);
  if (transfer) {
    json t = relu2_transfer(cert["model"], *transfer);
    t.erase("model");
    t.update({{"alpha", transfer->alpha}, {"beta", transfer->beta}});
    cert["theorem15"] = t;
  }
  return cert;
}

json theorem15_certificate(const json& data_ref, const json& model, const Theorem15& t, const json& test_ref,
                           const MaxMarginRays* max_margin) {
  json cert = relu2_transfer(model, t);
  cert.update({{"format", certificate_format}, {"theorem", "15"}, {"data", data_ref}, {"alpha", t.alpha}, {"beta", t.beta}});
  if (!test_ref.is_null())
    cert.update({{"test", test_ref}, {"test_points", relu2_points(t.test_points)}, {"test_misclassified", t.test_misclassified}});
  if (max_margin) cert["max_margin"] = max_margin_fields(*max_margin);
  return cert;
}

json corollary17_certificate(const json& data_ref, const std::vector<json>& models, const Corollary17& c) {
  json linear = json::array(), nets = json::array();
  for (const LinearExits& e : c.linear)
    linear.push_back({{"w", to_json(e.h.w)}, {"b", to_json(e.h.b)}, {"slope", to_json(e.slope)}, {"c_exit", to_json(e.c_exit)}});
  for (std::size_t k = 0; k < c.nets.size(); ++k) nets.push_back(relu2_transfer(models[k], c.nets[k]));
  return {{"format", certificate_format}, {"theorem", "corollary17"}, {"data", data_ref}, {"alpha", c.alpha},
          {"beta", c.beta}, {"linear", linear}, {"nets", nets}};
}

}  // namespace advdir::exact
