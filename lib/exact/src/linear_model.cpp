#include "advdir/exact/linear_model.hpp"

#include "advdir/exact/error.hpp"

namespace advdir::exact {

LinearModel linear_model_from_json(const json& j, const std::string& source) {
  try {
    if (!j.is_object() || j.value("kind", json()) != "linear")
      throw std::invalid_argument("expected {\"kind\": \"linear\", \"w\": [...], \"b\": \"...\"}");
    if (!j.contains("w") || !j.contains("b")) throw std::invalid_argument("missing field \"w\" or \"b\"");
    LinearModel h{vector_from_json(j["w"], "w"), rational_from_json(j["b"], "b")};
    if (h.w.empty()) throw std::invalid_argument("w is empty");
    return h;
  } catch (const std::invalid_argument& e) {
    throw InputError(source, e.what());
  }
}

LinearModel read_linear_model(const std::string& path) { return linear_model_from_json(read_json_file(path), path); }

json to_json(const LinearModel& h) { return {{"kind", "linear"}, {"w", to_json(h.w)}, {"b", to_json(h.b)}}; }

ScaledScores affine_scores(const Dataset& data, const std::vector<Vector>& W, const Vector& b) {
  for (const Vector& w : W)
    if (w.size() != data.dim())
      throw InputError(data.source, "dimension mismatch: classifier has " + std::to_string(w.size()) +
                                        " weights, data has dimension " + std::to_string(data.dim()));
  // With L the common denominator of W and b: <w_m, X_i/den> + b_m = (<w_m L, X_i> + b_m L den) / (L den).
  mpz_class L = 1;
  for (const mpq_class& v : b) mpz_lcm(L.get_mpz_t(), L.get_mpz_t(), v.get_den_mpz_t());
  for (const Vector& w : W)
    for (const mpq_class& v : w) mpz_lcm(L.get_mpz_t(), L.get_mpz_t(), v.get_den_mpz_t());
  IntMatrix WL(data.dim(), W.size());
  for (std::size_t m = 0; m < W.size(); ++m)
    for (std::size_t j = 0; j < data.dim(); ++j) {
      const mpz_class num = W[m][j].get_num() * (L / W[m][j].get_den());
      fmpz_set_mpz(WL.at(slong(j), slong(m)), num.get_mpz_t());
    }
  ScaledScores s{IntMatrix(data.size(), W.size()), L * data.den};
  fmpz_mat_mul(s.num.get(), data.X.get(), WL.get());
  for (std::size_t m = 0; m < W.size(); ++m) {
    const Int offset(b[m].get_num() * (L / b[m].get_den()) * data.den);
    for (std::size_t i = 0; i < data.size(); ++i) fmpz_add(s.num.at(slong(i), slong(m)), s.num.at(slong(i), slong(m)), offset.get());
  }
  return s;
}

ScaledScores scaled_scores(const Dataset& data, const LinearModel& h) {
  ScaledScores s = affine_scores(data, {h.w}, {h.b});
  for (std::size_t i = 0; i < data.size(); ++i)
    if (data.labels[i] < 0) fmpz_neg(s.num.at(slong(i), 0), s.num.at(slong(i), 0));
  return s;
}

Vector signed_scores(const Dataset& data, const LinearModel& h) {
  const ScaledScores s = scaled_scores(data, h);
  Vector out(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    out[i] = mpq_class(to_mpz(s.num.at(slong(i), 0)), s.den);
    out[i].canonicalize();
  }
  return out;
}

}  // namespace advdir::exact
