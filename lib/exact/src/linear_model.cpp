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

ScaledScores scaled_scores(const Dataset& data, const LinearModel& h) {
  if (h.w.size() != data.dim())
    throw InputError(data.source, "dimension mismatch: classifier has " + std::to_string(h.w.size()) +
                                      " weights, data has dimension " + std::to_string(data.dim()));
  // With L the common denominator of w and b: y_i(<w, X_i/den> + b) = y_i(<wL, X_i> + bL den) / (L den).
  mpz_class L = h.b.get_den();
  for (const mpq_class& v : h.w) mpz_lcm(L.get_mpz_t(), L.get_mpz_t(), v.get_den_mpz_t());
  IntMatrix W(data.dim(), 1);
  for (std::size_t j = 0; j < data.dim(); ++j) {
    const mpz_class num = h.w[j].get_num() * (L / h.w[j].get_den());
    fmpz_set_mpz(W.at(slong(j), 0), num.get_mpz_t());
  }
  ScaledScores s{IntMatrix(data.size(), 1), L * data.den};
  fmpz_mat_mul(s.num.get(), data.X.get(), W.get());
  const Int offset(h.b.get_num() * (L / h.b.get_den()) * data.den);
  for (std::size_t i = 0; i < data.size(); ++i) {
    fmpz* m = s.num.at(slong(i), 0);
    fmpz_add(m, m, offset.get());
    if (data.labels[i] < 0) fmpz_neg(m, m);
  }
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
