// The advdir Python module's native part (advdir._advdir): the library's front door
// (advdir/api) over plain types. Rationals cross as strings ("p/q"); advdir/__init__.py
// turns numpy arrays and Fractions into them and the answers back into Fractions and
// dicts. The walks and evaluations release the GIL.
#include "advdir/api/certify.hpp"
#include "advdir/api/queries.hpp"
#include "advdir/api/theorems.hpp"
#include "advdir/api/vnnlib.hpp"
#include "advdir/bridge/separator.hpp"
#include "advdir/check/check.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/rational.hpp"
#include "advdir/version.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <stdexcept>

namespace py = pybind11;
using namespace advdir;

namespace {

exact::Vector rationals(const std::vector<std::string>& text, const char* what) {
  exact::Vector out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    try {
      out.push_back(exact::parse_rational(text[i]));
    } catch (const std::invalid_argument& e) {
      throw InputError(std::string(what) + "[" + std::to_string(i) + "]", shown(text[i]) + " is not a rational (" + e.what() + ")");
    }
  }
  return out;
}

// A float64 array's entries, each the rational it is exactly; NaN and infinities refused.
exact::Vector rationals(const py::array_t<double, py::array::c_style | py::array::forcecast>& a, const char* what) {
  exact::Vector out;
  const double* d = a.data();
  for (py::ssize_t i = 0; i < a.size(); ++i) {
    if (!std::isfinite(d[i])) throw InputError(std::string(what) + "[" + std::to_string(i) + "]", std::to_string(d[i]) + " is not a rational");
    out.push_back(mpq_class(d[i]));
  }
  return out;
}

using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;

// A JSON model given as text that does not parse, or is not a model, as an InputError naming it.
template <class F>
auto as_input_error(const std::string& source, F f) -> decltype(f()) {
  try {
    return f();
  } catch (const exact::json::exception& e) {
    throw InputError(source, e.what());
  }
}

// A data set from rows of rationals and labels +1 / -1.
exact::Dataset dataset(std::vector<exact::Vector> rows, const std::vector<int>& y) {
  if (rows.size() != y.size()) throw InputError("y", "has " + std::to_string(y.size()) + " labels for " + std::to_string(rows.size()) + " points");
  return exact::make_dataset(rows, y, "data");
}

std::vector<exact::Vector> rows_of(const std::vector<std::vector<std::string>>& X) {
  std::vector<exact::Vector> rows;
  for (std::size_t i = 0; i < X.size(); ++i) rows.push_back(rationals(X[i], ("X[" + std::to_string(i) + "]").c_str()));
  return rows;
}

std::vector<exact::Vector> rows_of(const Doubles& X) {
  if (X.ndim() != 2) throw InputError("X", "expected a 2-D array, one point a row");
  std::vector<exact::Vector> rows(std::size_t(X.shape(0)));
  const double* d = X.data();
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (py::ssize_t j = 0; j < X.shape(1); ++j) {
      const double v = d[py::ssize_t(i) * X.shape(1) + j];
      if (!std::isfinite(v)) throw InputError("X[" + std::to_string(i) + "][" + std::to_string(j) + "]", std::to_string(v) + " is not a rational");
      rows[i].push_back(mpq_class(v));
    }
  return rows;
}

// Lemma 3's separator with its KKT multipliers, or the Farkas certificate; written to
// `out` and verified by the checker when `out` is set. The certificate's JSON.
std::string separator(exact::Dataset S, const std::string& out) {
  const exact::SeparatorResult r = bridge::max_margin_separator(S);
  return (out.empty() ? exact::separator_certificate(exact::inline_data(S), r) : api::write_separator(exact::inline_data(S), r, out)).dump();
}

// Theorem 4, 5 or Corollary 6 for the classifiers (none: w*) on separable S, written to
// `out` and verified: api::summary's JSON.
std::string certify_linear(const std::string& theorem, exact::Dataset S, const std::vector<std::pair<std::vector<std::string>, std::string>>& given,
                           const std::string& out) {
  const auto& theorems = api::linear_theorems();
  if (!theorems.count(theorem)) throw InputError("theorem", "\"" + theorem + "\": expected theorem4, theorem5 or corollary6");
  std::vector<exact::LinearModel> hs;
  for (std::size_t k = 0; k < given.size(); ++k)
    hs.push_back({rationals(given[k].first, ("classifiers[" + std::to_string(k) + "].w").c_str()),
                  rationals(std::vector<std::string>{given[k].second}, ("classifiers[" + std::to_string(k) + "].b").c_str())[0]});
  return api::summary(api::certify_linear(theorems.at(theorem), S, exact::inline_data(S), std::move(hs), 0, out)).dump();
}

