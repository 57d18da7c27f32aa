// The advdir Python module's native part (advdir._advdir): the library's front door
// (advdir/api) over plain types. Rationals cross as strings ("p/q"); advdir/__init__.py
// turns numpy arrays and Fractions into them and the answers back into Fractions and
// dicts. The walks and evaluations release the GIL.
#include "advdir/api/queries.hpp"
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
      throw InputError(std::string(what) + "[" + std::to_string(i) + "]", "\"" + text[i] + "\" is not a rational (" + e.what() + ")");
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
      error(e.what());
    } catch (const HypothesisError& e) {
      error(e.what());
    } catch (const ApiError& e) {
      error(e.what());
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
  using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;
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
