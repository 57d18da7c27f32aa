// advdir.h over advdir/api: every exception becomes an error string.
#include "advdir.h"

#include "advdir/api/queries.hpp"
#include "advdir/api/theorems.hpp"
#include "advdir/api/vnnlib.hpp"
#include "advdir/bridge/separator.hpp"
#include "advdir/check/check.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/rational.hpp"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

struct advdir_model {
  advdir::api::Model model;
};

namespace {

using advdir::exact::Vector;

char* copy(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

// Runs f; an exception's message goes to *error and the result is `failed`.
template <class F, class R>
R guarded(char** error, R failed, F f) {
  if (error) *error = nullptr;
  try {
    return f();
  } catch (const std::exception& e) {
    if (error) *error = copy(advdir::check::one_line(e.what()));
  } catch (...) {
    if (error) *error = copy("advdir: an unknown error");
  }
  return failed;
}

Vector rationals(const char* const* text, std::size_t n, const char* what) {
  if (n > 0 && !text) throw std::invalid_argument(std::string(what) + ": NULL");
  Vector out;
  for (std::size_t i = 0; i < n; ++i) {
    if (!text[i]) throw std::invalid_argument(std::string(what) + "[" + std::to_string(i) + "]: NULL");
    try {
      out.push_back(advdir::exact::parse_rational(text[i]));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string(what) + "[" + std::to_string(i) + "] \"" + text[i] + "\": not a rational (" + e.what() + ")");
    }
  }
  return out;
}

void need(const void* p, const char* what) {
  if (!p) throw std::invalid_argument(std::string(what) + ": NULL");
}

// n points of dimension d, X row by row, labels y.
advdir::exact::Dataset points(std::size_t n, std::size_t d, const char* const* X, const int* y) {
  if (n > 0) need(y, "y");
  if (d != 0 && n > SIZE_MAX / d) throw std::invalid_argument("X: n * d overflows");
  const Vector all = rationals(X, n * d, "X");
  std::vector<Vector> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i].assign(all.begin() + std::ptrdiff_t(i * d), all.begin() + std::ptrdiff_t((i + 1) * d));
  return advdir::exact::make_dataset(rows, std::vector<int>(y, y + n), "data");
}

std::vector<std::string> strings(const char* const* text, std::size_t n, const char* what) {
  if (n > 0) need(text, what);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    if (!text[i]) throw std::invalid_argument(std::string(what) + "[" + std::to_string(i) + "]: NULL");
    out.emplace_back(text[i]);
  }
  return out;
}

// advdir certify's theorems on points in memory (api/theorems.hpp).
advdir::exact::json certify(const std::string& theorem, const advdir::exact::Dataset& S, const std::vector<std::string>& files,
                            const std::string& out) {
  namespace api = advdir::api;
  namespace exact = advdir::exact;
  if (theorem == "theorem15") {
    if (files.size() != 1) throw std::invalid_argument("theorem15 takes one relu2 net, not " + std::to_string(files.size()));
    const exact::ReluNet net = exact::relu_net_from_json(exact::read_json_file(files[0]), files[0]);
    return api::summary(api::certify_theorem15(S, exact::inline_data(S), net, std::nullopt, std::nullopt, nullptr, nullptr, out));
  }
  const auto& theorems = api::linear_theorems();
  if (!theorems.count(theorem)) throw std::invalid_argument("theorem \"" + theorem + "\": expected theorem4, theorem5, corollary6 or theorem15");
  std::vector<exact::LinearModel> hs;
  for (const std::string& f : files) hs.push_back(api::read_linear(f, S.dim()));
  return api::summary(api::certify_linear(theorems.at(theorem), S, exact::inline_data(S), std::move(hs), 0, out));
}

}  // namespace

extern "C" {

const char* advdir_version(void) { return ADVDIR_VERSION; }

void advdir_free(void* p) { std::free(p); }

advdir_model* advdir_model_load(const char* path, const char* format, char** error) {
  return guarded(error, static_cast<advdir_model*>(nullptr), [&] {
    need(path, "path");
    advdir::api::ModelOptions o;
    if (format) o.format = format;
    return new advdir_model{advdir::api::Model(advdir::api::load_graph(path, o), path)};
  });
}

void advdir_model_free(advdir_model* model) { delete model; }

size_t advdir_model_inputs(const advdir_model* model) { return model ? model->model.inputs() : 0; }
size_t advdir_model_outputs(const advdir_model* model) { return model ? model->model.outputs() : 0; }

char** advdir_eval(const advdir_model* model, const char* const* x, int* label, char** error) {
  return guarded(error, static_cast<char**>(nullptr), [&] {
    need(model, "model");
    const advdir::api::Evaluation e = model->model.evaluate(rationals(x, model->model.inputs(), "x"), "x");
    char** out = static_cast<char**>(std::calloc(e.outputs.size(), sizeof(char*)));
    if (!out) throw std::bad_alloc();
    for (std::size_t m = 0; m < e.outputs.size(); ++m) out[m] = copy(advdir::exact::to_string(e.outputs[m]));
    if (label) *label = e.label;
    return out;
  });
}

char* advdir_ray(const advdir_model* model, const char* const* x, const char* const* v, const char* certificate_path, char** error) {
  return guarded(error, static_cast<char*>(nullptr), [&] {
    need(model, "model");
    const std::size_t n = model->model.inputs();
    const advdir::api::RayAnswer r = model->model.ray(rationals(x, n, "x"), rationals(v, n, "v"), certificate_path != nullptr);
    if (certificate_path) advdir::exact::write_file_atomic(certificate_path, r.certificate.dump(1) + "\n");
    return copy(r.answer.dump());
  });
}

char* advdir_separator(size_t n, size_t d, const char* const* X, const int* y, const char* certificate_path, char** error) {
  return guarded(error, static_cast<char*>(nullptr), [&] {
    const advdir::exact::Dataset S = points(n, d, X, y);
    const advdir::exact::json data = advdir::exact::inline_data(S);
    const advdir::exact::SeparatorResult solved = advdir::bridge::max_margin_separator(S);
    return copy((certificate_path ? advdir::api::write_separator(data, solved, certificate_path)
                                  : advdir::exact::separator_certificate(data, solved)).dump());
  });
}

char* advdir_certify(const char* theorem, size_t n, size_t d, const char* const* X, const int* y, const char* const* classifiers,
                     size_t n_classifiers, const char* certificate_path, char** error) {
  return guarded(error, static_cast<char*>(nullptr), [&] {
    need(theorem, "theorem");
    need(certificate_path, "certificate_path");
    return copy(certify(theorem, points(n, d, X, y), strings(classifiers, n_classifiers, "classifiers"), certificate_path).dump());
  });
}

char* advdir_vnnlib_check(const char* net, const char* property, const char* counterexample, int float32,
                          const char* certificate_path, char** error) {
  return guarded(error, static_cast<char*>(nullptr), [&] {
    need(net, "net"), need(property, "property"), need(counterexample, "counterexample");
    return copy(advdir::api::check_counterexample_files(net, property, counterexample, float32 != 0, certificate_path ? certificate_path : "").dump());
  });
}

int advdir_check(const char* path, char** reason, char** error) {
  if (reason) *reason = nullptr;
  return guarded(error, -1, [&] {
    need(path, "path");
    const advdir::check::Verdict v = advdir::check::check_certificate_file(path);
    if (!v.valid && reason) *reason = copy(v.reason);
    return v.valid ? 1 : 0;
  });
}

}  // extern "C"