// Theorem 15 for the relu2 net (JSON text, or the file `source` when empty) on S, written
// to `out` and verified: api::summary's JSON.
std::string certify_theorem15(const exact::Dataset& S, const std::string& net_json, const std::string& source,
                              std::optional<std::size_t> alpha, std::optional<std::size_t> beta, const std::string& out) {
  const exact::ReluNet net = as_input_error(source, [&] {
    return exact::relu_net_from_json(net_json.empty() ? exact::read_json_file(source) : exact::json::parse(net_json), source);
  });
  return api::summary(api::certify_theorem15(S, exact::inline_data(S), net, alpha, beta, nullptr, nullptr, out)).dump();
}

// advdir vnnlib check: the counterexample file decided exactly against the property and
// the net (any format but .pt), as --json prints it; the certificate written and verified
// when `certificate` is set and X is a counterexample.
std::string vnnlib_check(const std::string& net_path, const std::string& property, const std::string& counterexample,
                         const std::string& x_reading, const std::string& certificate) {
  if (x_reading != "decimal" && x_reading != "float32")
    throw InputError("x_reading", "\"" + x_reading + "\": expected decimal or float32");
  return api::check_counterexample_files(net_path, property, counterexample, x_reading == "float32", certificate).dump();
}

std::vector<std::string> strings(const exact::Vector& v) {
  std::vector<std::string> out;
  for (const mpq_class& q : v) out.push_back(exact::to_string(q));
  return out;
}

// Any other failure of a call, as advdir.Error (the translator above is shared by every
// pybind11 module in the process, so it names advdir's own types only).
struct ApiError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class F>
auto as_api_error(F f) -> decltype(f()) {
  try {
    return f();
  } catch (const InputError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw ApiError(e.what());
  } catch (const exact::json::exception& e) {
    throw ApiError(e.what());
  }
}

}  // namespace

