#include "advdir/exact/linear_model.hpp"

#include "advdir/exact/error.hpp"

namespace advdir::exact {

LinearModel linear_model_from_json(const json& j, const std::string& source) {
  try {
    if (!j.is_object() || j.value("kind", "") != "linear")
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

Vector signed_scores(const Dataset& data, const LinearModel& h) {
  if (h.w.size() != data.dim())
    throw InputError(data.source, "dimension mismatch: classifier has " + std::to_string(h.w.size()) +
                                      " weights, data has dimension " + std::to_string(data.dim()));
  // <w, X_i / den> = <W, X_i> / (wden * den) with W = w * wden integral.
  mpz_class wden = 1;
  for (const mpq_class& v : h.w) mpz_lcm(wden.get_mpz_t(), wden.get_mpz_t(), v.get_den_mpz_t());
  IntMatrix W(data.dim(), 1);
  for (std::size_t j = 0; j < data.dim(); ++j) {
    mpz_class num = h.w[j].get_num() * (wden / h.w[j].get_den());
    fmpz_set_mpz(W.at(slong(j), 0), num.get_mpz_t());
  }
  IntMatrix XW(data.size(), 1);
  fmpz_mat_mul(XW.get(), data.X.get(), W.get());
  const mpz_class scale = wden * data.den;
  Vector out(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    mpq_class s(to_mpz(XW.at(slong(i), 0)), scale);
    s.canonicalize();
    out[i] = data.labels[i] * (s + h.b);
  }
  return out;
}

}  // namespace advdir::exact