PYBIND11_MODULE(_advdir, m) {
  m.doc() = "advdir's native part; use the advdir package";
  m.attr("__version__") = ADVDIR_VERSION;
  static py::exception<InputError> error(m, "Error", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      error(check::one_line(e.what()).c_str());
    } catch (const HypothesisError& e) {
      error(check::one_line(e.what()).c_str());
    } catch (const ApiError& e) {
      error(check::one_line(e.what()).c_str());
    }
  });

  py::class_<api::Model>(m, "Model")
      .def_property_readonly("inputs", &api::Model::inputs)
      .def_property_readonly("outputs", &api::Model::outputs)
      .def_property_readonly("source", &api::Model::source);

  m.def(
      "load_model",
      [](const std::string& path, const std::string& format, bool batchnorm_float32) {
        api::ModelOptions o;
        o.format = format, o.onnx.batchnorm_float32 = batchnorm_float32;
        return api::Model(api::load_graph(path, o), path);
      },
      py::arg("path"), py::arg("format") = "", py::arg("batchnorm_float32") = false, py::call_guard<py::gil_scoped_release>());

  m.def(
      "graph_from_json",
      [](const std::string& text, const std::string& source) {
        return as_api_error([&] { return api::Model(exact::graph_from_json(exact::json::parse(text), source), source); });
      },
      py::arg("text"), py::arg("source"));

  m.def(
      "eval",
      [](const api::Model& model, const std::vector<std::string>& x) {
        const api::Evaluation e = model.evaluate(rationals(x, "x"), "x");
        return std::make_pair(strings(e.outputs), e.label);
      },
      py::arg("model"), py::arg("x"), py::call_guard<py::gil_scoped_release>());

  m.def(
      "ray",
      [](const api::Model& model, const std::vector<std::string>& x, const std::vector<std::string>& v, bool certify) {
        const api::RayAnswer r = model.ray(rationals(x, "x"), rationals(v, "v"), certify);
        return std::make_pair(r.answer.dump(), certify ? r.certificate.dump() : std::string());
      },
      py::arg("model"), py::arg("x"), py::arg("v"), py::arg("certify"), py::call_guard<py::gil_scoped_release>());

  // The same two on float64 arrays (numpy's floats, float32 ones cast exactly), without strings.
  m.def(
      "eval_f64",
      [](const api::Model& model, const Doubles& x) {
        const exact::Vector xs = rationals(x, "x");
        py::gil_scoped_release release;
        const api::Evaluation e = model.evaluate(xs, "x");
        return std::make_pair(strings(e.outputs), e.label);
      },
      py::arg("model"), py::arg("x"));
  m.def(
      "ray_f64",
      [](const api::Model& model, const Doubles& x, const Doubles& v, bool certify) {
        const exact::Vector xs = rationals(x, "x"), vs = rationals(v, "v");
        py::gil_scoped_release release;
        const api::RayAnswer r = model.ray(xs, vs, certify);
        return std::make_pair(r.answer.dump(), certify ? r.certificate.dump() : std::string());
      },
      py::arg("model"), py::arg("x"), py::arg("v"), py::arg("certify"));

  m.def(
      "separator", [](const std::vector<std::vector<std::string>>& X, const std::vector<int>& y, const std::string& out) {
        return separator(dataset(rows_of(X), y), out);
      },
      py::arg("X"), py::arg("y"), py::arg("out"), py::call_guard<py::gil_scoped_release>());
  m.def(
      "separator_f64",
      [](const Doubles& X, const std::vector<int>& y, const std::string& out) {
        exact::Dataset S = dataset(rows_of(X), y);
        py::gil_scoped_release release;
        return separator(std::move(S), out);
      },
      py::arg("X"), py::arg("y"), py::arg("out"));
  m.def(
      "certify_linear",
      [](const std::string& theorem, const std::vector<std::vector<std::string>>& X, const std::vector<int>& y,
         const std::vector<std::pair<std::vector<std::string>, std::string>>& classifiers, const std::string& out) {
        return certify_linear(theorem, dataset(rows_of(X), y), classifiers, out);
      },
      py::arg("theorem"), py::arg("X"), py::arg("y"), py::arg("classifiers"), py::arg("out"), py::call_guard<py::gil_scoped_release>());
  m.def(
      "certify_linear_f64",
      [](const std::string& theorem, const Doubles& X, const std::vector<int>& y,
         const std::vector<std::pair<std::vector<std::string>, std::string>>& classifiers, const std::string& out) {
        exact::Dataset S = dataset(rows_of(X), y);
        py::gil_scoped_release release;
        return certify_linear(theorem, std::move(S), classifiers, out);
      },
      py::arg("theorem"), py::arg("X"), py::arg("y"), py::arg("classifiers"), py::arg("out"));

  m.def(
      "certify_theorem15",
      [](const std::vector<std::vector<std::string>>& X, const std::vector<int>& y, const std::string& net, const std::string& source,
         std::optional<std::size_t> alpha, std::optional<std::size_t> beta, const std::string& out) {
        return certify_theorem15(dataset(rows_of(X), y), net, source, alpha, beta, out);
      },
      py::arg("X"), py::arg("y"), py::arg("net"), py::arg("source"), py::arg("alpha"), py::arg("beta"), py::arg("out"),
      py::call_guard<py::gil_scoped_release>());
  m.def(
      "certify_theorem15_f64",
      [](const Doubles& X, const std::vector<int>& y, const std::string& net, const std::string& source, std::optional<std::size_t> alpha,
         std::optional<std::size_t> beta, const std::string& out) {
        exact::Dataset S = dataset(rows_of(X), y);
        py::gil_scoped_release release;
        return certify_theorem15(S, net, source, alpha, beta, out);
      },
      py::arg("X"), py::arg("y"), py::arg("net"), py::arg("source"), py::arg("alpha"), py::arg("beta"), py::arg("out"));
  m.def("vnnlib_check", &vnnlib_check, py::arg("net"), py::arg("property"), py::arg("counterexample"), py::arg("x_reading"),
        py::arg("certificate"), py::call_guard<py::gil_scoped_release>());

  m.def(
      "check_file",
      [](const std::string& path) {
        const check::Verdict v = as_api_error([&] { return check::check_certificate_file(path); });
        return std::make_pair(v.valid, v.reason);
      },
      py::arg("path"), py::call_guard<py::gil_scoped_release>());

  m.def(
      "write_file_atomic",
      [](const std::string& path, const std::string& text) { as_api_error([&] { exact::write_file_atomic(path, text); }); },
      py::arg("path"), py::arg("text"));
}
